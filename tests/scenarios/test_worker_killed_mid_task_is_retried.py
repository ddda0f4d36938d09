"""A worker killed with SIGKILL in the middle of a task stops heartbeating; the engine times
the task out on HEARTBEAT, the task's retry strategy schedules it again, a second worker
completes it, and the run completes with that result."""

import datetime as dt
import os
import signal
import time
from pathlib import Path
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
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask


def wait_for_file(path: Path, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"the activity never started ({path} not written in {timeout} s)")


def kill_the_worker_mid_task(scenario, workers: dict[int, Any]) -> tuple[int, dt.datetime]:
    """Wait for the first attempt to start, let it heartbeat, SIGKILL its worker, and skip
    the engine's clock past the heartbeat timeout."""
    victim_pid = int(wait_for_file(scenario.tmp_path / "first-attempt"))
    assert victim_pid in workers, "the first attempt ran outside the test's workers"
    time.sleep(4 * HEARTBEAT_EVERY)  # mid-task: its first heartbeat (0.25 s in) has gone out
    os.kill(victim_pid, signal.SIGKILL)
    killed_at = scenario.env.now()  # the engine's time
    workers[victim_pid].join(5)
    assert workers[victim_pid].exitcode == -signal.SIGKILL
    # The engine would notice the silence HEARTBEAT_TIMEOUT s after the last heartbeat; on
    # its virtual clock, that time passes now.
    scenario.env.skip(HEARTBEAT_TIMEOUT)
    return victim_pid, killed_at


@pytest.mark.time_skipping
def test_a_task_whose_worker_is_killed_times_out_and_is_completed_by_another_worker(scenario):
    register_fault_types(scenario.swf, scenario.domain)
    task = ActivityTask(
        name="stalls_first_time", version="1", input={"dir": str(scenario.tmp_path)},
        task_list=FAULT_WORKERS, retry_strategy=InstantRetry(retries=1),
    )  # fmt: skip
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    pair = [scenario.process(run_fault_worker, scenario.domain, HEARTBEAT_EVERY) for _ in range(2)]
    workers = {process.pid: process for process in pair}
    scenario.start()
    victim_pid, killed_at = kill_the_worker_mid_task(scenario, workers)
    (survivor_pid,) = set(workers) - {victim_pid}

    outcome = scenario.wait("run", timeout=40)
    assert outcome.status == "completed", outcome
    assert outcome.result == {task.id_: {"pid": survivor_pid, "first_attempt_pid": victim_pid}}
    (timed_out,) = outcome.events("ActivityTaskTimedOut")
    assert timed_out["timeoutType"] == "HEARTBEAT"
    scheduled = [e for e in outcome.history if e["eventType"] == "ActivityTaskScheduled"]
    assert [e["activityTaskScheduledEventAttributes"]["activityId"] for e in scheduled] == [
        to_swf_id(task.id_)
    ] * 2
    first, second = (e["eventId"] for e in scheduled)
    assert timed_out["scheduledEventId"] == first
    (completed,) = outcome.events("ActivityTaskCompleted")
    assert completed["scheduledEventId"] == second
    started = {e["scheduledEventId"]: e["identity"] for e in outcome.events("ActivityTaskStarted")}
    assert started[first].endswith(f":{victim_pid}")
    assert started[second].endswith(f":{survivor_pid}")
    assert outcome.events("ActivityTaskFailed") == []

    at = {e["eventId"]: e["eventTimestamp"] for e in outcome.history}
    timed_out_at = next(
        e["eventTimestamp"] for e in outcome.history if e["eventType"] == "ActivityTaskTimedOut"
    )
    assert timed_out_at > killed_at  # the engine noticed the silence only after the kill
    # The victim's heartbeats (the first 0.25 s after its start) pushed the timeout past
    # start + 1 s, where it would be without any.
    assert (timed_out_at - at[timed_out["startedEventId"]]).total_seconds() >= (
        HEARTBEAT_TIMEOUT + 0.2
    )
