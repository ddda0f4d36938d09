"""Failures go through the task's retry strategy: instant, delayed, or exhausted."""

from floto import wire
from floto.specs.retry_strategy import DelayedRetry, InstantRetry
from floto.specs.task import ActivityTask


def flaky(scenario, key, fail_times, strategy):
    spec = {"dir": str(scenario.tmp_path), "key": key, "fail_times": fail_times}
    return ActivityTask(name="flaky", version="1", input=spec, retry_strategy=strategy)


def test_a_task_that_fails_twice_succeeds_on_its_third_attempt(scenario):
    task = flaky(scenario, "twice", 2, InstantRetry(retries=2))
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome
    assert outcome.result == {task.id_: {"calls": 3}}
    assert len(outcome.events("ActivityTaskFailed")) == 2
    assert len(outcome.events("ActivityTaskScheduled")) == 3


def test_exhausted_retries_fail_the_run_with_the_task_and_its_message(scenario):
    task = ActivityTask(name="always_fails", version="1", retry_strategy=InstantRetry(retries=1))
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "failed"
    assert outcome.reason == f"task {task.id_} failed: ValueError: this activity always fails"
    assert outcome.details == {task.id_: "ValueError: this activity always fails"}
    assert len(outcome.events("ActivityTaskScheduled")) == 2


def test_a_delayed_retry_waits_on_an_swf_timer_before_the_next_attempt(scenario):
    task = flaky(scenario, "delayed", 1, DelayedRetry(retries=2, initial_delay_in_seconds=2))
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome
    (timer,) = outcome.events("TimerStarted")
    assert timer["timerId"] == wire.retry_timer_id(task.id_, 1)
    assert timer["startToFireTimeout"] == "2"
    events = {e["eventType"]: e for e in outcome.history}
    failed_at = events["ActivityTaskFailed"]["eventTimestamp"]
    scheduled = [e for e in outcome.history if e["eventType"] == "ActivityTaskScheduled"]
    assert (scheduled[1]["eventTimestamp"] - failed_at).total_seconds() >= 2
