"""Daemon: a signal with a decider spec starts a child workflow, decided by a child process."""

import json
import time

from floto.decider import CHILD_WORKFLOW_TYPE, Daemon
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask


def _signal(scenario, value):
    scenario.swf.signal_workflow_execution(
        scenario.domain, "floto_daemon", "startChildWorkflowExecution", input=value
    )


def test_a_signal_with_a_spec_starts_a_child_that_its_own_decider_completes(scenario):
    scenario.workflow_type("floto_daemon_type", task_list="floto_daemon")
    scenario.decider(None, cls=lambda _: Daemon(scenario.domain, "floto_daemon"))
    scenario.workers(1)
    scenario.start("floto_daemon", workflow_type="floto_daemon_type", task_list="floto_daemon")
    task = ActivityTask(name="zero", version="1")
    spec = DeciderSpec(domain=scenario.domain, default_activity_task_list="workers",
                       activity_tasks=[task])  # fmt: skip
    _signal(scenario, "not json at all")
    _signal(scenario, {"decider_spec": spec})  # the README's form: the spec object itself
    _signal(scenario, {"decider_spec": spec.to_json(), "workflow_type_name": "wf",
                       "workflow_type_version": "1"})  # fmt: skip
    children = _wait_for_children(scenario, 2)
    for child in children:
        outcome = scenario.wait(child["workflowId"], child["runId"])
        assert outcome.status == "completed"
        assert outcome.result == {task.id_: 0}
    types = sorted(scenario.history(c["workflowId"])[0]["workflowExecutionStartedEventAttributes"]
                   ["workflowType"]["name"] for c in children)  # fmt: skip
    assert types == sorted([CHILD_WORKFLOW_TYPE[0], "wf"])
    daemon = scenario.history("floto_daemon")
    assert daemon[-1]["eventType"] != "WorkflowExecutionCompleted"
    markers = [e for e in daemon if e["eventType"] == "MarkerRecorded"]
    assert [m["markerRecordedEventAttributes"]["markerName"] for m in markers] == [
        "floto.signal_rejected"
    ]
    initiated = [e for e in daemon if e["eventType"] == "StartChildWorkflowExecutionInitiated"]
    assert len(initiated) == 2  # each signal acted on exactly once
    scenario.swf.terminate_workflow_execution(scenario.domain, "floto_daemon")


def test_a_restarted_daemon_decides_the_children_its_crashed_predecessor_left_running(scenario):
    # The crashed daemon's last poll is still open in the engine: the decision task the new
    # daemon's wake-up signal brings goes to it and times out (as on SWF) before the new
    # daemon gets it. 2 s, not the scenarios' 5 s: the daemon's decisions take milliseconds.
    scenario.workflow_type("floto_daemon_type", task_list="floto_daemon", decision_timeout=2)
    daemon = scenario.decider(None, cls=lambda _: Daemon(scenario.domain, "floto_daemon"))
    scenario.workers(1)
    scenario.start("floto_daemon", workflow_type="floto_daemon_type", task_list="floto_daemon")
    slow = ActivityTask(name="sleep", version="1", input={"seconds": 3})
    last = ActivityTask(name="zero", version="1", requires=[slow])
    spec = DeciderSpec(domain=scenario.domain, default_activity_task_list="workers",
                       activity_tasks=[slow, last])  # fmt: skip
    _signal(scenario, {"decider_spec": spec})
    (child,) = _wait_for_children(scenario, 1)
    daemon.kill()  # crashes while the child's first activity runs; its child decider quits
    daemon.join()
    scenario.decider(None, cls=lambda _: Daemon(scenario.domain, "floto_daemon"))
    outcome = scenario.wait(child["workflowId"], child["runId"])
    assert outcome.status == "completed"
    assert outcome.result == {last.id_: 0}
    signals = [e["workflowExecutionSignaledEventAttributes"]["signalName"]
               for e in scenario.history("floto_daemon")
               if e["eventType"] == "WorkflowExecutionSignaled"]  # fmt: skip
    assert signals.count("startChildWorkflowExecution") == 1
    assert signals[-1] == "floto.daemon_started"  # what woke the daemon run after the restart
    scenario.swf.terminate_workflow_execution(scenario.domain, "floto_daemon")


def test_a_signal_nested_too_deep_is_rejected_and_the_daemon_run_stays_open(scenario):
    # issue 12, hole 1: this 20 KB signal closed the daemon run as FAILED (RecursionError)
    scenario.workflow_type("floto_daemon_type", task_list="floto_daemon")
    scenario.decider(None, cls=lambda _: Daemon(scenario.domain, "floto_daemon"))
    scenario.workers(1)
    scenario.start("floto_daemon", workflow_type="floto_daemon_type", task_list="floto_daemon")
    scenario.swf.signal_workflow_execution(
        scenario.domain, "floto_daemon", "startChildWorkflowExecution",
        input="[" * 10_000 + "]" * 10_000,
    )  # fmt: skip
    task = ActivityTask(name="zero", version="1")
    spec = DeciderSpec(domain=scenario.domain, default_activity_task_list="workers",
                       activity_tasks=[task])  # fmt: skip
    _signal(scenario, {"decider_spec": spec})  # the next signal is still acted on
    (child,) = _wait_for_children(scenario, 1)
    assert scenario.wait(child["workflowId"], child["runId"]).status == "completed"
    daemon = scenario.history("floto_daemon")
    markers = [e["markerRecordedEventAttributes"] for e in daemon
               if e["eventType"] == "MarkerRecorded"]  # fmt: skip
    assert [m["markerName"] for m in markers] == ["floto.signal_rejected"]
    assert json.loads(markers[0]["details"])["error"] == (
        "input: nests arrays and objects deeper than floto's limit of 128 levels"
    )
    info = scenario.swf.describe_workflow_execution(scenario.domain, "floto_daemon")
    assert info["executionInfo"]["executionStatus"] == "OPEN"
    assert not [e for e in daemon if e["eventType"] == "WorkflowExecutionFailed"]
    scenario.swf.terminate_workflow_execution(scenario.domain, "floto_daemon")


def _wait_for_children(scenario, count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = [
            e["childWorkflowExecutionStartedEventAttributes"]["workflowExecution"]
            for e in scenario.history("floto_daemon")
            if e["eventType"] == "ChildWorkflowExecutionStarted"
        ]
        if len(started) >= count:
            return started
        time.sleep(0.2)
    raise AssertionError("the daemon did not start its children")
