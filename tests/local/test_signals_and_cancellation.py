"""Signals, external signals, activity and run cancellation, ContinueAsNew, markers, timers."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from engine_env import Env, decide, of_type, schedule


def test_signal_with_and_without_input(env: Env) -> None:
    run = env.start()
    env.swf.signal_workflow_execution(
        domain=env.domain, workflowId="w", signalName="a", input="payload"
    )
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="b")
    signals = of_type(env.history(run), "WorkflowExecutionSignaled")
    assert signals == [{"signalName": "a", "input": "payload"}, {"signalName": "b"}]


def test_signal_external_workflow_execution(env: Env) -> None:
    target = env.start("target")
    env.respond(env.decision())
    source = env.start("source")
    env.respond(
        env.decision(),
        decide(
            "SignalExternalWorkflowExecution", workflowId="target", signalName="hello", input="x"
        ),
        decide("SignalExternalWorkflowExecution", workflowId="ghost", signalName="s"),
    )
    received = of_type(env.history(target), "WorkflowExecutionSignaled")[0]
    assert received["signalName"] == "hello" and received["input"] == "x"
    assert received["externalWorkflowExecution"] == source
    events = env.history(source)
    assert of_type(events, "ExternalWorkflowExecutionSignaled")[0]["workflowExecution"] == target
    failed = of_type(events, "SignalExternalWorkflowExecutionFailed")[0]
    assert failed["cause"] == "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"


def test_request_cancel_activity_task(env: Env) -> None:
    run = env.start()
    env.respond(env.decision(), schedule("running"), schedule("waiting", taskList={"name": "x"}))
    task = env.activity()
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="stop")
    env.respond(
        env.decision(),
        decide("RequestCancelActivityTask", activityId="running"),
        decide("RequestCancelActivityTask", activityId="waiting"),
        decide("RequestCancelActivityTask", activityId="unknown"),
    )
    beat = env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])
    assert beat["cancelRequested"] is True
    env.swf.respond_activity_task_canceled(taskToken=task["taskToken"], details="stopped")
    events = env.history(run)
    canceled = of_type(events, "ActivityTaskCanceled")
    assert len(canceled) == 2 and canceled[1]["details"] == "stopped"
    assert all(c["latestCancelRequestedEventId"] for c in canceled)
    failed = of_type(events, "RequestCancelActivityTaskFailed")[0]
    assert failed["cause"] == "ACTIVITY_ID_UNKNOWN"


def test_heartbeat_without_cancellation(env: Env) -> None:
    env.start()
    env.respond(env.decision(), schedule("a"))
    task = env.activity()
    beat = env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="50%")
    assert beat["cancelRequested"] is False


def test_request_cancel_workflow_execution(env: Env) -> None:
    run = env.start()
    env.respond(env.decision())
    env.swf.request_cancel_workflow_execution(domain=env.domain, workflowId="w")
    assert env.describe(run)["executionInfo"]["cancelRequested"] is True
    task = env.decision()
    assert task["events"][-3]["eventType"] == "WorkflowExecutionCancelRequested"
    env.respond(task, decide("CancelWorkflowExecution", details="ok"))
    assert env.describe(run)["executionInfo"]["closeStatus"] == "CANCELED"
    with pytest.raises(ClientError) as caught:
        env.swf.request_cancel_workflow_execution(domain=env.domain, workflowId="w")
    assert caught.value.response["Error"]["Code"] == "UnknownResourceFault"


def test_continue_as_new(env: Env) -> None:
    first = env.start(tagList=["t"])
    env.respond(env.decision(), decide("ContinueAsNewWorkflowExecution", input="next"))
    continued = of_type(env.history(first), "WorkflowExecutionContinuedAsNew")[0]
    assert env.describe(first)["executionInfo"]["closeStatus"] == "CONTINUED_AS_NEW"
    second = {"workflowId": "w", "runId": continued["newExecutionRunId"]}
    started = of_type(env.history(second), "WorkflowExecutionStarted")[0]
    assert started["continuedExecutionRunId"] == first["runId"]
    assert started["input"] == "next" and started["tagList"] == ["t"]
    task = env.decision()
    assert task["workflowExecution"] == second and task["previousStartedEventId"] == 0


def test_record_marker_and_cancel_timer(env: Env) -> None:
    run = env.start()
    env.respond(
        env.decision(),
        decide("RecordMarker", markerName="m", details=""),
        decide("StartTimer", timerId="t", startToFireTimeout="60"),
        decide("StartTimer", timerId="t", startToFireTimeout="60"),
    )
    env.respond(
        env.decision(), decide("CancelTimer", timerId="t"), decide("CancelTimer", timerId="t")
    )
    events = env.history(run)
    assert of_type(events, "MarkerRecorded")[0] == {
        "markerName": "m",
        "details": "",
        "decisionTaskCompletedEventId": 4,
    }
    assert of_type(events, "StartTimerFailed")[0]["cause"] == "TIMER_ID_ALREADY_IN_USE"
    canceled = of_type(events, "TimerCanceled")[0]
    assert canceled["timerId"] == "t" and canceled["startedEventId"] == 6
    assert of_type(events, "CancelTimerFailed")[0]["cause"] == "TIMER_ID_UNKNOWN"
    assert "TimerCancelled" not in env.types(run)
    assert env.describe(run)["openCounts"]["openTimers"] == 0
