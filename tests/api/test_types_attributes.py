"""WorkflowType and ActivityType produce SWF's registration arguments (reference 2.3)."""

from __future__ import annotations

import pytest

from floto.api import ActivityType, WorkflowType
from floto.errors import SpecError


def test_default_workflow_type_attributes():
    assert WorkflowType(domain="d", name="w", version="v1").swf_attributes == {
        "domain": "d",
        "name": "w",
        "version": "v1",
        "defaultTaskList": {"name": "default"},
        "defaultTaskStartToCloseTimeout": "21600",
        "defaultTaskPriority": "0",
        "defaultChildPolicy": "TERMINATE",
        "defaultExecutionStartToCloseTimeout": "86400",
    }


def test_workflow_type_optional_fields_and_int_timeouts():
    attributes = WorkflowType(
        domain="d",
        name="w",
        version="1",
        description="demo",
        default_task_start_to_close_timeout=20,
        default_lambda_role="arn:role",
        default_execution_start_to_close_timeout="NONE",
    ).swf_attributes
    assert attributes["description"] == "demo"
    assert attributes["defaultTaskStartToCloseTimeout"] == "20"
    assert attributes["defaultLambdaRole"] == "arn:role"
    assert attributes["defaultExecutionStartToCloseTimeout"] == "NONE"


def test_default_activity_type_derives_its_timeouts():
    attributes = ActivityType(domain="d", name="a", version="1").swf_attributes
    assert attributes["defaultTaskStartToCloseTimeout"] == "21600"
    assert attributes["defaultTaskHeartbeatTimeout"] == "21600"
    assert attributes["defaultTaskScheduleToStartTimeout"] == "3600"
    assert attributes["defaultTaskScheduleToCloseTimeout"] == "25200"
    assert "description" not in attributes


def test_activity_type_schedule_to_close_follows_start_to_close():
    activity = ActivityType(
        domain="d",
        name="a",
        version="1",
        default_task_start_to_close_timeout="100",
        default_task_heartbeat_timeout=10,
    )
    assert activity.default_task_heartbeat_timeout == "10"
    assert activity.default_task_schedule_to_close_timeout == "3700"


def test_activity_type_with_no_start_to_close_limit_does_not_crash():
    activity = ActivityType(
        domain="d", name="a", version="1", default_task_start_to_close_timeout="NONE"
    )
    assert activity.default_task_heartbeat_timeout == "NONE"
    assert activity.default_task_schedule_to_close_timeout == "NONE"


def test_explicit_schedule_timeouts_are_kept():
    activity = ActivityType(
        domain="d",
        name="a",
        version="1",
        default_task_schedule_to_start_timeout=60,
        default_task_schedule_to_close_timeout="90",
    )
    assert activity.swf_attributes["defaultTaskScheduleToStartTimeout"] == "60"
    assert activity.swf_attributes["defaultTaskScheduleToCloseTimeout"] == "90"


@pytest.mark.parametrize(
    "bad", ["ten", -1, 1.5, True, float("nan"), "\u00b2", "\u0663", 10**8, "123456789", "1e3"]
)
def test_bad_timeouts_name_the_field(bad):
    with pytest.raises(SpecError, match=r"ActivityType\.default_task_heartbeat_timeout"):
        ActivityType(domain="d", name="a", version="1", default_task_heartbeat_timeout=bad)


def test_missing_name_is_refused():
    with pytest.raises(SpecError, match=r"WorkflowType\.name: must be a non-empty string"):
        WorkflowType(domain="d", name="", version="1")


def test_keyword_only_arguments():
    with pytest.raises(TypeError):
        WorkflowType("d", "w", "1")  # type: ignore[misc]


def test_a_derived_schedule_to_close_timeout_stays_within_swf_s_eight_digits():
    activity = ActivityType(
        domain="d", name="a", version="1", default_task_start_to_close_timeout=99_999_999,
        default_task_schedule_to_start_timeout=99_999_999,
    )  # fmt: skip
    assert activity.default_task_schedule_to_close_timeout == "99999999"


@pytest.mark.parametrize("priority", [2**31, -(2**31) - 1, "ten", 1.5, True, "\u00b2", "--1"])
def test_a_priority_must_be_a_32_bit_integer(priority):
    with pytest.raises(SpecError, match=r"ActivityType\.default_task_priority: must be a whole"):
        ActivityType(domain="d", name="a", version="1", default_task_priority=priority)


@pytest.mark.parametrize(("priority", "text"), [(-5, "-5"), ("+7", "7"), (" 3 ", "3"), (0, "0")])
def test_a_priority_is_sent_as_the_text_of_its_integer(priority, text):
    activity = ActivityType(domain="d", name="a", version="1", default_task_priority=priority)
    assert activity.swf_attributes["defaultTaskPriority"] == text
