"""SWF's limits with SWF's error shapes, and decisions that fail as SWF fails them."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from engine_env import Env, decide, of_type, schedule


def _code(caught: pytest.ExceptionInfo) -> str:
    return caught.value.response["Error"]["Code"]


def test_input_over_32768_characters_is_refused(env: Env) -> None:
    with pytest.raises(ClientError) as caught:
        env.start(input="x" * 40_000)
    assert _code(caught) == "ValidationException"
    assert "32768" in caught.value.response["Error"]["Message"]
    env.start(input="x" * 32_768)


def test_result_details_and_reason_limits(env: Env) -> None:
    env.start()
    env.respond(env.decision(), schedule("a"), schedule("b"))
    first, second = env.activity(), env.activity()
    with pytest.raises(ClientError) as caught:
        env.swf.respond_activity_task_completed(taskToken=first["taskToken"], result="r" * 32_769)
    assert _code(caught) == "ValidationException"
    with pytest.raises(ClientError) as caught:
        env.swf.respond_activity_task_failed(taskToken=second["taskToken"], reason="r" * 257)
    assert _code(caught) == "ValidationException"
    with pytest.raises(ClientError) as caught:
        env.swf.respond_activity_task_failed(taskToken=second["taskToken"], details="d" * 32_769)
    assert _code(caught) == "ValidationException"
    env.swf.respond_activity_task_failed(taskToken=second["taskToken"], reason="r" * 256)
    with pytest.raises(ClientError) as caught:
        env.respond(env.decision(), decide("CompleteWorkflowExecution", result="r" * 32_769))
    assert _code(caught) == "ValidationException"


def test_stale_and_unknown_task_tokens(env: Env) -> None:
    env.start()
    task = env.decision()
    env.respond(task)
    for token in (task["taskToken"], "not-a-token"):
        with pytest.raises(ClientError) as caught:
            env.swf.respond_decision_task_completed(taskToken=token)
        assert _code(caught) == "UnknownResourceFault"
        with pytest.raises(ClientError) as caught:
            env.swf.record_activity_task_heartbeat(taskToken=token)
        assert _code(caught) == "UnknownResourceFault"


def test_invalid_decisions_record_failed_events_and_a_new_decision_task(env: Env) -> None:
    run = env.start()
    env.respond(
        env.decision(),
        schedule("a", name="unregistered"),
        decide("StartTimer", timerId="t", startToFireTimeout="60"),
        decide("StartTimer", timerId="t", startToFireTimeout="60"),
    )
    events = env.history(run)
    assert (
        of_type(events, "ScheduleActivityTaskFailed")[0]["cause"] == "ACTIVITY_TYPE_DOES_NOT_EXIST"
    )
    assert of_type(events, "StartTimerFailed")[0]["cause"] == "TIMER_ID_ALREADY_IN_USE"
    assert events[-1]["eventType"] == "DecisionTaskScheduled"


def test_malformed_decisions_are_validation_errors(env: Env) -> None:
    run = env.start()
    task = env.decision()
    for bad in (
        [{"decisionType": "ScheduleActivityTask"}],
        [decide("CompleteWorkflowExecution"), decide("RecordMarker", markerName="m")],
        [{"decisionType": "Nonsense"}],
    ):
        with pytest.raises(ClientError) as caught:
            env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=bad)
        assert _code(caught) == "ValidationException"
    env.respond(task, decide("CompleteWorkflowExecution"))
    assert env.describe(run)["executionInfo"]["closeStatus"] == "COMPLETED"


def test_complete_fails_with_unhandled_decision_after_new_events(env: Env) -> None:
    run = env.start()
    task = env.decision()
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="late")
    env.respond(task, decide("CompleteWorkflowExecution"))
    failed = of_type(env.history(run), "CompleteWorkflowExecutionFailed")[0]
    assert failed["cause"] == "UNHANDLED_DECISION"
    assert env.describe(run)["executionInfo"]["executionStatus"] == "OPEN"
    env.respond(env.decision(), decide("CompleteWorkflowExecution"))
    assert env.describe(run)["executionInfo"]["closeStatus"] == "COMPLETED"


def test_more_than_1000_open_children_fail(env: Env) -> None:
    env.register_workflow("child", defaultTaskList={"name": "children"})
    run = env.start("parent")
    kids = [
        decide(
            "StartChildWorkflowExecution",
            workflowType={"name": "child", "version": "1"},
            workflowId=f"kid-{i}",
        )
        for i in range(1001)
    ]
    env.respond(env.decision(), *kids)
    assert env.describe(run)["openCounts"]["openChildWorkflowExecutions"] == 1000
    failed = of_type(env.history(run), "StartChildWorkflowExecutionFailed")
    assert [f["cause"] for f in failed] == ["OPEN_CHILDREN_LIMIT_EXCEEDED"]


def test_run_over_the_event_limit_is_terminated(menv: Env) -> None:
    env = menv  # on the engine that terminates runs at 50 events
    run = env.start()
    env.respond(env.decision(), *[decide("RecordMarker", markerName="m") for _ in range(60)])
    events = env.history(run)
    assert len(events) == 50
    terminated = of_type(events, "WorkflowExecutionTerminated")[0]
    assert terminated["cause"] == "EVENT_LIMIT_EXCEEDED"
