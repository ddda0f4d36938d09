"""`floto local --time-skipping`: a virtual clock that jumps over idle waits, never over work.

Each test drives a real engine process through boto3. Wall-clock bounds are generous (the
skips themselves take about 0.1-0.3 s); what proves the skip is the engine's own timestamps.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from engine_env import (
    Env,
    SkipEnv,
    decide,
    of_type,
    schedule,
    stamp,
    terminate_open_runs,
    wait_for,
)

from floto.local import EngineClockError, LocalEngine

HOUR = 3600.0


def _stamp(env: Env, run: dict, event_type: str, nth: int = 0) -> float:
    return stamp(env.history(run), event_type, nth)


def _has(env: Env, run: dict, event_type: str) -> bool:
    return event_type in env.types(run)


def test_a_one_hour_timer_fires_within_seconds_an_hour_later_in_engine_time(tenv: Env) -> None:
    run = tenv.start()
    tenv.respond(tenv.decision(), decide("StartTimer", timerId="t", startToFireTimeout="3600"))
    began = time.monotonic()
    wait_for(lambda: _has(tenv, run, "TimerFired"))
    wall = time.monotonic() - began
    print(f"3600 s timer fired after {wall:.2f} s of wall time")
    assert wall < 2.0
    waited = _stamp(tenv, run, "TimerFired") - _stamp(tenv, run, "TimerStarted")
    assert HOUR <= waited < HOUR + 1
    task = tenv.decision()  # the decider sees it as on SWF
    assert "TimerFired" in [e["eventType"] for e in task["events"]]


def test_a_run_times_out_at_once_when_nothing_is_outstanding(tenv: Env) -> None:
    run = tenv.start(executionStartToCloseTimeout="1800")
    tenv.respond(tenv.decision())  # no decisions: nothing left to do but wait
    wait_for(lambda: _has(tenv, run, "WorkflowExecutionTimedOut"))
    took = _stamp(tenv, run, "WorkflowExecutionTimedOut") - _stamp(
        tenv, run, "WorkflowExecutionStarted"
    )
    assert 1800 <= took < 1801
    assert tenv.describe(run)["executionInfo"]["closeStatus"] == "TIMED_OUT"


def test_a_decision_task_no_decider_polls_for_does_not_hold_the_clock(tenv: Env) -> None:
    run = tenv.start(executionStartToCloseTimeout="1800", taskList={"name": "nobody-polls"})
    wait_for(lambda: _has(tenv, run, "WorkflowExecutionTimedOut"))


def _worker(env: Env, beats: int, every: float, complete: bool) -> threading.Thread:
    """Take the activity, heartbeat ``beats`` times ``every`` seconds apart, then complete it
    (or go silent, as a hung worker)."""

    def work() -> None:
        task = env.activity()
        for _ in range(beats):
            time.sleep(every)
            env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])
        if complete:
            time.sleep(every)
            env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="done")

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def _activity_and_hour_timer(env: Env, **timeouts: str) -> dict:
    run = env.start()
    env.respond(
        env.decision(),
        schedule("a", **timeouts),
        decide("StartTimer", timerId="hour", startToFireTimeout="3600"),
    )
    return run


def test_a_heartbeating_activity_lives_through_three_real_seconds(tenv: Env) -> None:
    run = _activity_and_hour_timer(tenv, heartbeatTimeout="2")  # beats 0.5 s apart: alive
    _worker(tenv, beats=5, every=0.5, complete=True).join()
    events = tenv.history(run)
    kinds = [e["eventType"] for e in events]
    assert "ActivityTaskCompleted" in kinds and "ActivityTaskTimedOut" not in kinds
    assert "TimerFired" not in kinds[: kinds.index("ActivityTaskCompleted")]
    worked = _stamp(tenv, run, "ActivityTaskCompleted") - _stamp(tenv, run, "ActivityTaskStarted")
    assert 3.0 <= worked < 7.0  # real work took its real time on the engine's clock
    tenv.respond(tenv.decision())  # the decider hears of it, and the engine is idle
    wait_for(lambda: _has(tenv, run, "TimerFired"))  # so then the hour is skipped
    assert _stamp(tenv, run, "TimerFired") - _stamp(tenv, run, "TimerStarted") >= HOUR


def test_an_activity_that_stops_heartbeating_times_out_after_its_heartbeat_timeout(
    tenv: Env,
) -> None:
    run = _activity_and_hour_timer(tenv, heartbeatTimeout="2")
    _worker(tenv, beats=1, every=0.5, complete=False).join()
    wait_for(lambda: _has(tenv, run, "ActivityTaskTimedOut"))
    timed_out = of_type(tenv.history(run), "ActivityTaskTimedOut")[0]
    assert timed_out["timeoutType"] == "HEARTBEAT"
    silent = _stamp(tenv, run, "ActivityTaskTimedOut") - _stamp(tenv, run, "ActivityTaskStarted")
    assert 2.5 <= silent < 5.5  # last heartbeat at ~0.5 s, then 2 s of silence
    tenv.respond(tenv.decision())  # the decider hears of it, and the engine is idle
    wait_for(lambda: _has(tenv, run, "TimerFired"))  # so then the hour is skipped
    assert _stamp(tenv, run, "ActivityTaskTimedOut") < _stamp(tenv, run, "TimerFired")


def test_an_activity_with_a_waiting_poller_is_handed_out_not_timed_out(tenv: Env) -> None:
    run = tenv.start()
    decision = tenv.decision()
    got: dict = {}
    poller = threading.Thread(target=lambda: got.update(task=tenv.activity()))
    poller.start()
    time.sleep(0.3)  # the worker's poll is waiting in the engine
    tenv.respond(
        decision,
        schedule("a", scheduleToStartTimeout="600"),
        decide("StartTimer", timerId="hour", startToFireTimeout="3600"),
    )
    poller.join()
    assert got["task"]["activityId"] == "a"
    time.sleep(1.0)  # the engine is busy: the activity is being worked on
    kinds = tenv.types(run)
    assert "ActivityTaskTimedOut" not in kinds and "TimerFired" not in kinds
    waited = _stamp(tenv, run, "ActivityTaskStarted") - _stamp(tenv, run, "ActivityTaskScheduled")
    assert waited < 5


def test_a_worker_between_two_calls_still_counts_as_there(tenv: Env) -> None:
    """The worker answers one task and polls again a moment later: an activity scheduled in
    that gap is handed out, not skipped past its schedule-to-start timeout."""
    run = tenv.start()
    tenv.respond(tenv.decision(), schedule("first"))
    first = tenv.activity()
    tenv.swf.respond_activity_task_completed(taskToken=first["taskToken"])
    tenv.respond(  # the worker is not polling now; it answered 'first' a moment ago
        tenv.decision(),
        schedule("second", scheduleToStartTimeout="600"),
        decide("StartTimer", timerId="hour", startToFireTimeout="3600"),
    )
    second = tenv.activity()
    assert second["activityId"] == "second"
    assert "ActivityTaskTimedOut" not in tenv.types(run)


def test_a_worker_started_just_after_its_first_task_still_gets_it(tenv: Env) -> None:
    """Nobody polled the list yet: a new task counts as about to be handed out for
    --skip-pickup (2 s)."""
    run = tenv.start()
    tenv.respond(
        tenv.decision(),
        schedule("a", taskList={"name": "late-workers"}, scheduleToStartTimeout="600"),
        decide("StartTimer", timerId="hour", startToFireTimeout="3600"),
    )
    time.sleep(1.0)  # the worker process is starting
    task = tenv.activity(task_list="late-workers")
    assert task["activityId"] == "a"
    kinds = tenv.types(run)
    assert "ActivityTaskTimedOut" not in kinds and "TimerFired" not in kinds


def test_a_client_that_starts_a_run_then_polls_a_moment_later_gets_its_task(tenv: Env) -> None:
    run = tenv.start(workflow_id="first")
    tenv.respond(tenv.decision(), decide("CompleteWorkflowExecution"))
    time.sleep(0.6)  # the decider's last poll is past the grace
    run = tenv.start(workflow_id="second")
    time.sleep(0.5)  # a slow client: past the quiet period too
    task = tenv.decision()
    assert task["workflowExecution"]["runId"] == run["runId"]
    assert tenv.describe(run)["executionInfo"]["executionStatus"] == "OPEN"


def test_a_scheduled_activity_nobody_polls_for_times_out_in_engine_time(tenv: Env) -> None:
    run = tenv.start()
    tenv.respond(
        tenv.decision(),
        schedule("a", taskList={"name": "no-workers"}, scheduleToStartTimeout="900"),
    )
    wait_for(lambda: _has(tenv, run, "ActivityTaskTimedOut"))
    waited = _stamp(tenv, run, "ActivityTaskTimedOut") - _stamp(tenv, run, "ActivityTaskScheduled")
    assert 900 <= waited < 901


def test_describe_list_and_count_use_the_engine_clock(
    tenv: Env, skipping_engine: LocalEngine
) -> None:
    skipping_engine.skip(2 * HOUR)
    engine_now = skipping_engine.now()
    real_now = datetime.now(timezone.utc)
    assert engine_now - real_now >= timedelta(seconds=2 * HOUR - 5)
    run = tenv.start()
    tenv.respond(tenv.decision(), schedule("hold"))
    tenv.activity()  # worked on (never answered): the clock flows at the real rate meanwhile
    info = tenv.describe(run)
    started = info["executionInfo"]["startTimestamp"]
    assert abs((started - engine_now).total_seconds()) < 5
    assert info["latestActivityTaskTimestamp"] >= started
    after_real_now = {"oldestDate": real_now + timedelta(hours=1)}
    before_real_now = {"oldestDate": real_now - timedelta(hours=1), "latestDate": real_now}
    listed = tenv.swf.list_open_workflow_executions(
        domain=tenv.domain, startTimeFilter=after_real_now
    )["executionInfos"]
    assert [info["execution"]["runId"] for info in listed] == [run["runId"]]
    count = tenv.swf.count_open_workflow_executions(
        domain=tenv.domain, startTimeFilter=before_real_now
    )
    assert count["count"] == 0
    tenv.swf.terminate_workflow_execution(domain=tenv.domain, workflowId=run["workflowId"])
    closed = tenv.swf.list_closed_workflow_executions(
        domain=tenv.domain, closeTimeFilter=after_real_now
    )["executionInfos"]
    assert closed[0]["closeTimestamp"] >= engine_now


def test_skip_fires_a_timer_early_on_an_engine_that_never_skips_by_itself(
    manual_engine: LocalEngine,
) -> None:
    # a quiet period of a day: the clock never jumps on its own, only when told
    env = SkipEnv(manual_engine.client("swf"))
    try:
        run = env.start()
        env.respond(env.decision(), decide("StartTimer", timerId="t", startToFireTimeout="600"))
        time.sleep(0.5)
        assert not _has(env, run, "TimerFired")
        before = manual_engine.now()
        after = manual_engine.skip(900)
        assert timedelta(seconds=899) < after - before < timedelta(seconds=905)
        assert _has(env, run, "TimerFired")  # fired by the time skip() answered
        waited = _stamp(env, run, "TimerFired") - _stamp(env, run, "TimerStarted")
        assert 600 <= waited < 601  # at its own due time, not at the end of the skip
    finally:
        terminate_open_runs(env)


def test_the_engine_says_it_skips_time(skipping_engine: LocalEngine) -> None:
    assert "time skipping" in skipping_engine.output().splitlines()[0]


def test_the_clock_endpoints_answer_json(skipping_engine: LocalEngine) -> None:
    url = skipping_engine.endpoint_url
    with urllib.request.urlopen(f"{url}/_floto/clock") as answer:
        clock = json.loads(answer.read())
    assert clock["timeSkipping"] is True and clock["now"] >= time.time() - 1
    request = urllib.request.Request(
        f"{url}/_floto/clock/skip", data=b'{"seconds": 1}', method="POST"
    )
    with urllib.request.urlopen(request) as answer:
        skipped = json.loads(answer.read())
    assert skipped["now"] - clock["now"] >= 1 and "fired" in skipped
    for method, path, status in [("POST", "clock", 405), ("GET", "nothing", 404)]:
        request = urllib.request.Request(f"{url}/_floto/{path}", data=b"{}", method=method)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request)
        assert caught.value.code == status


@pytest.mark.parametrize("seconds", [-1, float("nan"), float("inf"), "10", True])
def test_skip_refuses_what_is_not_a_duration(skipping_engine: LocalEngine, seconds) -> None:
    with pytest.raises(ValueError, match="seconds must be"):
        skipping_engine.skip(seconds)


def test_without_the_flag_a_timer_takes_real_time_and_skip_is_refused(
    local_engine: LocalEngine, env: Env
) -> None:
    assert abs((local_engine.now() - datetime.now(timezone.utc)).total_seconds()) < 2
    run = env.start()
    env.respond(env.decision(), decide("StartTimer", timerId="t", startToFireTimeout="2"))
    time.sleep(1.0)
    assert not _has(env, run, "TimerFired")
    with pytest.raises(EngineClockError, match="real time"):
        local_engine.skip(10)
    wait_for(lambda: _has(env, run, "TimerFired"), timeout=10)
    waited = _stamp(env, run, "TimerFired") - _stamp(env, run, "TimerStarted")
    assert 2.0 <= waited < 2.5
