"""Each Swf method sends SWF the arguments the seed's calls mean (checked by botocore's Stubber)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from stubbed_client import stubbed_fixture  # noqa: F401  (a pytest fixture)

from floto.api import ValidationError, WorkflowType
from floto.errors import PayloadTooLargeError, SpecError
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

RUN = {"runId": "r1"}


def test_start_defaults_workflow_id_to_type_name_and_version(stubbed):
    swf, stub = stubbed
    stub.add_response(
        "start_workflow_execution",
        RUN,
        {"domain": "d", "workflowId": "wt_v1", "workflowType": {"name": "wt", "version": "v1"}},
    )
    assert (
        swf.start_workflow_execution(
            domain="d", workflow_type_name="wt", workflow_type_version="v1"
        )["runId"]
        == "r1"
    )


def test_start_sends_every_option_and_json_input_with_sorted_keys(stubbed):
    swf, stub = stubbed
    stub.add_response(
        "start_workflow_execution",
        RUN,
        {
            "domain": "d",
            "workflowId": "my-id",
            "workflowType": {"name": "wt", "version": "1"},
            "taskList": {"name": "tl"},
            "input": '{"a": [1, 2], "b": {"c": 0, "d": false}}',
            "taskStartToCloseTimeout": "20",
            "executionStartToCloseTimeout": "300",
            "childPolicy": "ABANDON",
            "tagList": ["x"],
        },
    )
    swf.start_workflow_execution(
        domain="d",
        workflow_type_name="wt",
        workflow_type_version="1",
        workflow_id="my-id",
        task_list="tl",
        input={"b": {"d": False, "c": 0}, "a": [1, 2]},
        decision_task_start_to_close_timeout=20,
        execution_start_to_close_timeout="300",
        child_policy="ABANDON",
        tag_list=["x"],
    )


def test_start_sends_a_string_input_verbatim(stubbed):
    swf, stub = stubbed
    expected = {"domain": "d", "workflowId": "w_1", "workflowType": {"name": "w", "version": "1"}}
    stub.add_response("start_workflow_execution", RUN, {**expected, "input": "not json {"})
    swf.start_workflow_execution(
        domain="d", workflow_type_name="w", workflow_type_version="1", input="not json {"
    )


def test_falsy_input_is_sent(stubbed):
    swf, stub = stubbed
    expected = {"domain": "d", "workflowId": "w_1", "workflowType": {"name": "w", "version": "1"}}
    stub.add_response("start_workflow_execution", RUN, {**expected, "input": "0"})
    swf.start_workflow_execution(
        domain="d", workflow_type_name="w", workflow_type_version="1", input=0
    )


def test_tasks_inside_input_are_encoded_as_floto_json(stubbed):
    swf, stub = stubbed
    task = ActivityTask(name="A", version="1")
    text = json.dumps({"activity_tasks": [task.to_dict()]}, sort_keys=True)
    expected = {"domain": "d", "workflowId": "w_1", "workflowType": {"name": "w", "version": "1"}}
    stub.add_response("start_workflow_execution", RUN, {**expected, "input": text})
    swf.start_workflow_execution(
        domain="d",
        workflow_type_name="w",
        workflow_type_version="1",
        input={"activity_tasks": [task]},
    )
    assert json.loads(text)["activity_tasks"][0]["type"] == "floto.specs.task.ActivityTask"


def test_signal_encodes_a_decider_spec_in_its_input(stubbed):
    swf, stub = stubbed
    spec = DeciderSpec(
        domain="d", task_list="t", activity_tasks=[ActivityTask(name="A", version="1")]
    )
    text = json.dumps({"decider_spec": json.loads(spec.to_json())}, sort_keys=True)
    stub.add_response(
        "signal_workflow_execution",
        {},
        {
            "domain": "d",
            "workflowId": "daemon",
            "signalName": "startChildWorkflowExecution",
            "input": text,
        },
    )
    swf.signal_workflow_execution(
        domain="d",
        workflow_id="daemon",
        signal_name="startChildWorkflowExecution",
        input={"decider_spec": spec},
    )


def test_input_over_32768_characters_is_refused_before_sending(stubbed):
    swf, _ = stubbed
    with pytest.raises(PayloadTooLargeError, match="32,768") as caught:
        swf.start_workflow_execution(
            domain="d", workflow_type_name="w", workflow_type_version="1", input="x" * 32_769
        )
    assert caught.value.size == 32_769
    assert swf.call_counts == {}


def test_unserialisable_input_names_the_field(stubbed):
    swf, _ = stubbed
    with pytest.raises(SpecError, match="input: is not JSON-serialisable"):
        swf.signal_workflow_execution("d", "w", "s", input={"x": object()})


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -1, 10**9, "\u00b2"])
def test_a_timeout_that_is_no_whole_seconds_in_swf_s_range_is_refused_before_sending(
    stubbed, timeout
):
    swf, _ = stubbed
    with pytest.raises(SpecError, match="execution_start_to_close_timeout: must be"):
        swf.start_workflow_execution(
            domain="d", workflow_type_name="w", workflow_type_version="1",
            execution_start_to_close_timeout=timeout,
        )  # fmt: skip
    assert swf.call_counts == {}


def test_terminate_cuts_reason_and_sends_policy(stubbed):
    swf, stub = stubbed
    stub.add_response(
        "terminate_workflow_execution",
        {},
        {
            "domain": "d",
            "workflowId": "w",
            "runId": "r",
            "reason": "x" * 253 + "...",
            "childPolicy": "TERMINATE",
        },
    )
    swf.terminate_workflow_execution(
        "d", "w", run_id="r", reason="x" * 1000, child_policy="TERMINATE"
    )


def test_activity_failure_cuts_reason_and_details_with_a_marker(stubbed):
    swf, stub = stubbed
    sent = {}

    def capture(params, **_):
        sent.update(params)

    swf.client.meta.events.register("before-parameter-build.swf.RespondActivityTaskFailed", capture)
    stub.add_response("respond_activity_task_failed", {})
    swf.respond_activity_task_failed("tok", reason="r" * 300, details="d" * 40_000)
    assert len(sent["reason"]) == 256 and sent["reason"].endswith("...")
    assert len(sent["details"]) == 32_768
    assert "cut by floto" in sent["details"] and sent["details"].startswith("d" * 1000)


def test_heartbeat_returns_cancel_requested(stubbed):
    swf, stub = stubbed
    stub.add_response(
        "record_activity_task_heartbeat", {"cancelRequested": True}, {"taskToken": "tok"}
    )
    assert swf.record_activity_task_heartbeat("tok") == {"cancelRequested": True}


def test_decision_poll_asks_for_newest_first_pages(stubbed):
    swf, stub = stubbed
    task = {
        "taskToken": "tok",
        "startedEventId": 3,
        "previousStartedEventId": 0,
        "workflowExecution": {"workflowId": "w", "runId": "r"},
        "workflowType": {"name": "w", "version": "1"},
        "events": [],
    }
    stub.add_response(
        "poll_for_decision_task",
        task,
        {
            "domain": "d",
            "taskList": {"name": "tl"},
            "reverseOrder": True,
            "maximumPageSize": 1000,
            "identity": "me",
            "nextPageToken": "p2",
        },
    )
    response = swf.poll_for_decision_task("d", "tl", identity="me", next_page_token="p2")
    assert response["taskToken"] == "tok"


def test_activity_result_is_sent_as_given_text(stubbed):
    swf, stub = stubbed
    stub.add_response("respond_activity_task_completed", {}, {"taskToken": "t", "result": '"42"'})
    swf.respond_activity_task_completed("t", result='"42"')


def test_history_follows_every_page(stubbed):
    swf, stub = stubbed
    execution = {"workflowId": "w", "runId": "r"}
    base = {"domain": "d", "execution": execution, "maximumPageSize": 1000, "reverseOrder": False}
    event = {"eventTimestamp": dt.datetime(2024, 1, 1), "eventType": "WorkflowExecutionStarted"}
    stub.add_response(
        "get_workflow_execution_history",
        {"events": [{**event, "eventId": 1}], "nextPageToken": "p2"},
        base,
    )
    stub.add_response(
        "get_workflow_execution_history",
        {"events": [{**event, "eventId": 2}]},
        {**base, "nextPageToken": "p2"},
    )
    events = swf.get_workflow_execution_history("d", workflow_id="w", run_id="r")
    assert [e["eventId"] for e in events] == [1, 2]
    assert swf.call_counts["GetWorkflowExecutionHistory"] == 2


def test_history_pages_are_fetched_lazily(stubbed):
    swf, stub = stubbed
    execution = {"workflowId": "w", "runId": "r"}
    stub.add_response(
        "get_workflow_execution_history",
        {"events": [], "nextPageToken": "p2"},
        {"domain": "d", "execution": execution, "maximumPageSize": 10, "reverseOrder": True},
    )
    pages = swf.iter_history_pages("d", workflow_id="w", run_id="r", page_size=10)
    assert next(pages) == []
    assert swf.call_counts["GetWorkflowExecutionHistory"] == 1


def test_listing_closed_executions_by_close_status(stubbed):
    swf, stub = stubbed
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    stub.add_response(
        "list_closed_workflow_executions",
        {"executionInfos": []},
        {
            "domain": "d",
            "startTimeFilter": {"oldestDate": epoch},
            "closeStatusFilter": {"status": "FAILED"},
        },
    )
    assert swf.list_workflow_executions("d", status="closed", close_status="FAILED") == []


def test_listing_refuses_two_filters_before_sending(stubbed):
    swf, _ = stubbed
    with pytest.raises(ValidationError, match="only one of"):
        swf.list_workflow_executions("d", workflow_id="w", tag="t")


def test_count_by_workflow_type(stubbed):
    swf, stub = stubbed
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    stub.add_response(
        "count_open_workflow_executions",
        {"count": 3, "truncated": False},
        {
            "domain": "d",
            "startTimeFilter": {"oldestDate": epoch},
            "typeFilter": {"name": "w", "version": "1"},
        },
    )
    assert (
        swf.count_workflow_executions(
            "d", workflow_type=WorkflowType(domain="d", name="w", version="1")
        )
        == 3
    )


def test_register_domain_sends_retention_as_string(stubbed):
    swf, stub = stubbed
    stub.add_response(
        "register_domain",
        {},
        {"name": "d", "description": "", "workflowExecutionRetentionPeriodInDays": "3"},
    )
    assert swf.domains.register_domain("d", retention_period=3) is True


def test_domain_exists_reads_every_page(stubbed):
    swf, stub = stubbed
    info = {"status": "REGISTERED", "arn": "arn:x"}
    stub.add_response(
        "list_domains",
        {"domainInfos": [{**info, "name": "a"}], "nextPageToken": "n"},
        {"registrationStatus": "REGISTERED"},
    )
    stub.add_response(
        "list_domains",
        {"domainInfos": [{**info, "name": "b"}]},
        {"registrationStatus": "REGISTERED", "nextPageToken": "n"},
    )
    assert swf.domains.domain_exists("b")


def test_register_type_refuses_other_objects(stubbed):
    swf, _ = stubbed
    with pytest.raises(TypeError, match=r"floto\.api\.ActivityType"):
        swf.register_activity_type(WorkflowType(domain="d", name="w", version="1"))
