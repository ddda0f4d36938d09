"""A 3 s activity under a 1 s heartbeat timeout completes when its worker heartbeats every
0.25 s, and times out on HEARTBEAT when the worker sends none (the control case)."""

import time
from typing import Any

import pytest
from fault_activities import (
    FAULT_WORKERS,
    HEARTBEAT_EVERY,
    HEARTBEAT_TIMEOUT,
    register_fault_types,
    run_fault_worker,
)

from floto.ids import to_swf_id
from floto.specs.task import ActivityTask

RUN_SECONDS = 3 * HEARTBEAT_TIMEOUT


def long_task() -> ActivityTask:
    return ActivityTask(
        name="long_running", version="1", input={"seconds": RUN_SECONDS}, task_list=FAULT_WORKERS
    )


def start_long_run(scenario, heartbeat_in_seconds: float) -> tuple[ActivityTask, Any]:
    register_fault_types(scenario.swf, scenario.domain)
    task = long_task()
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    worker = scenario.process(run_fault_worker, scenario.domain, heartbeat_in_seconds)
    scenario.start()
    return task, worker


def test_the_activity_type_really_has_a_1s_heartbeat_timeout(scenario):
    register_fault_types(scenario.swf, scenario.domain)
    described = scenario.swf.client.describe_activity_type(
        domain=scenario.domain, activityType={"name": "long_running", "version": "1"}
    )
    assert described["configuration"]["defaultTaskHeartbeatTimeout"] == "1"


def test_heartbeats_every_quarter_second_keep_a_3s_activity_alive_under_a_1s_timeout(scenario):
    task, worker = start_long_run(scenario, heartbeat_in_seconds=HEARTBEAT_EVERY)
    outcome = scenario.wait("run", timeout=40)
    assert outcome.status == "completed", outcome
    assert outcome.result == {task.id_: {"ran_seconds": RUN_SECONDS, "pid": worker.pid}}
    assert outcome.events("ActivityTaskTimedOut") == []
    (started,) = [e for e in outcome.history if e["eventType"] == "ActivityTaskStarted"]
    (completed,) = [e for e in outcome.history if e["eventType"] == "ActivityTaskCompleted"]
    ran = (completed["eventTimestamp"] - started["eventTimestamp"]).total_seconds()
    assert ran >= RUN_SECONDS >= 3 * HEARTBEAT_TIMEOUT  # it outlived 3 timeouts, by heartbeats


@pytest.mark.time_skipping
def test_without_heartbeats_the_same_activity_times_out_on_heartbeat(scenario):
    task, _ = start_long_run(scenario, heartbeat_in_seconds=0)
    deadline = time.monotonic() + 20
    while not any(e["eventType"] == "ActivityTaskStarted" for e in scenario.history("run")):
        assert time.monotonic() < deadline, "the activity never started"
        time.sleep(0.05)
    scenario.env.skip(HEARTBEAT_TIMEOUT)  # the silent worker's 1 s passes on the engine's clock
    outcome = scenario.wait("run", timeout=40)
    (timed_out,) = outcome.events("ActivityTaskTimedOut")
    assert timed_out["timeoutType"] == "HEARTBEAT"
    (scheduled,) = outcome.events("ActivityTaskScheduled")
    assert scheduled["activityId"] == to_swf_id(task.id_)
    assert outcome.status == "failed"  # no retry strategy: the timeout fails the run
    assert task.id_ in outcome.reason and "HEARTBEAT" in outcome.reason
    assert outcome.events("ActivityTaskCompleted") == []
