"""The decision loop never dies: unreachable endpoints, stale tokens, refused closes and bugs
deciding one run are logged and survived; a run is failed only when deciding it keeps
failing, and the decider stops only once the run it closed is really closed.

Tests that wait for a decision task's timeout or for wake-up timers run on the session's
time-skipping engine, where those waits pass on the engine's clock (and are asserted there).
"""

import logging
import threading
import time

import pytest

from floto.api import Swf
from floto.decider import Decider
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask


def make_spec(domain, **kwargs):
    task = ActivityTask(name="inc", version="1")
    return DeciderSpec(
        domain=domain, task_list="deciders", default_activity_task_list="workers",
        activity_tasks=[task], **kwargs,
    )  # fmt: skip


def test_an_unreachable_endpoint_is_retried_with_back_off_until_stopped(caplog):
    swf = Swf(endpoint_url="http://127.0.0.1:9")
    decider = Decider(make_spec("d"), swf=swf)
    decider.backoff.base = 0.05
    thread = threading.Thread(target=decider.run, daemon=True)

    def retries():
        return [r for r in caplog.records if "retrying in" in r.getMessage()]

    with caplog.at_level(logging.WARNING, logger="floto.decider"):
        thread.start()
        deadline = time.monotonic() + 20
        while len(retries()) < 2:  # the loop went on after a failed round, and another
            assert time.monotonic() < deadline, retries()
            time.sleep(0.02)
        assert thread.is_alive()
        decider.stop()
        thread.join(5)
    assert not thread.is_alive()
    logged = retries()
    assert len(logged) >= 2
    assert "could not connect to the SWF endpoint" in logged[0].getMessage()


@pytest.fixture
def skipping(floto_skipping_engine):
    """``make(decision_timeout)``: an Engine (decider/conftest.py) on the session's
    time-skipping engine; ``make.clock`` is that LocalEngine (``skip``)."""
    from decider.conftest import Engine

    swf = Swf(endpoint_url=floto_skipping_engine.endpoint_url)

    def make(decision_timeout: int = 10) -> Engine:
        return Engine(decision_timeout, swf=swf)

    make.clock = floto_skipping_engine
    return make


def test_an_answer_to_a_timed_out_decision_task_is_logged_and_dropped(skipping, caplog):
    engine = skipping(decision_timeout=2)
    decider = Decider(make_spec(engine.domain), swf=engine.swf)
    engine.start()
    response = engine.swf.poll_for_decision_task(engine.domain, "deciders")
    # the task is held, so the clock waits for it: the test moves it past the 2 s timeout
    skipping.clock.skip(2.5)
    with caplog.at_level(logging.WARNING, logger="floto.decider"):
        decider.decide(response)
    assert "no longer open" in caplog.text
    assert decider.run_once()  # the next decision task of the run is decided as usual
    history = engine.history()
    kinds = [e["eventType"] for e in history]
    assert "DecisionTaskTimedOut" in kinds and "ActivityTaskScheduled" in kinds
    assert kinds.index("DecisionTaskTimedOut") < kinds.index("ActivityTaskScheduled")


def test_a_close_refused_because_of_new_events_keeps_the_decider_until_the_run_closes(engine):
    decider = Decider(make_spec(engine.domain, terminate_decider_after_completion=True),
                      swf=engine.swf)  # fmt: skip
    engine.worker()
    engine.start()
    while True:  # decide until the activity has completed and a decision task is waiting
        response = engine.swf.poll_for_decision_task(engine.domain, "deciders")
        if not response.get("taskToken"):
            continue
        if any(e["eventType"] == "ActivityTaskCompleted" for e in response["events"]):
            break
        decider.decide(response)
    engine.swf.signal_workflow_execution(engine.domain, "run", "anything", input="x")
    decider.decide(response)  # decides to complete; SWF refuses: a signal came meanwhile
    kinds = [e["eventType"] for e in engine.history()]
    assert kinds[-2:] == ["CompleteWorkflowExecutionFailed", "DecisionTaskScheduled"]
    assert not decider.terminate_decider
    decider.run(until=lambda: False)  # ends only because the run closed and the spec says so
    assert engine.history()[-1]["eventType"] == "WorkflowExecutionCompleted"
    assert decider.terminate_decider


def test_a_run_that_cannot_be_decided_is_failed_after_three_attempts(skipping, monkeypatch):
    engine = skipping()  # the attempts wait for wake-up timers (1 s, 2 s): engine time
    decider = Decider(make_spec(engine.domain), swf=engine.swf)

    def broken(history):
        raise KeyError("a bug in planning")

    monkeypatch.setattr(decider, "plan", broken)
    engine.start()
    for _ in range(3):
        response = {}
        while not response.get("taskToken"):
            response = engine.swf.poll_for_decision_task(engine.domain, "deciders")
        with pytest.raises(KeyError):
            decider.decide(response)
    closed = engine.history()[-1]
    assert closed["eventType"] == "WorkflowExecutionFailed"
    reason = closed["workflowExecutionFailedEventAttributes"]["reason"]
    assert reason == "decider error (3 times): KeyError: 'a bug in planning'"


def test_a_run_that_cannot_be_decided_is_retried_soon_not_after_its_decision_timeout(
    skipping, monkeypatch
):
    # an unanswered decision task would wait 2 minutes; on the time-skipping engine it would
    # hold the clock (real work is never skipped), so the run would still be open at the
    # deadline below
    engine = skipping(decision_timeout=120)
    decider = Decider(make_spec(engine.domain), swf=engine.swf)

    def broken(history):
        raise KeyError("a bug in planning")

    monkeypatch.setattr(decider, "plan", broken)
    engine.start()
    started = time.monotonic()
    thread = threading.Thread(target=decider.run, kwargs={"until": lambda: False}, daemon=True)
    thread.start()
    try:
        while engine.history()[-1]["eventType"] != "WorkflowExecutionFailed":
            assert time.monotonic() - started < 30, [e["eventType"] for e in engine.history()]
            time.sleep(0.2)
    finally:
        decider.stop()
        thread.join(10)
    history = engine.history()
    reason = history[-1]["workflowExecutionFailedEventAttributes"]["reason"]
    assert reason == "decider error (3 times): KeyError: 'a bug in planning'"
    # on the engine's clock: wake-up timers of 1 s then 2 s, no decision task timed out
    kinds = [e["eventType"] for e in history]
    assert "DecisionTaskTimedOut" not in kinds
    timers = [e["timerStartedEventAttributes"]["startToFireTimeout"] for e in history
              if e["eventType"] == "TimerStarted"]  # fmt: skip
    assert timers == ["1", "2"] and kinds.count("TimerFired") == 2
    took = (history[-1]["eventTimestamp"] - history[0]["eventTimestamp"]).total_seconds()
    assert 3 <= took < 10, took  # 1 s + 2 s and the decisions, not 120 s
