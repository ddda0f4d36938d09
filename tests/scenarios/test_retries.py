"""Failures go through the task's retry strategy: instant, delayed (a 10-minute back-off on the
time-skipping engine), or exhausted."""

import pytest
from scenario_activities import REGISTRY

from floto import wire
from floto.specs.retry_strategy import DelayedRetry, InstantRetry
from floto.specs.task import ActivityTask
from floto.testing import RunFailed, assert_ran

pytestmark = pytest.mark.floto_env(registry=REGISTRY, worker_processes=True, workers=1)


def flaky(tmp_path, key, fail_times, strategy):
    spec = {"dir": str(tmp_path), "key": key, "fail_times": fail_times}
    return ActivityTask(name="flaky", version="1", input=spec, retry_strategy=strategy)


def test_a_task_that_fails_twice_succeeds_on_its_third_attempt(floto_env, tmp_path):
    task = flaky(tmp_path, "twice", 2, InstantRetry(retries=2))
    assert floto_env.run([task]) == {task.id_: {"calls": 3}}
    state = floto_env.state()
    assert_ran(state, task, times=3)
    assert [a.outcome.value for a in state.tasks[task.id_].attempts] == [
        "failed", "failed", "completed"
    ]  # fmt: skip


def test_exhausted_retries_fail_the_run_with_the_task_and_its_message(floto_env):
    task = ActivityTask(name="always_fails", version="1", retry_strategy=InstantRetry(retries=1))
    with pytest.raises(RunFailed) as caught:
        floto_env.run([task])
    assert caught.value.reason == f"task {task.id_} failed: ValueError: this activity always fails"
    assert caught.value.failures == {task.id_: "ValueError: this activity always fails"}
    assert_ran(floto_env.state(), task, times=2)


@pytest.mark.floto_env(registry=REGISTRY, worker_processes=True, workers=1, time_skipping=True)
def test_a_delayed_retry_waits_on_an_swf_timer_before_the_next_attempt(floto_env, tmp_path):
    task = flaky(tmp_path, "delayed", 1, DelayedRetry(retries=2, initial_delay_in_seconds=600))
    assert floto_env.run([task]) == {task.id_: {"calls": 2}}
    first, second = floto_env.state().tasks[task.id_].attempts
    assert (second.scheduled_at - first.closed_at).total_seconds() >= 600
    (timer,) = [e["timerStartedEventAttributes"] for e in floto_env.history()
                if e["eventType"] == "TimerStarted"]  # fmt: skip
    assert timer["timerId"] == wire.retry_timer_id(task.id_, 1)
    assert timer["startToFireTimeout"] == "600"
