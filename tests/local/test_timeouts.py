"""Timers and every timeout fire on their own, at most 0.5 s late, with no client calls."""

from __future__ import annotations

import time

from engine_env import Env, decide, of_type, schedule

LATE = 0.5


def _event(env: Env, run: dict, event_type: str) -> dict:
    return next(e for e in env.history(run) if e["eventType"] == event_type)


def _stamp(event: dict) -> float:
    return event["eventTimestamp"].timestamp()


def test_timer_fires_with_no_client_calls(env: Env) -> None:
    run = env.start()
    env.respond(env.decision(), decide("StartTimer", timerId="t1", startToFireTimeout="1"))
    time.sleep(1.6)  # no calls at all meanwhile
    started, fired = _event(env, run, "TimerStarted"), _event(env, run, "TimerFired")
    assert 1.0 <= _stamp(fired) - _stamp(started) <= 1 + LATE
    assert fired["timerFiredEventAttributes"] == {
        "timerId": "t1",
        "startedEventId": started["eventId"],
    }
    assert env.types(run)[-1] == "DecisionTaskScheduled"


def test_timers_die_with_their_run(env: Env) -> None:
    run = env.start()
    env.respond(env.decision(), decide("StartTimer", timerId="t1", startToFireTimeout="1"))
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="w")
    time.sleep(1.3)
    assert "TimerFired" not in env.types(run)
    assert env.types(run)[-1] == "WorkflowExecutionTerminated"


def test_decision_task_times_out(env: Env) -> None:
    run = env.start(taskStartToCloseTimeout="1")
    env.decision()
    time.sleep(1.6)
    started = _event(env, run, "DecisionTaskStarted")
    timed_out = _event(env, run, "DecisionTaskTimedOut")
    assert 1.0 <= _stamp(timed_out) - _stamp(started) <= 1 + LATE
    assert timed_out["decisionTaskTimedOutEventAttributes"]["timeoutType"] == "START_TO_CLOSE"
    assert env.types(run)[-1] == "DecisionTaskScheduled"


def test_workflow_times_out(env: Env) -> None:
    run = env.start(executionStartToCloseTimeout="1")
    time.sleep(1.6)
    started = _event(env, run, "WorkflowExecutionStarted")
    timed_out = _event(env, run, "WorkflowExecutionTimedOut")
    assert 1.0 <= _stamp(timed_out) - _stamp(started) <= 1 + LATE
    assert env.describe(run)["executionInfo"]["closeStatus"] == "TIMED_OUT"


def _activity_timeout(env: Env, start_it: bool, heartbeat: bool = False, **timeouts: str) -> tuple:
    run = env.start()
    env.respond(env.decision(), schedule("a", **timeouts))
    if start_it:
        task = env.activity()
        if heartbeat:
            time.sleep(0.6)
            env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])
    time.sleep(2.2 if heartbeat else 1.6)
    events = env.history(run)
    timed_out = next(e for e in events if e["eventType"] == "ActivityTaskTimedOut")
    kind = timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"]
    origin = "ActivityTaskStarted" if start_it else "ActivityTaskScheduled"
    since = next(e for e in events if e["eventType"] == origin)
    return kind, _stamp(timed_out) - _stamp(since), events


def test_activity_schedule_to_start_timeout(env: Env) -> None:
    kind, after, _ = _activity_timeout(env, False, scheduleToStartTimeout="1")
    assert kind == "SCHEDULE_TO_START" and 1.0 <= after <= 1 + LATE


def test_activity_schedule_to_close_timeout(env: Env) -> None:
    kind, after, _ = _activity_timeout(env, False, scheduleToCloseTimeout="1")
    assert kind == "SCHEDULE_TO_CLOSE" and 1.0 <= after <= 1 + LATE


def test_activity_start_to_close_timeout(env: Env) -> None:
    kind, after, events = _activity_timeout(env, True, startToCloseTimeout="1")
    assert kind == "START_TO_CLOSE" and 1.0 <= after <= 1 + LATE
    assert events[-1]["eventType"] == "DecisionTaskScheduled"


def test_activity_heartbeat_timeout_counts_from_start_and_last_heartbeat(env: Env) -> None:
    kind, after, events = _activity_timeout(env, True, heartbeat=True, heartbeatTimeout="1")
    assert kind == "HEARTBEAT"
    assert 1.6 <= after <= 1.6 + LATE  # heartbeat at 0.6 s pushed the deadline to 1.6 s
    timed_out = of_type(events, "ActivityTaskTimedOut")[0]
    assert timed_out["startedEventId"] > timed_out["scheduledEventId"]


def test_completing_a_timed_out_activity_is_an_unknown_resource(env: Env) -> None:
    import pytest
    from botocore.exceptions import ClientError

    env.start()
    env.respond(env.decision(), schedule("a", startToCloseTimeout="1"))
    task = env.activity()
    time.sleep(1.3)
    with pytest.raises(ClientError) as caught:
        env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="late")
    assert caught.value.response["Error"]["Code"] == "UnknownResourceFault"
