"""What SWF refuses, the engine refuses, before anything changes (issue 20's deviations)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from engine_env import Env, decide, of_type, schedule


def _refused(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return caught.value.response


def _code(response: dict[str, Any]) -> str:
    return response["Error"]["Code"]


def _open_ids(env: Env) -> list[str]:
    infos = env.swf.list_open_workflow_executions(
        domain=env.domain, startTimeFilter={"oldestDate": 0}
    )["executionInfos"]
    return [info["execution"]["workflowId"] for info in infos]


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("executionStartToCloseTimeout", "abc"),
        ("executionStartToCloseTimeout", "NONE"),
        ("executionStartToCloseTimeout", "31536001"),
        ("executionStartToCloseTimeout", "-1"),
        ("taskStartToCloseTimeout", "-5"),
        ("taskStartToCloseTimeout", "1.5"),
        ("taskStartToCloseTimeout", "abc"),
        ("taskPriority", "high"),
        ("taskPriority", "2147483648"),
    ],
)
def test_a_bad_start_is_refused_and_starts_nothing(env: Env, member: str, value: str) -> None:
    response = _refused(env.start, workflow_id="w", **{member: value})
    assert _code(response) == "ValidationException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert member in response["Error"]["Message"]
    assert _open_ids(env) == []
    env.start("w", taskStartToCloseTimeout="NONE", executionStartToCloseTimeout="31536000")
    assert _open_ids(env) == ["w"]


def test_more_than_five_tags_are_refused(env: Env) -> None:
    response = _refused(env.start, workflow_id="w", tagList=[f"t{i}" for i in range(6)])
    assert _code(response) == "ValidationException"
    assert "tagList" in response["Error"]["Message"]
    response = _refused(env.start, workflow_id="w", tagList=["a#b"])
    assert _code(response) == "ValidationException"
    env.start("w", tagList=["a b_c.d:e/f=g+h-i@j", "x", "y", "z", "w"])


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "NONE "])
def test_a_bad_activity_type_timeout_is_refused(env: Env, value: str) -> None:
    response = _refused(env.register_activity, name="bad", defaultTaskStartToCloseTimeout=value)
    assert _code(response) == "ValidationException"
    assert "defaultTaskStartToCloseTimeout" in response["Error"]["Message"]
    listed = env.swf.list_activity_types(domain=env.domain, registrationStatus="REGISTERED")
    assert [info["activityType"]["name"] for info in listed["typeInfos"]] == ["act"]


def test_a_workflow_type_cannot_default_to_no_execution_timeout(env: Env) -> None:
    response = _refused(
        env.register_workflow, name="forever", defaultExecutionStartToCloseTimeout="NONE"
    )
    assert _code(response) == "ValidationException"
    env.register_workflow("bounded", defaultTaskStartToCloseTimeout="NONE")


def test_a_bad_duration_in_a_decision_is_refused_and_the_poll_still_works(env: Env) -> None:
    run = env.start()
    task = env.decision()
    for bad in (
        schedule("a", startToCloseTimeout="abc"),
        schedule("a", heartbeatTimeout="-1"),
        decide("StartTimer", timerId="t", startToFireTimeout="NONE"),
        decide("StartTimer", timerId="t", startToFireTimeout="1.5"),
        schedule("a", taskPriority="x"),
    ):
        response = _refused(
            env.swf.respond_decision_task_completed, taskToken=task["taskToken"], decisions=[bad]
        )
        assert _code(response) == "ValidationException"
    assert "ActivityTaskScheduled" not in env.types(run)
    env.respond(task, schedule("a", startToCloseTimeout="30"))
    activity = env.activity()
    assert activity["activityId"] == "a"
    env.swf.respond_activity_task_completed(taskToken=activity["taskToken"], result="ok")
    assert "ActivityTaskCompleted" in env.types(run)


@pytest.mark.parametrize("value", ["91", "abc", "-1", "1.5"])
def test_retention_over_90_days_or_not_a_number_is_refused(swf: Any, value: str) -> None:
    response = _refused(
        swf.register_domain,
        name=f"r-{time.time_ns()}",
        workflowExecutionRetentionPeriodInDays=value,
    )
    assert _code(response) == "ValidationException"
    assert "workflowExecutionRetentionPeriodInDays" in response["Error"]["Message"]


@pytest.mark.parametrize("value", ["0", "90", "NONE"])
def test_retention_of_0_to_90_days_or_none_is_accepted(swf: Any, value: str) -> None:
    name = f"r-{time.time_ns()}"
    swf.register_domain(name=name, workflowExecutionRetentionPeriodInDays=value)
    info = swf.describe_domain(name=name)
    assert info["configuration"]["workflowExecutionRetentionPeriodInDays"] == value


@pytest.mark.parametrize("name", ["a:b", "a/b", "a|b", "arn", " lead", "trail ", "c\x01d"])
def test_domain_names_follow_swfs_rule(swf: Any, name: str) -> None:
    response = _refused(swf.register_domain, name=name, workflowExecutionRetentionPeriodInDays="1")
    assert _code(response) == "ValidationException"
    names = [
        info["name"] for info in swf.list_domains(registrationStatus="REGISTERED")["domainInfos"]
    ]
    assert name not in names


@pytest.mark.parametrize("name", ["a:b", "arn", " x"])
def test_type_and_task_list_names_follow_swfs_rule(env: Env, name: str) -> None:
    assert _code(_refused(env.register_activity, name=name)) == "ValidationException"
    assert _code(_refused(env.register_workflow, name="ok", version=name)) == "ValidationException"
    bad_list = {"defaultTaskList": {"name": name}}
    assert _code(_refused(env.register_activity, name="ok2", **bad_list)) == "ValidationException"
    assert _code(_refused(env.activity, task_list=name)) == "ValidationException"


def test_an_empty_poll_answers_an_empty_task_token(env: Env) -> None:
    assert env.decision()["taskToken"] == ""
    assert env.activity()["taskToken"] == ""


def test_type_dates_are_when_they_happened(env: Env) -> None:
    before = time.time()
    env.register_activity("dated")
    env.swf.deprecate_activity_type(
        domain=env.domain, activityType={"name": "dated", "version": "1"}
    )
    info = env.swf.describe_activity_type(
        domain=env.domain, activityType={"name": "dated", "version": "1"}
    )["typeInfo"]
    assert before - 1 <= info["creationDate"].timestamp() <= time.time() + 1
    assert info["creationDate"] <= info["deprecationDate"]
    assert info["deprecationDate"].timestamp() <= time.time() + 1
    env.register_workflow("dated")
    listed = env.swf.list_workflow_types(domain=env.domain, registrationStatus="REGISTERED")
    dated = next(t for t in listed["typeInfos"] if t["workflowType"]["name"] == "dated")
    assert dated["creationDate"].timestamp() >= before - 1


def test_tags_of_an_unknown_domain_arn_are_unknown_resource(env: Env) -> None:
    arn = env.swf.describe_domain(name=env.domain)["domainInfo"]["arn"]
    env.swf.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    assert env.swf.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]
    unknown = arn + "-missing"
    for call, params in (
        (env.swf.tag_resource, {"tags": [{"key": "k", "value": "v"}]}),
        (env.swf.list_tags_for_resource, {}),
        (env.swf.untag_resource, {"tagKeys": ["k"]}),
    ):
        response = _refused(call, resourceArn=unknown, **params)
        assert _code(response) == "UnknownResourceFault"
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_refused_decision_list_changes_nothing(env: Env) -> None:
    run = env.start()
    task = env.decision()
    before = env.types(run)
    response = _refused(
        env.swf.respond_decision_task_completed,
        taskToken=task["taskToken"],
        decisions=[
            decide("RecordMarker", markerName="m"),
            decide("StartTimer", timerId="t", startToFireTimeout="10"),
            schedule("a", scheduleToCloseTimeout="soon"),
        ],
    )
    assert _code(response) == "ValidationException"
    assert env.types(run) == before
    env.respond(task, decide("CompleteWorkflowExecution"))
    assert of_type(env.history(run), "MarkerRecorded") == []


def test_only_a_deprecated_type_can_be_deleted(env: Env) -> None:
    kind = {"name": "act", "version": "1"}
    response = _refused(env.swf.delete_activity_type, domain=env.domain, activityType=kind)
    assert _code(response) == "TypeNotDeprecatedFault"
    env.swf.deprecate_activity_type(domain=env.domain, activityType=kind)
    env.swf.delete_activity_type(domain=env.domain, activityType=kind)
    response = _refused(env.swf.describe_activity_type, domain=env.domain, activityType=kind)
    assert _code(response) == "UnknownResourceFault"
    env.register_activity("act")  # the name and version are free again


def test_a_domain_tag_may_have_no_value(env: Env) -> None:
    arn = env.swf.describe_domain(name=env.domain)["domainInfo"]["arn"]
    env.swf.tag_resource(resourceArn=arn, tags=[{"key": "bare"}])
    assert env.swf.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "bare", "value": ""}]
