"""SWF's rate quotas refuse decisions with a ``*_RATE_EXCEEDED`` cause; floto's decider takes
such a refusal as "later", never as a failure: the refused tasks are sent again when one
back-off timer of the run fires, and the run completes with every activity run exactly once.

The engine here is one of this module's own, with a small schedule rate for a task list (20 at
once, 10 a second) and for timers, so that a fan-out of 200 meets both on every run.
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

RATES = {
    "task-list:ScheduleActivityTask": (20, 10),
    "account:StartTimer": (30, 10),
}


@pytest.fixture(scope="module")
def slow_engine() -> Iterator[LocalEngine]:
    engine = LocalEngine(poll_wait=TEST_POLL_WAIT, rate_limits=RATES).start()
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture
def throttled(slow_engine: LocalEngine, scenario_on: Any) -> Any:
    """A scenario (tests/scenarios/conftest.py) on the slow engine."""
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
