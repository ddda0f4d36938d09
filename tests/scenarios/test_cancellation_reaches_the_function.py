"""A running activity learns that its run no longer wants it (floto.cancel_requested()) and
stops early: a sibling failing under fail_fast, a cancellation request, a termination, and a
terminated parent all reach it through its heartbeats."""

from __future__ import annotations

import logging
import time

import pytest
from scenario_activities import REGISTRY

from floto import wire
from floto.api import UnknownResourceError
from floto.specs.task import ActivityTask, ChildWorkflow
from floto.worker import ActivityWorker

WORK_SECONDS = 30  # what the activity would take without a cancellation


def _heartbeating_worker(domain: str, task_list: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    ActivityWorker(domain, task_list, heartbeat_in_seconds=0.3, registry=REGISTRY).run()


def patient(scenario, key: str) -> ActivityTask:
    spec = {"seconds": WORK_SECONDS, "dir": str(scenario.tmp_path), "key": key}
    return ActivityTask("patient", "1", id_=key, input=spec)


def stopped_after(scenario, key: str, timeout: float = 15) -> float:
    """Seconds the activity ran before it stopped (waits for it to stop)."""
    marker = scenario.tmp_path / f"{key}.stopped"
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert time.monotonic() < deadline, f"{key} did not stop within {timeout} s"
        time.sleep(0.1)
    return float(marker.read_text())


def wait_started(scenario, workflow_id: str, timeout: float = 15) -> None:
    """Wait until the run ``workflow_id`` (which may not exist yet) started an activity."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            history = scenario.history(workflow_id)
        except UnknownResourceError:  # a child not started yet
            history = []
        if any(e["eventType"] == "ActivityTaskStarted" for e in history):
            return
        assert time.monotonic() < deadline, "the activity never started"
        time.sleep(0.1)


def workers(scenario, count: int = 2) -> None:
    for _ in range(count):
        scenario.process(_heartbeating_worker, scenario.domain, "workers")


def test_a_sibling_failing_under_fail_fast_stops_a_long_activity(scenario):
    long = patient(scenario, "long")
    warm = ActivityTask("sleep", "1", id_="warm", input={"seconds": 0.5})
    bad = ActivityTask("always_fails", "1", id_="bad", requires=[warm])
    scenario.decider(scenario.spec([long, warm, bad], failure_policy="fail_fast"))
    workers(scenario)
    scenario.start("fast")
    assert scenario.wait("fast").status == "failed"
    assert stopped_after(scenario, "long") < WORK_SECONDS / 2


@pytest.mark.parametrize("how", ["cancel", "terminate"])
def test_a_cancel_request_or_a_termination_stops_a_long_activity(scenario, how):
    scenario.decider(scenario.spec([patient(scenario, "long")]))
    workers(scenario, 1)
    scenario.start("stopped")
    wait_started(scenario, "stopped")
    if how == "cancel":  # what `floto cancel` calls
        scenario.swf.request_cancel_workflow_execution(scenario.domain, "stopped")
        assert stopped_after(scenario, "long") < WORK_SECONDS / 2
        assert scenario.history("stopped")[-1]["eventType"] == "WorkflowExecutionCanceled"
        return
    else:  # `floto terminate`, the notebook's Terminate
        scenario.swf.terminate_workflow_execution(scenario.domain, "stopped", reason="enough")
    assert stopped_after(scenario, "long") < WORK_SECONDS / 2


def test_a_terminated_parent_stops_its_childs_long_activity(scenario):
    scenario.workflow_type("child", task_list="child_deciders")
    child = ChildWorkflow(workflow_type_name="child", workflow_type_version="1",
                          task_list="child_deciders", id_="child")  # fmt: skip
    scenario.decider(scenario.spec([child]))
    scenario.decider(scenario.spec([patient(scenario, "inner")], task_list="child_deciders"))
    workers(scenario, 1)
    scenario.start("parent")
    wait_started(scenario, wire.child_workflow_id("parent", "child"))  # the child's activity
    scenario.swf.terminate_workflow_execution(scenario.domain, "parent", reason="enough")
    assert stopped_after(scenario, "inner") < WORK_SECONDS / 2
