"""SWF's rate quotas refuse decisions with a ``*_RATE_EXCEEDED`` cause; floto's decider takes
such a refusal as "later", never as a failure: the refused tasks are sent again when one
back-off timer of the run fires, and the run completes with every activity run exactly once.

The engine here is one of this module's own, with a small schedule rate for a task list (20 at
once, 10 a second) and for timers, so that a fan-out of 200 meets both on every run. It skips
time: the buckets refill and the back-off timers fire on its clock, so a run waits for each
back-off timer on the engine's clock (asserted to the second) but not on the wall clock.
(tests/local/test_quotas.py refills the buckets in real time.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from floto.ids import from_swf_id
from floto.local import LocalEngine
from floto.specs.task import ActivityTask, Timer
from floto.testing import TEST_POLL_WAIT
from floto.wire import is_backoff_timer

RATES = {
    "task-list:ScheduleActivityTask": (20, 10),
    "account:StartTimer": (30, 10),
}


@pytest.fixture(scope="module")
def slow_engine() -> Iterator[LocalEngine]:
    engine = LocalEngine(poll_wait=TEST_POLL_WAIT, rate_limits=RATES, time_skipping=True).start()
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture
def throttled(slow_engine: LocalEngine, scenario_on: Any) -> Any:
    """A scenario (tests/scenarios/conftest.py) on the slow engine (time skipping: its start()
    waits until the decider and workers poll)."""
    return scenario_on(slow_engine)


def test_a_fan_out_of_200_over_a_task_lists_rate_completes_each_activity_once(
    throttled: Any, slow_engine: LocalEngine
) -> None:
    wide = [ActivityTask(name="add", version="1", input={"n": n}) for n in range(200)]
    total = ActivityTask(name="add", version="1", requires=wide)
    throttled.decider(throttled.spec([*wide, total], terminate_decider_after_completion=True))
    throttled.workers(4)
    throttled.start()
    outcome = throttled.wait("run", timeout=180)
    assert outcome.status == "completed", outcome
    assert outcome.result == {total.id_: sum(range(200))}
    refused = outcome.events("ScheduleActivityTaskFailed")
    assert refused and {r["cause"] for r in refused} == {"ACTIVITY_CREATION_RATE_EXCEEDED"}
    scheduled = Counter(e["activityId"] for e in outcome.events("ActivityTaskScheduled"))
    started = Counter(
        scheduled_id
        for scheduled_id in (e["scheduledEventId"] for e in outcome.events("ActivityTaskStarted"))
    )
    assert len(scheduled) == 201 and set(scheduled.values()) == {1}  # each scheduled once ...
    assert len(started) == 201 and set(started.values()) == {1}  # ... and run once
    assert len(outcome.events("ActivityTaskCompleted")) == 201
    assert slow_engine.quotas()["refused"]["task-list:ScheduleActivityTask"] >= len(refused)
    # the refused tasks wait for one back-off timer of the run, not one each (200 timers a
    # wave drained the timer quota in turn: 5,094 events, 3,571 of them refused timers)
    assert not outcome.events("StartTimerFailed")
    assert len(outcome.events("TimerStarted")) < len(outcome.events("DecisionTaskCompleted"))
    # each wave of refused tasks waited for the run's back-off timer (5 s), on the engine's clock
    assert_waited(timer_waits(outcome, is_backoff_timer), 5)


def test_timers_refused_for_the_timer_rate_start_later(throttled: Any) -> None:
    timers = [Timer(id_=f"t{i}", delay_in_seconds=1) for i in range(60)]
    after = ActivityTask(name="add", version="1", input={"n": 1}, requires=timers)
    throttled.decider(throttled.spec([*timers, after], terminate_decider_after_completion=True))
    throttled.workers(1)
    throttled.start()
    outcome = throttled.wait("run", timeout=180)
    assert outcome.status == "completed", outcome
    refused = outcome.events("StartTimerFailed")
    assert refused and {r["cause"] for r in refused} == {"TIMER_CREATION_RATE_EXCEEDED"}
    fired = [t["timerId"] for t in outcome.events("TimerFired")]
    user_timers = {from_swf_id(t) for t in fired} & {t.id_ for t in timers}
    assert user_timers == {t.id_ for t in timers}
    assert len(refused) <= 60  # the 30 the first response could not start, and a wave more
    # the refused timers waited for a back-off timer (5 s), then ran their own full second
    assert_waited(timer_waits(outcome, is_backoff_timer), 5)
    assert_waited(timer_waits(outcome, lambda timer_id: from_swf_id(timer_id) in user_timers), 1)


def timer_waits(outcome: Any, keep: Any) -> list[tuple[float, float]]:
    """(seconds asked, engine-clock seconds from start to firing) of each timer that fired
    whose id (as SWF has it) ``keep`` accepts."""
    started = {e["eventId"]: e for e in outcome.history if e["eventType"] == "TimerStarted"}
    waits = []
    for fired in (e for e in outcome.history if e["eventType"] == "TimerFired"):
        attrs = fired["timerFiredEventAttributes"]
        if keep(attrs["timerId"]):
            start = started[attrs["startedEventId"]]
            asked = float(start["timerStartedEventAttributes"]["startToFireTimeout"])
            took = fired["eventTimestamp"] - start["eventTimestamp"]
            waits.append((asked, took.total_seconds()))
    return waits


def assert_waited(waits: list[tuple[float, float]], asked: float) -> None:
    """Each timer asked for ``asked`` seconds and fired that long after it started, on the
    engine's clock (a little later if the clock was held by work when it fell due)."""
    assert waits
    for wanted, took in waits:
        assert wanted == asked and asked - 0.001 <= took < asked + 1, waits
