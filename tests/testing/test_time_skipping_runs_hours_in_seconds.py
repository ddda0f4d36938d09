"""Under time skipping, hours of timers, back-offs and timeouts pass in moments of wall time
(bench/bench_time_skipping.py prints how long), on the engine's clock as on SWF's; and a run's
per-task outcomes are those of the same run on real time."""

from __future__ import annotations

import uuid

import pytest
from testing_activities import REGISTRY

from floto.history import WorkflowStatus
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import DelayedRetry, InstantRetry
from floto.specs.task import ActivityTask, Timer
from floto.testing import RunFailed, assert_ran, assert_ran_in_order

pytestmark = pytest.mark.floto_env(registry=REGISTRY, time_skipping=True)
HOUR = 3600


def seconds(later, earlier) -> float:
    return (later - earlier).total_seconds()


def test_the_seed_hourly_repeat_runs_three_times_with_an_hour_between_starts(floto_env):
    # The seed README's "repeated workflow execution" delay: the run is not complete before
    # timer_3600 fires, an hour after it started; then it continues as new.
    a = ActivityTask(name="add", version="1", input={"n": 1})
    b = ActivityTask(name="add", version="1", requires=[a])
    timer_3600 = Timer(id_="timer_3600", delay_in_seconds=HOUR)
    spec = DeciderSpec(domain=floto_env.domain, activity_tasks=[a, b, timer_3600],
                       repeat_workflow=True)  # fmt: skip
    launched = floto_env.launch(spec, workflow_id="hourly")
    runs = [floto_env.wait(launched)]
    while len(runs) < 3:
        runs.append(floto_env.wait("hourly", runs[-1].new_run_id))
    for state in runs:
        assert state.status is WorkflowStatus.CONTINUED_AS_NEW
        assert state.result == {b.id_: 1}
        assert_ran_in_order(state, a, b)
        assert seconds(state.closed_at, state.started_at) >= HOUR
    assert [r.continued_from for r in runs[1:]] == [r.run_id for r in runs[:2]]
    assert seconds(runs[2].closed_at, runs[0].started_at) >= 3 * HOUR


def test_an_hour_timer_a_ten_minute_back_off_and_a_half_hour_run_timeout(floto_env):
    key = uuid.uuid4().hex
    hour = Timer(id_="hour", delay_in_seconds=HOUR)
    flaky = ActivityTask(
        "fails_until",
        "1",
        id_="flaky",
        input={"key": key, "times": 1},
        requires=[hour],
        retry_strategy=DelayedRetry(retries=2, initial_delay_in_seconds=600),
    )
    assert floto_env.run([hour, flaky]) == {"flaky": 2}  # fmt: skip
    state = floto_env.state()
    assert_ran(state, flaky, times=2)
    assert seconds(state.tasks["hour"].closed_at, state.started_at) >= HOUR
    first, second = state.tasks["flaky"].attempts
    assert seconds(second.scheduled_at, first.closed_at) >= 600
    assert seconds(state.closed_at, state.started_at) >= HOUR + 600

    with pytest.raises(RunFailed) as caught:
        floto_env.run([Timer(id_="two_hours", delay_in_seconds=2 * HOUR)], execution_timeout=1800)
    assert caught.value.status == "timed_out"
    timed_out = floto_env.state()
    assert 1800 <= seconds(timed_out.closed_at, timed_out.started_at) < 2 * HOUR


def test_skip_moves_the_clock_on_demand(floto_env):
    before = floto_env.now()
    after = floto_env.skip(600)
    assert seconds(after, before) >= 600
    assert floto_env.now() >= after


def outcomes(state) -> dict[str, tuple]:
    """Per task: status, result and each attempt's outcome (what must not depend on time)."""
    return {task_id: (ts.status, ts.result, [a.outcome for a in ts.attempts])
            for task_id, ts in state.tasks.items()}  # fmt: skip


def member(i: int, key: str) -> ActivityTask:
    """An activity of the 200: every 25th fails once, then retries (instantly, or after a 2 s
    back-off); the others add."""
    if i % 25 != 3:
        return ActivityTask("add", "1", id_=f"t{i}", input={"n": i})
    back_off = i % 50 == 3
    strategy = DelayedRetry(retries=2, initial_delay_in_seconds=2) if back_off else None
    return ActivityTask(
        "fails_until", "1", id_=f"t{i}", input={"key": f"{key}-{i}", "times": 1},
        retry_strategy=strategy or InstantRetry(retries=2),
    )  # fmt: skip


def two_hundred_tasks(key: str) -> list[ActivityTask]:
    """20 groups of 9 activities, each fanned into a tenth that adds their results."""
    tasks: list[ActivityTask] = []
    for group in range(20):
        members = [member(i, key) for i in range(group * 10, group * 10 + 9)]
        sink = ActivityTask("add", "1", id_=f"t{group * 10 + 9}", requires=members)
        tasks += [*members, sink]
    return tasks


def test_two_hundred_activities_end_the_same_with_and_without_time_skipping(floto_env_factory):
    states = []
    for skipping in (False, True):
        env = floto_env_factory(registry=REGISTRY, workers=2, time_skipping=skipping)
        result = env.run(two_hundred_tasks(uuid.uuid4().hex), timeout=300)
        assert sorted(result) == sorted(f"t{g * 10 + 9}" for g in range(20))
        states.append(env.state())
    real, skipped = states
    assert len(real.tasks) == len(skipped.tasks) == 200
    assert outcomes(skipped) == outcomes(real)
    assert sum(len(ts.attempts) for ts in real.tasks.values()) == 200 + 8  # 8 retried once
