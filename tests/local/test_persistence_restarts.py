"""An engine with a data dir comes back from a SIGKILL as it was: every call it acknowledged,
its timers and timeouts (those due while it was down fire at once), the tasks it had
scheduled (handed out again) and started (their tokens still answer)."""

from __future__ import annotations

import time

import pytest
from engine_env import Env, decide, of_type, schedule
from restart_env import Restartable, normalized, observable


@pytest.fixture
def engines(tmp_path):
    engines = Restartable(tmp_path / "data")
    yield engines
    engines.stop()


def _wait_for(env: Env, run: dict, event_type: str, timeout: float = 20.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = env.history(run)
        if any(e["eventType"] == event_type for e in events):
            return events
        time.sleep(0.1)
    raise AssertionError(f"no {event_type} within {timeout} s: {env.types(run)}")


def test_every_acknowledged_call_survives_a_sigkill_right_after_it(engines) -> None:
    """After each call: SIGKILL at once, start again, and everything reads the same."""
    env = Env(engines.start())
    steps = [
        lambda: env.register_activity("old"),
        lambda: env.swf.deprecate_activity_type(
            domain=env.domain, activityType={"name": "old", "version": "1"}
        ),
        lambda: env.start("w1", input="in", tagList=["t1"]),
        lambda: env.respond(
            env.decision(),
            schedule("a1", input="one"),
            schedule("a2", input="two"),
            decide("RecordMarker", markerName="m", details="d"),
            decide("StartTimer", timerId="t", startToFireTimeout="600"),
        ),
        env.activity,
        lambda: env.swf.signal_workflow_execution(
            domain=env.domain, workflowId="w1", signalName="s", input="x"
        ),
        lambda: env.start("w2"),
        lambda: env.swf.terminate_workflow_execution(
            domain=env.domain, workflowId="w2", reason="enough"
        ),
    ]
    for step in steps:
        answer = step()
        before = observable(env.swf, env.domain)
        env.swf = engines.restart()
        assert observable(env.swf, env.domain) == before, f"after {answer}"


def test_scheduled_tasks_are_handed_out_again_and_started_ones_keep_their_tokens(
    engines,
) -> None:
    env = Env(engines.start())
    run = env.start(input="in")
    decision = env.decision()
    env.respond(decision, schedule("a1", input="one"), schedule("a2", input="two"))
    first = env.activity()
    env.swf.record_activity_task_heartbeat(taskToken=first["taskToken"], details="half")
    env.swf = engines.restart()
    second = env.activity()  # scheduled, not started: handed out by the new engine
    assert (first["activityId"], second["activityId"]) == ("a1", "a2")
    assert second["input"] == "two"
    for task, result in ((first, "r1"), (second, "r2")):  # the old token still answers
        env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result=result)
    assert [e["result"] for e in of_type(env.history(run), "ActivityTaskCompleted")] == [
        "r1",
        "r2",
    ]
    task = env.decision()
    assert task["previousStartedEventId"] == decision["startedEventId"]
    env.respond(task, decide("CompleteWorkflowExecution", result="done"))
    assert env.describe(run)["executionInfo"]["closeStatus"] == "COMPLETED"


def test_a_decision_task_started_before_the_kill_is_answered_after_it(engines) -> None:
    env = Env(engines.start())
    run = env.start()
    task = env.decision()
    env.swf = engines.restart()
    env.respond(task, decide("CompleteWorkflowExecution", result="ok"))
    assert env.types(run)[-2:] == ["DecisionTaskCompleted", "WorkflowExecutionCompleted"]


def test_a_timer_due_while_the_engine_was_down_fires_on_restart(engines) -> None:
    env = Env(engines.start())
    run = env.start()
    env.respond(env.decision(), decide("StartTimer", timerId="t", startToFireTimeout="1"))
    timer = next(e for e in env.history(run) if e["eventType"] == "TimerStarted")
    due = timer["eventTimestamp"].timestamp() + 1
    engines.kill()
    time.sleep(max(0.0, due + 0.2 - time.time()))  # the timer falls due while no engine runs
    assert time.time() > due
    began = time.time()
    env.swf = engines.start()
    events = _wait_for(env, run, "TimerFired")
    started, fired = (next(e for e in events if e["eventType"] == k) for k in
                      ("TimerStarted", "TimerFired"))  # fmt: skip
    assert fired["eventTimestamp"].timestamp() >= began  # fired by the new engine, at once
    assert fired["timerFiredEventAttributes"]["startedEventId"] == started["eventId"]
    assert env.types(run)[-1] == "DecisionTaskScheduled"


def test_timeouts_run_on_across_a_restart(engines) -> None:
    env = Env(engines.start())
    run = env.start()
    env.respond(env.decision(), schedule("a", startToCloseTimeout="2"))
    task = env.activity()
    env.swf = engines.restart()
    events = _wait_for(env, run, "ActivityTaskTimedOut")
    (timed_out,) = of_type(events, "ActivityTaskTimedOut")
    assert timed_out["timeoutType"] == "START_TO_CLOSE"
    started = next(e for e in events if e["eventType"] == "ActivityTaskStarted")
    stamp = next(e for e in events if e["eventType"] == "ActivityTaskTimedOut")["eventTimestamp"]
    assert (stamp - started["eventTimestamp"]).total_seconds() >= 2
    with pytest.raises(env.swf.exceptions.UnknownResourceFault):  # as on SWF: too late
        env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="late")


def _parent_and_child_scenario(env: Env, between) -> list[list[str]]:
    """Start, decide, a child, an activity, a signal, ContinueAsNew and completion, calling
    ``between()`` (which returns the client to use next) after each step."""
    env.register_workflow("kid", defaultTaskList={"name": "kids"})
    env.start("p", input="in", tagList=["x"])
    env.swf = between()
    env.respond(
        env.decision(),
        schedule("a1", input="one"),
        decide("StartChildWorkflowExecution", workflowType={"name": "kid", "version": "1"},
               workflowId="kid-1", input="kid-in"),
        decide("RecordMarker", markerName="m"),
    )  # fmt: skip
    env.swf = between()
    env.respond(env.decision("kids"), decide("CompleteWorkflowExecution", result="kid-out"))
    env.swf = between()
    env.swf.respond_activity_task_completed(taskToken=env.activity()["taskToken"], result="r1")
    env.swf = between()
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="p", signalName="go")
    env.swf = between()
    env.respond(env.decision(), decide("ContinueAsNewWorkflowExecution", input="again"))
    env.swf = between()
    env.respond(env.decision(), decide("CompleteWorkflowExecution", result="done"))
    env.swf = between()
    runs = observable(env.swf, env.domain, task_lists=("deciders", "workers", "kids"))
    closed = sorted(runs["closed"]["executionInfos"], key=lambda i: i["startTimestamp"])
    histories = [runs[f"{i['execution']['workflowId']} {i['execution']['runId']}" + " history"]
                 for i in closed]  # fmt: skip
    labels: dict[str, str] = {}
    return [normalized(events, labels) for events in histories]


def test_a_run_restarted_after_every_step_has_the_history_of_one_never_restarted(
    engines, swf
) -> None:
    env = Env(swf)  # the session's engine, never restarted
    expected = _parent_and_child_scenario(env, lambda: env.swf)
    env = Env(engines.start())
    got = _parent_and_child_scenario(env, engines.restart)
    assert len(got) == 3  # the parent's two runs and the child
    assert got == expected


def test_a_time_skipping_engine_keeps_its_clock_and_timers(tmp_path) -> None:
    # no jumps of its own (a long quiet period): only the skips here move the clock
    engines = Restartable(
        tmp_path / "data", time_skipping=True, extra_args=("--skip-quiet", "3600")
    )
    try:
        env = Env(engines.start())
        run = env.start(executionStartToCloseTimeout="86400")
        env.respond(env.decision(), decide("StartTimer", timerId="t", startToFireTimeout="7200"))
        assert engines.engine is not None
        engines.engine.skip(3600)
        ahead = engines.engine.now()
        env.swf = engines.restart()
        assert engines.engine is not None
        assert engines.engine.now() >= ahead  # the clock never goes back, even across a crash
        assert "TimerFired" not in env.types(run)
        engines.engine.skip(3600)
        events = _wait_for(env, run, "TimerFired")
        started, fired = (next(e for e in events if e["eventType"] == k) for k in
                          ("TimerStarted", "TimerFired"))  # fmt: skip
        assert (fired["eventTimestamp"] - started["eventTimestamp"]).total_seconds() >= 7200
    finally:
        engines.stop()


def test_quota_refusals_replay_as_they_were_under_other_quota_settings(tmp_path) -> None:
    """A rate quota's answer is an input of the call (buckets are not journaled): the replay
    gives the recorded one, even when the engine comes back with other quotas."""
    tight = Restartable(
        tmp_path / "data", rate_limits={"task-list:ScheduleActivityTask": (2, 0.001)}
    )
    env = Env(tight.start())
    try:
        run = env.start()
        env.respond(env.decision(), *(schedule(f"a{n}") for n in range(5)))
        before = observable(env.swf, env.domain)
        refused = of_type(env.history(run), "ScheduleActivityTaskFailed")
        assert [e["cause"] for e in refused] == ["ACTIVITY_CREATION_RATE_EXCEEDED"] * 3
        tight.kill()
    finally:
        tight.stop()
    default = Restartable(tmp_path / "data")  # SWF's quotas: all 5 would be scheduled now
    env.swf = default.start()
    try:
        assert observable(env.swf, env.domain) == before
    finally:
        default.stop()
