"""A decider counts the activity timeouts it sees in new history events, once each (a real
schedule-to-start timeout on the local engine, decided by an in-process Decider)."""

from __future__ import annotations

import time

from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.local.testing import unique_domain
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask


def test_timeouts_are_counted_once(local_engine, registry):
    swf = Swf()
    domain = unique_domain(swf.client, prefix="obs-timeout")
    swf.register_workflow_type(
        WorkflowType(
            domain=domain, name="wf", version="1", default_task_list="decide",
            default_task_start_to_close_timeout=30, default_execution_start_to_close_timeout=600,
        )
    )  # fmt: skip
    swf.register_activity_type(
        ActivityType(
            domain=domain, name="never_polled", version="1", default_task_list="nobody",
            default_task_start_to_close_timeout=30, default_task_heartbeat_timeout="NONE",
            default_task_schedule_to_start_timeout=1,
            default_task_schedule_to_close_timeout="NONE",
        )
    )  # fmt: skip
    task = ActivityTask(name="never_polled", version="1")
    spec = DeciderSpec(domain=domain, task_list="decide", activity_tasks=[task])
    decider = Decider(spec, swf=swf)
    swf.start_workflow_execution(
        domain=domain, workflow_type_name="wf", workflow_type_version="1", workflow_id="late"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        decider.run_once()
        info = swf.describe_workflow_execution(domain, "late")["executionInfo"]
        if info["executionStatus"] == "CLOSED":
            break
    history = swf.get_workflow_execution_history(domain, workflow_id="late")
    timeouts = sum(event["eventType"] == "ActivityTaskTimedOut" for event in history)
    decisions = sum(event["eventType"] == "DecisionTaskCompleted" for event in history)
    assert timeouts == 1 and decisions >= 2
    labels = {"domain": domain, "task_list": "decide", "activity_type": ""}
    assert registry.get_sample_value("floto_activity_tasks_timed_out_total", labels) == 1
    cached = {"domain": domain, "task_list": "decide"}
    assert registry.get_sample_value(
        "floto_decision_tasks_total", {**cached, "cache": "hit"}
    ) == decisions - 1  # fmt: skip
