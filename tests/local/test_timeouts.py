"""Timers and every timeout fire on their own, on time, with no client calls.

Each behaviour is proven on a time-skipping engine of the session: the timer on the one that
jumps its clock to the next due time by itself once idle (``tenv``), the timeouts on the one
whose clock moves only when told (``menv``: ``skip()``, also over a task being worked on,
which would hold the clock at the real rate), so that nothing but the skip fires them. The
interval from origin to firing is then exact on the engine's clock (a skip fires at the due
time itself, to the microsecond; a jump, ``ON_TIME`` at most after it), where real time
allowed 0.5 s; a test takes a moment instead of 1.3-2.2 s of sleep.

Real time keeps its coverage in one test: the timer and all six timeouts are set up together
on the real-time engine, fire in one shared window of about two seconds (not seven windows one
after another), and each is checked to fire 1.0-1.5 s after its origin with no client call.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from engine_env import ON_TIME, Env, decide, of_type, schedule, stamp, wait_for

from floto.local import LocalEngine

LATE = 0.5
"""How late the real-time engine's ticker may fire (at any load)."""


def _event(events: list[dict], event_type: str) -> dict:
    return next(e for e in events if e["eventType"] == event_type)


def _after(events: list[dict], origin: str, fired: str) -> float:
    """Engine seconds from the ``origin`` event to the ``fired`` one."""
    return stamp(events, fired) - stamp(events, origin)


def _exactly(after: float, due: float) -> bool:
    """A skip() fires at the due time itself (timestamps travel rounded to the µs)."""
    return abs(after - due) < 1e-3


def _next_after(events: list[dict], event_type: str) -> str:
    """The type of the event right after the first ``event_type`` one."""
    kinds = [e["eventType"] for e in events]
    return kinds[kinds.index(event_type) + 1]


def _history_with(env: Env, run: dict, event_type: str) -> list[dict]:
    return wait_for(lambda: (events := env.history(run)) and _has(events, event_type) and events)


def _has(events: list[dict], event_type: str) -> bool:
    return any(e["eventType"] == event_type for e in events)


# -- on the engine's virtual clock: exact ----------------------------------------------------
def test_timer_fires_with_no_client_calls(tenv: Env) -> None:
    run = tenv.start()
    tenv.respond(tenv.decision(), decide("StartTimer", timerId="t1", startToFireTimeout="1"))
    events = _history_with(tenv, run, "TimerFired")  # the idle engine jumps to it by itself
    started, fired = _event(events, "TimerStarted"), _event(events, "TimerFired")
    assert 1.0 <= _after(events, "TimerStarted", "TimerFired") <= 1.0 + ON_TIME
    assert fired["timerFiredEventAttributes"] == {
        "timerId": "t1",
        "startedEventId": started["eventId"],
    }
    assert _next_after(events, "TimerFired") == "DecisionTaskScheduled"


def test_timers_die_with_their_run(menv: Env, manual_engine: LocalEngine) -> None:
    run = menv.start()
    menv.respond(menv.decision(), decide("StartTimer", timerId="t1", startToFireTimeout="1"))
    menv.swf.terminate_workflow_execution(domain=menv.domain, workflowId="w")
    manual_engine.skip(2)  # well past the timer's due time
    assert "TimerFired" not in menv.types(run)
    assert menv.types(run)[-1] == "WorkflowExecutionTerminated"


def test_decision_task_times_out(menv: Env, manual_engine: LocalEngine) -> None:
    run = menv.start(taskStartToCloseTimeout="1")
    menv.decision()  # started, never answered
    manual_engine.skip(1)
    events = menv.history(run)
    assert _exactly(_after(events, "DecisionTaskStarted", "DecisionTaskTimedOut"), 1.0)
    timed_out = _event(events, "DecisionTaskTimedOut")
    assert timed_out["decisionTaskTimedOutEventAttributes"]["timeoutType"] == "START_TO_CLOSE"
    assert _next_after(events, "DecisionTaskTimedOut") == "DecisionTaskScheduled"


def test_workflow_times_out(menv: Env, manual_engine: LocalEngine) -> None:
    run = menv.start(executionStartToCloseTimeout="1")
    manual_engine.skip(1)
    events = menv.history(run)
    assert _exactly(_after(events, "WorkflowExecutionStarted", "WorkflowExecutionTimedOut"), 1.0)
    assert menv.describe(run)["executionInfo"]["closeStatus"] == "TIMED_OUT"


def _activity_timeout(
    env: Env, engine: LocalEngine, start_it: bool, **timeouts: str
) -> tuple[str, float, list[dict]]:
    """Schedule activity ``a`` (and start it), skip 1 s: its timeout's kind, how long after
    its origin it fired (engine seconds), the history."""
    run = env.start()
    env.respond(env.decision(), schedule("a", **timeouts))
    if start_it:
        env.activity()
    engine.skip(1)
    events = env.history(run)
    timed_out = _event(events, "ActivityTaskTimedOut")
    kind = timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"]
    origin = "ActivityTaskStarted" if start_it else "ActivityTaskScheduled"
    return kind, _after(events, origin, "ActivityTaskTimedOut"), events


def test_activity_schedule_to_start_timeout(menv: Env, manual_engine: LocalEngine) -> None:
    kind, after, _ = _activity_timeout(menv, manual_engine, False, scheduleToStartTimeout="1")
    assert kind == "SCHEDULE_TO_START" and _exactly(after, 1.0)


def test_activity_schedule_to_close_timeout(menv: Env, manual_engine: LocalEngine) -> None:
    kind, after, _ = _activity_timeout(menv, manual_engine, False, scheduleToCloseTimeout="1")
    assert kind == "SCHEDULE_TO_CLOSE" and _exactly(after, 1.0)


def test_activity_start_to_close_timeout(menv: Env, manual_engine: LocalEngine) -> None:
    kind, after, events = _activity_timeout(menv, manual_engine, True, startToCloseTimeout="1")
    assert kind == "START_TO_CLOSE" and _exactly(after, 1.0)
    assert _next_after(events, "ActivityTaskTimedOut") == "DecisionTaskScheduled"


def test_activity_heartbeat_timeout_counts_from_start_and_last_heartbeat(
    menv: Env, manual_engine: LocalEngine
) -> None:
    run = menv.start()
    menv.respond(menv.decision(), schedule("a", heartbeatTimeout="10"))
    task = menv.activity()
    manual_engine.skip(6)  # 6 s of the 10: still alive
    beat_from = manual_engine.now().timestamp()
    menv.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])
    beat_by = manual_engine.now().timestamp()
    manual_engine.skip(10)
    events = menv.history(run)
    timed_out = of_type(events, "ActivityTaskTimedOut")[0]
    assert timed_out["timeoutType"] == "HEARTBEAT"
    fired = stamp(events, "ActivityTaskTimedOut")
    assert fired - stamp(events, "ActivityTaskStarted") >= 16  # not 10 s after the start...
    assert beat_from + 10 - 1e-3 <= fired <= beat_by + 10 + 1e-3  # ...but 10 s after the beat
    assert timed_out["startedEventId"] > timed_out["scheduledEventId"]


def test_completing_a_timed_out_activity_is_an_unknown_resource(
    menv: Env, manual_engine: LocalEngine
) -> None:
    menv.start()
    menv.respond(menv.decision(), schedule("a", startToCloseTimeout="1"))
    task = menv.activity()
    manual_engine.skip(1)
    with pytest.raises(ClientError) as caught:
        menv.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="late")
    assert caught.value.response["Error"]["Code"] == "UnknownResourceFault"


# -- on real time: every kind in one shared window -------------------------------------------
def _run_on(env: Env, name: str, **kwargs: Any) -> dict:
    """A run whose decision tasks go to a task list of its own, named ``name``."""
    return env.start(name, taskList={"name": name}, **kwargs)


def _activity_on(env: Env, name: str, **timeouts: str) -> dict:
    """A run that scheduled activity ``a`` on a task list of its own, named ``name``."""
    run = _run_on(env, name)
    env.respond(env.decision(name), schedule("a", taskList={"name": name}, **timeouts))
    return run


def _set_up_together(env: Env) -> tuple[dict[str, tuple[dict, str, str, str]], float, float]:
    """Every timer and timeout kind at once, each fired by the engine alone (due 1 s after its
    origin): ``{name: (run, origin event, fired event, timeoutType)}`` and the real-time span
    of the heartbeat (sent 0.6 s after its activity started)."""
    runs: dict[str, tuple[dict, str, str, str]] = {}
    run = _run_on(env, "timer")
    env.respond(env.decision("timer"), decide("StartTimer", timerId="t1", startToFireTimeout="1"))
    runs["timer"] = (run, "TimerStarted", "TimerFired", "")
    run = _run_on(env, "decision", taskStartToCloseTimeout="1")
    env.decision("decision")
    runs["decision"] = (run, "DecisionTaskStarted", "DecisionTaskTimedOut", "START_TO_CLOSE")
    run = _run_on(env, "workflow", executionStartToCloseTimeout="1")
    runs["workflow"] = (run, "WorkflowExecutionStarted", "WorkflowExecutionTimedOut", "")
    run = _activity_on(env, "to-start", scheduleToStartTimeout="1")
    runs["to-start"] = (run, "ActivityTaskScheduled", "ActivityTaskTimedOut", "SCHEDULE_TO_START")
    run = _activity_on(env, "to-close", scheduleToCloseTimeout="1")
    runs["to-close"] = (run, "ActivityTaskScheduled", "ActivityTaskTimedOut", "SCHEDULE_TO_CLOSE")
    run = _activity_on(env, "start-to-close", startToCloseTimeout="1")
    env.activity("start-to-close")
    runs["start-to-close"] = (run, "ActivityTaskStarted", "ActivityTaskTimedOut", "START_TO_CLOSE")
    run = _activity_on(env, "heartbeat", heartbeatTimeout="1")
    task = env.activity("heartbeat")
    time.sleep(0.6)
    beat_from = time.time()  # the real-time engine's clock is this machine's
    env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])
    beat_by = time.time()
    runs["heartbeat"] = (run, "ActivityTaskStarted", "ActivityTaskTimedOut", "HEARTBEAT")
    return runs, beat_from, beat_by


def test_on_real_time_the_timer_and_every_timeout_fire_on_time_with_no_client_calls(
    env: Env,
) -> None:
    runs, beat_from, beat_by = _set_up_together(env)
    # nothing but reads from here on
    fired = {
        name: _history_with(env, run, fired_type)
        for name, (run, _origin, fired_type, _kind) in runs.items()
    }
    for name, (_run, origin, fired_type, kind) in runs.items():
        events = fired[name]
        if kind:
            attrs = next(iter(of_type(events, fired_type)))
            assert attrs["timeoutType"] == kind, name
        if name == "heartbeat":
            at = stamp(events, fired_type)
            assert _after(events, origin, fired_type) >= 1.6  # not 1 s after the start...
            assert beat_from + 1 <= at <= beat_by + 1 + LATE  # ...but 1 s after the heartbeat
        else:
            assert 1.0 <= _after(events, origin, fired_type) <= 1 + LATE, name
    assert _next_after(fired["timer"], "TimerFired") == "DecisionTaskScheduled"
    assert _next_after(fired["decision"], "DecisionTaskTimedOut") == "DecisionTaskScheduled"
    assert env.describe(runs["workflow"][0])["executionInfo"]["closeStatus"] == "TIMED_OUT"
