"""Child workflows: parent events, parent links, every way a child closes, child policies."""

from __future__ import annotations

import pytest
from engine_env import Env, decide, of_type

from floto.local import LocalEngine


@pytest.fixture
def family(env: Env) -> Env:
    env.register_workflow("child", defaultTaskList={"name": "children"})
    return env


@pytest.fixture
def tfamily(tenv: Env) -> Env:
    """``family`` on the time-skipping engine, for the tests that wait for a timeout."""
    tenv.register_workflow("child", defaultTaskList={"name": "children"})
    return tenv


def _start_child(env: Env, child_id: str = "kid", **attrs) -> dict:
    parent = env.start("parent")
    env.respond(
        env.decision(),
        decide(
            "StartChildWorkflowExecution",
            workflowType={"name": "child", "version": "1"},
            workflowId=child_id,
            input="child-input",
            control="ctl",
            **attrs,
        ),
    )
    return parent


def _child_run(env: Env, parent: dict) -> dict:
    started = of_type(env.history(parent), "ChildWorkflowExecutionStarted")[0]
    return started["workflowExecution"]


def test_child_starts_with_links_to_its_parent(family: Env) -> None:
    env = family
    parent = _start_child(env)
    events = env.history(parent)
    initiated = next(e for e in events if e["eventType"] == "StartChildWorkflowExecutionInitiated")
    attrs = initiated["startChildWorkflowExecutionInitiatedEventAttributes"]
    assert attrs["workflowId"] == "kid" and attrs["control"] == "ctl"
    assert attrs["childPolicy"] == "TERMINATE" and attrs["taskList"] == {"name": "children"}
    started = of_type(events, "ChildWorkflowExecutionStarted")[0]
    assert started["initiatedEventId"] == initiated["eventId"]
    child = started["workflowExecution"]
    child_started = of_type(env.history(child), "WorkflowExecutionStarted")[0]
    assert child_started["parentWorkflowExecution"] == parent
    assert child_started["parentInitiatedEventId"] == initiated["eventId"]
    assert child_started["input"] == "child-input"
    info = env.describe(child)["executionInfo"]
    assert info["parent"] == parent
    assert env.describe(parent)["openCounts"]["openChildWorkflowExecutions"] == 1


@pytest.mark.parametrize(
    ("decision", "event_type", "expected"),
    [
        (
            decide("CompleteWorkflowExecution", result="42"),
            "ChildWorkflowExecutionCompleted",
            {"result": "42"},
        ),
        (
            decide("FailWorkflowExecution", reason="bad", details="d"),
            "ChildWorkflowExecutionFailed",
            {"reason": "bad", "details": "d"},
        ),
        (
            decide("CancelWorkflowExecution", details="c"),
            "ChildWorkflowExecutionCanceled",
            {"details": "c"},
        ),
    ],
)
def test_parent_hears_how_its_child_closed(family: Env, decision, event_type, expected) -> None:
    env = family
    parent = _start_child(env)
    env.respond(env.decision())  # the parent's decision for ChildWorkflowExecutionStarted
    env.respond(env.decision("children"), decision)
    closed = of_type(env.history(parent), event_type)[0]
    for key, value in expected.items():
        assert closed[key] == value
    assert closed["workflowExecution"] == _child_run(env, parent)
    assert env.decision()["events"][-3]["eventType"] == event_type


def test_child_that_times_out(tfamily: Env, skipping_engine: LocalEngine) -> None:
    env = tfamily
    parent = _start_child(env, executionStartToCloseTimeout="1")
    skipping_engine.skip(1)
    timed_out = of_type(env.history(parent), "ChildWorkflowExecutionTimedOut")[0]
    assert timed_out["timeoutType"] == "START_TO_CLOSE"
    child = timed_out["workflowExecution"]
    assert env.describe(child)["executionInfo"]["closeStatus"] == "TIMED_OUT"


def test_child_that_is_terminated(family: Env) -> None:
    env = family
    parent = _start_child(env)
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="kid")
    assert "ChildWorkflowExecutionTerminated" in env.types(parent)


def test_start_child_failures(family: Env) -> None:
    env = family
    env.start("kid", name="child")
    parent = env.start("parent")
    env.respond(
        env.decision(),
        decide(
            "StartChildWorkflowExecution",
            workflowType={"name": "nope", "version": "1"},
            workflowId="x",
        ),
        decide(
            "StartChildWorkflowExecution",
            workflowType={"name": "child", "version": "1"},
            workflowId="kid",
        ),
    )
    causes = [f["cause"] for f in of_type(env.history(parent), "StartChildWorkflowExecutionFailed")]
    assert causes == ["WORKFLOW_TYPE_DOES_NOT_EXIST", "WORKFLOW_ALREADY_RUNNING"]
    assert env.types(parent)[-1] == "DecisionTaskScheduled"


def test_child_policy_terminate_on_parent_termination(family: Env) -> None:
    env = family
    parent = _start_child(env)
    child = _child_run(env, parent)
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="parent")
    terminated = of_type(env.history(child), "WorkflowExecutionTerminated")[0]
    assert terminated["cause"] == "CHILD_POLICY_APPLIED"


def test_child_policy_request_cancel_on_parent_timeout(
    tfamily: Env, skipping_engine: LocalEngine
) -> None:
    env = tfamily
    parent = env.start("parent", executionStartToCloseTimeout="1", childPolicy="REQUEST_CANCEL")
    env.respond(
        env.decision(),
        decide(
            "StartChildWorkflowExecution",
            workflowType={"name": "child", "version": "1"},
            workflowId="kid",
        ),
    )
    child = _child_run(env, parent)
    skipping_engine.skip(1)
    assert env.describe(parent)["executionInfo"]["closeStatus"] == "TIMED_OUT"
    requested = of_type(env.history(child), "WorkflowExecutionCancelRequested")[0]
    assert requested["cause"] == "CHILD_POLICY_APPLIED"
    assert env.describe(child)["executionInfo"]["cancelRequested"] is True
