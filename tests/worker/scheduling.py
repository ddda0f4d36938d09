"""A tiny hand-written decider on raw Swf calls: start a run, schedule one activity, read the
outcome from the history. Workers under test run for real against the session's local engine.

Test modules import the fixtures from here. Not named conftest.py on purpose: tests/local's
spawned processes import ``conftest`` from sys.path, and a second conftest.py earlier on
sys.path would shadow theirs.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from floto.api import ActivityType, Swf, WorkflowType
from floto.ids import to_swf_id
from floto.local.testing import unique_domain
from floto.worker import ActivityRegistry, ActivityWorker

DECIDERS = "deciders"
WORKERS = "workers"
CLOSED_ACTIVITY_EVENTS = {
    "ActivityTaskCompleted",
    "ActivityTaskFailed",
    "ActivityTaskCanceled",
    "ActivityTaskTimedOut",
}


class Scheduler:
    """Schedules activity tasks through decision tasks and reads what became of them."""

    def __init__(self, swf: Swf) -> None:
        self.swf = swf
        self.domain = unique_domain(swf.client, prefix="worker")
        swf.register_workflow_type(
            WorkflowType(
                domain=self.domain,
                name="wf",
                version="1",
                default_task_list=DECIDERS,
                default_task_start_to_close_timeout=30,
                default_execution_start_to_close_timeout=300,
            )
        )
        self.registry = ActivityRegistry()
        self._runs = 0

    def activity_type(self, name: str, version: str = "1", **timeouts: Any) -> None:
        """Register an activity type (default: 60 s start-to-close, no heartbeat timeout)."""
        settings = {
            "default_task_list": WORKERS,
            "default_task_start_to_close_timeout": 60,
            "default_task_heartbeat_timeout": "NONE",
            **timeouts,
        }
        self.swf.register_activity_type(
            ActivityType(domain=self.domain, name=name, version=version, **settings)
        )

    def worker(self, task_list: str = WORKERS, **kwargs: Any) -> ActivityWorker:
        kwargs.setdefault("heartbeat_in_seconds", 0)
        kwargs.setdefault("swf", self.swf)
        return ActivityWorker(self.domain, task_list, registry=self.registry, **kwargs)

    def schedule(
        self,
        name: str,
        version: str = "1",
        *,
        context: Any = None,
        task_id: str | None = None,
        task_list: str | None = None,
        input_text: str | None = None,
    ) -> str:
        """Start a run whose first decision schedules one activity; returns the workflow id.

        ``context`` (a dict) travels as JSON input, as the decider sends it; None: no input.
        ``input_text`` is sent as the input as it is, instead.
        """
        self._runs += 1
        workflow_id = f"run-{self._runs}"
        self.swf.start_workflow_execution(
            domain=self.domain, workflow_type_name="wf", workflow_type_version="1",
            workflow_id=workflow_id,
        )  # fmt: skip
        attributes: dict[str, Any] = {
            "activityType": {"name": name, "version": version},
            "activityId": to_swf_id(task_id or f"{name}:{version}:0123456789"),
        }
        if context is not None:
            attributes["input"] = json.dumps(context)
        if input_text is not None:
            attributes["input"] = input_text
        if task_list is not None:
            attributes["taskList"] = {"name": task_list}
        self.decide(
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": attributes,
            }
        )
        return workflow_id

    def decide(self, *decisions: dict[str, Any]) -> None:
        """Answer the next decision task with ``decisions``."""
        task = self.swf.poll_for_decision_task(self.domain, DECIDERS)
        assert task.get("taskToken"), "expected a decision task"
        self.swf.respond_decision_task_completed(task["taskToken"], list(decisions))

    def history(self, workflow_id: str) -> list[dict[str, Any]]:
        return self.swf.get_workflow_execution_history(self.domain, workflow_id=workflow_id)

    def event(self, workflow_id: str, event_type: str) -> dict[str, Any] | None:
        """Attributes of the last event of ``event_type``, or None."""
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        found = [e[key] for e in self.history(workflow_id) if e["eventType"] == event_type]
        return found[-1] if found else None

    def outcome(self, workflow_id: str, timeout: float = 15.0) -> tuple[str, dict[str, Any]]:
        """(event type, attributes) of the activity's closing event, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in reversed(self.history(workflow_id)):
                if event["eventType"] in CLOSED_ACTIVITY_EVENTS:
                    key = event["eventType"][0].lower() + event["eventType"][1:] + "EventAttributes"
                    return event["eventType"], event[key]
            time.sleep(0.2)
        raise AssertionError(f"activity of {workflow_id} did not close within {timeout} s")

    def wait_for(self, workflow_id: str, event_type: str, timeout: float = 15.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.event(workflow_id, event_type)
            if found is not None:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no {event_type} in {workflow_id} within {timeout} s")


@pytest.fixture(name="swf")
def swf_fixture(local_engine) -> Swf:
    return Swf()


@pytest.fixture(name="scheduler")
def scheduler_fixture(swf) -> Scheduler:
    return Scheduler(swf)
