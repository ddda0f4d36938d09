"""botocore errors come out as floto errors; throttling and 5xx are retried, others are not."""

from __future__ import annotations

import pytest
from stubbed_client import stubbed_fixture  # noqa: F401  (a pytest fixture)

from floto.api import (
    DomainAlreadyExistsError,
    LimitExceededError,
    Swf,
    SwfError,
    ThrottledError,
    TypeAlreadyExistsError,
    UnknownResourceError,
    ValidationError,
    WorkflowAlreadyStartedError,
    WorkflowType,
)
from floto.errors import FlotoError

START = {"domain": "d", "workflow_type_name": "w", "workflow_type_version": "1"}


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        ("UnknownResourceFault", UnknownResourceError),
        ("WorkflowExecutionAlreadyStartedFault", WorkflowAlreadyStartedError),
        ("LimitExceededFault", LimitExceededError),
        ("ValidationException", ValidationError),
        ("SomethingNew", SwfError),
    ],
)
def test_client_errors_become_floto_errors_with_code_operation_and_message(
    stubbed, code, error_class
):
    swf, stub = stubbed
    stub.add_client_error(
        "start_workflow_execution",
        service_error_code=code,
        service_message="boom",
        http_status_code=400,
    )
    with pytest.raises(error_class) as caught:
        swf.start_workflow_execution(**START)
    error = caught.value
    assert isinstance(error, FlotoError)
    assert (error.code, error.operation, error.message) == (code, "StartWorkflowExecution", "boom")
    assert "StartWorkflowExecution: boom" in str(error)
    assert swf.call_counts["StartWorkflowExecution"] == 1


def test_parameters_botocore_refuses_raise_a_validation_error_without_sending():
    swf = Swf(endpoint_url="http://127.0.0.1:9")  # nothing listens: a request would fail
    with pytest.raises(ValueError, match=r"taskList\.name") as caught:
        swf.poll_for_activity_task("d", 123)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValidationError)
    assert swf.call_counts["PollForActivityTask"] == 1


def test_throttling_is_retried_until_it_succeeds(stubbed):
    swf, stub = stubbed
    for _ in range(2):
        stub.add_client_error(
            "start_workflow_execution",
            service_error_code="ThrottlingException",
            http_status_code=400,
        )
    stub.add_response("start_workflow_execution", {"runId": "r"})
    assert swf.start_workflow_execution(**START)["runId"] == "r"
    assert swf.call_counts["StartWorkflowExecution"] == 3


def test_server_errors_are_retried(stubbed):
    swf, stub = stubbed
    stub.add_client_error(
        "poll_for_activity_task", service_error_code="InternalFailure", http_status_code=500
    )
    stub.add_client_error("poll_for_activity_task", service_error_code="", http_status_code=503)
    task = {
        "taskToken": "tok",
        "activityId": "a",
        "startedEventId": 5,
        "workflowExecution": {"workflowId": "w", "runId": "r"},
        "activityType": {"name": "a", "version": "1"},
    }
    stub.add_response("poll_for_activity_task", task)
    assert swf.poll_for_activity_task("d", "tl")["taskToken"] == "tok"
    assert swf.call_counts["PollForActivityTask"] == 3


def test_throttling_that_persists_raises_throttled_error_after_max_attempts(stubbed):
    swf, stub = stubbed
    for _ in range(swf.max_attempts):
        stub.add_client_error(
            "list_domains", service_error_code="ThrottlingException", http_status_code=400
        )
    with pytest.raises(ThrottledError):
        swf.domains.registered_names()
    assert swf.call_counts["ListDomains"] == swf.max_attempts


def test_client_mistakes_are_not_retried(stubbed):
    swf, stub = stubbed
    stub.add_client_error(
        "describe_workflow_execution",
        service_error_code="UnknownResourceFault",
        http_status_code=400,
    )
    with pytest.raises(UnknownResourceError):
        swf.describe_workflow_execution("d", "w", "r")
    assert swf.call_counts["DescribeWorkflowExecution"] == 1


def test_registering_an_existing_type_returns_false(stubbed):
    swf, stub = stubbed
    stub.add_client_error(
        "register_workflow_type", service_error_code="TypeAlreadyExistsFault", http_status_code=400
    )
    assert swf.register_workflow_type(WorkflowType(domain="d", name="w", version="1")) is False


def test_registering_a_type_in_an_unknown_domain_raises(stubbed):
    swf, stub = stubbed
    stub.add_client_error(
        "register_workflow_type", service_error_code="UnknownResourceFault", http_status_code=400
    )
    with pytest.raises(UnknownResourceError):
        swf.register_workflow_type(WorkflowType(domain="nowhere", name="w", version="1"))


def test_registering_an_existing_domain_returns_false_and_other_errors_raise(stubbed):
    swf, stub = stubbed
    stub.add_client_error(
        "register_domain", service_error_code="DomainAlreadyExistsFault", http_status_code=400
    )
    stub.add_client_error(
        "register_domain", service_error_code="LimitExceededFault", http_status_code=400
    )
    assert swf.domains.register_domain("d") is False
    with pytest.raises(LimitExceededError):
        swf.domains.register_domain("e")


def test_already_exists_errors_are_distinct_classes():
    assert not issubclass(TypeAlreadyExistsError, DomainAlreadyExistsError)
    assert issubclass(ValidationError, ValueError)


def _already_started(stub):
    stub.add_client_error(
        "start_workflow_execution",
        service_error_code="WorkflowExecutionAlreadyStartedFault",
        http_status_code=400,
    )


def test_a_start_whose_answer_was_lost_returns_the_run_it_started(stubbed):
    swf, stub = stubbed
    stub.add_client_error(
        "start_workflow_execution", service_error_code="InternalFailure", http_status_code=500
    )  # the run was started, the answer lost
    _already_started(stub)  # the retry finds it
    execution = {"workflowId": "w_1", "runId": "the-run"}
    info = {
        "execution": execution,
        "workflowType": {"name": "wf", "version": "1"},
        "startTimestamp": 0,
        "executionStatus": "OPEN",
    }
    stub.add_response("list_open_workflow_executions", {"executionInfos": [info]})
    stub.add_response(
        "describe_workflow_execution",
        {
            "executionInfo": info,
            "executionConfiguration": {
                "taskStartToCloseTimeout": "5",
                "executionStartToCloseTimeout": "60",
                "taskList": {"name": "d"},
                "childPolicy": "TERMINATE",
            },
            "openCounts": {"openActivityTasks": 0, "openDecisionTasks": 1, "openTimers": 0,
                           "openChildWorkflowExecutions": 0},
        },
    )  # fmt: skip
    assert swf.start_workflow_execution(**START) == {"runId": "the-run"}


def test_a_first_attempt_finding_the_run_started_raises(stubbed):
    swf, stub = stubbed
    _already_started(stub)
    with pytest.raises(WorkflowAlreadyStartedError) as caught:
        swf.start_workflow_execution(**START)
    assert caught.value.attempts == 1
