"""Helpers for the local engine's tests: a fresh domain and raw boto3 calls on it.

Kept out of conftest.py so that processes spawned by tests can import it by a unique name.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

POLL_WAIT = 2.0

ON_TIME = 0.5
"""How far past its due time a timer an idle time-skipping engine jumps to may be stamped: the
jump and the firing are two steps of the engine's ticker, microseconds apart unless the machine
preempts it between them, as a loaded CI machine running 4 test workers may (a skip() fires
exactly at the due time, to the microsecond). The same margin as real time's."""


class Env:
    """A fresh domain with one workflow type and one activity type registered."""

    def __init__(self, client: Any) -> None:
        self.swf = client
        self.domain = f"d-{uuid.uuid4().hex[:10]}"
        self.tl = "deciders"
        self.atl = "workers"
        client.register_domain(name=self.domain, workflowExecutionRetentionPeriodInDays="1")
        self.register_workflow("wf")
        self.register_activity("act")

    def register_workflow(self, name: str, version: str = "1", **defaults: Any) -> None:
        params = {
            "defaultTaskList": {"name": self.tl},
            "defaultExecutionStartToCloseTimeout": "300",
            "defaultTaskStartToCloseTimeout": "30",
            "defaultChildPolicy": "TERMINATE",
        }
        params.update(defaults)
        self.swf.register_workflow_type(domain=self.domain, name=name, version=version, **params)

    def register_activity(self, name: str, version: str = "1", **defaults: Any) -> None:
        params = {
            "defaultTaskList": {"name": self.atl},
            "defaultTaskScheduleToStartTimeout": "NONE",
            "defaultTaskScheduleToCloseTimeout": "NONE",
            "defaultTaskStartToCloseTimeout": "NONE",
            "defaultTaskHeartbeatTimeout": "NONE",
        }
        params.update(defaults)
        self.swf.register_activity_type(domain=self.domain, name=name, version=version, **params)

    def start(self, workflow_id: str = "w", name: str = "wf", **kwargs: Any) -> dict[str, str]:
        run = self.swf.start_workflow_execution(
            domain=self.domain,
            workflowId=workflow_id,
            workflowType={"name": name, "version": "1"},
            **kwargs,
        )
        return {"workflowId": workflow_id, "runId": run["runId"]}

    def decision(self, task_list: str | None = None, **kwargs: Any) -> dict[str, Any]:
        return self.swf.poll_for_decision_task(
            domain=self.domain, taskList={"name": task_list or self.tl}, **kwargs
        )

    def activity(self, task_list: str | None = None) -> dict[str, Any]:
        return self.swf.poll_for_activity_task(
            domain=self.domain, taskList={"name": task_list or self.atl}
        )

    def respond(self, task: dict[str, Any], *decisions: dict[str, Any]) -> None:
        self.swf.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=list(decisions)
        )

    def history(self, execution: dict[str, str], **kwargs: Any) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        token = None
        while True:
            extra = {"nextPageToken": token} if token else {}
            page = self.swf.get_workflow_execution_history(
                domain=self.domain, execution=execution, **kwargs, **extra
            )
            events += page["events"]
            token = page.get("nextPageToken")
            if not token:
                return events

    def types(self, execution: dict[str, str]) -> list[str]:
        return [evt["eventType"] for evt in self.history(execution)]

    def describe(self, execution: dict[str, str]) -> dict[str, Any]:
        return self.swf.describe_workflow_execution(domain=self.domain, execution=execution)


class SkipEnv(Env):
    """Env whose runs may last a day (the type's default is 300 s, which a skip reaches)."""

    def start(self, workflow_id: str = "w", name: str = "wf", **kwargs: Any) -> dict[str, str]:
        kwargs.setdefault("executionStartToCloseTimeout", "86400")
        return super().start(workflow_id, name, **kwargs)


def terminate_open_runs(env: Env) -> None:
    """Terminate what ``env``'s domain left open, so that no test's leftover work holds the
    clock of a time-skipping engine the session shares."""
    infos = env.swf.list_open_workflow_executions(
        domain=env.domain, startTimeFilter={"oldestDate": datetime(1970, 1, 2)}
    )["executionInfos"]
    for info in infos:
        # a run may time out meanwhile: the clock skips to a run's own timeout too
        with contextlib.suppress(env.swf.exceptions.UnknownResourceFault):
            env.swf.terminate_workflow_execution(
                domain=env.domain,
                workflowId=info["execution"]["workflowId"],
                runId=info["execution"]["runId"],
            )


def wait_for(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """``check()``'s first truthy answer, asked every 50 ms; AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


def stamp(events: list[dict[str, Any]], event_type: str, nth: int = 0) -> float:
    """The engine timestamp (epoch seconds) of the ``nth`` event of ``event_type``."""
    found = [e for e in events if e["eventType"] == event_type]
    return found[nth]["eventTimestamp"].timestamp()


def schedule(activity_id: str, name: str = "act", **attrs: Any) -> dict[str, Any]:
    attrs = {"activityType": {"name": name, "version": "1"}, "activityId": activity_id, **attrs}
    return {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": attrs}


def decide(decision_type: str, **attrs: Any) -> dict[str, Any]:
    key = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    return {"decisionType": decision_type, key: {k: v for k, v in attrs.items() if v is not None}}


def of_type(events: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    return [evt[key] for evt in events if evt["eventType"] == event_type]
