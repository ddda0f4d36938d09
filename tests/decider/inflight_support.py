"""Driving real deciders and a worker on the local engine, one task at a time, so a test can
swap a run's decider between two decision tasks (a deploy while the run is in flight)."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

import floto
from floto.api import ActivityType
from floto.decider import Decider
from floto.history import ExecutionState, state_from_events
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry, ActivityWorker

REGISTRY = ActivityRegistry()
CALLS: Counter[str] = Counter()


@floto.activity("echo", "1", registry=REGISTRY)
def echo_input(context: dict[str, Any]) -> Any:
    """Returns the task's input."""
    return context.get("activity_task")


@floto.activity("flaky", "1", registry=REGISTRY)
def flaky(context: dict[str, Any]) -> Any:
    """Fails the first ``times`` calls for ``key``, then returns ``"ok"``."""
    spec = context["activity_task"]
    CALLS[spec["key"]] += 1
    if CALLS[spec["key"]] <= spec["times"]:
        raise RuntimeError(f"call {CALLS[spec['key']]} fails")
    return "ok"


@floto.activity("gen", "1", registry=REGISTRY)
def gen(context: dict[str, Any]) -> Any:
    """A generator: an echo task per name in its input."""
    return [
        ActivityTask("echo", "1", id_=name, input=name).to_dict()
        for name in context["activity_task"]
    ]


def echo(value: Any, *requires: Any, id_: str | None = None, **options: Any) -> ActivityTask:
    """An echo task (its result: ``value``)."""
    return ActivityTask("echo", "1", input=value, requires=list(requires), id_=id_, **options)


class Driver:
    """An engine domain (``engine``, tests/decider/conftest.py) with echo/flaky/gen types and
    an in-process worker; deciders are made per spec and stepped by :meth:`drive`."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.swf, self.domain = engine, engine.swf, engine.domain
        for name in ("echo", "flaky", "gen"):
            self.swf.register_activity_type(ActivityType(
                domain=self.domain, name=name, version="1", default_task_list="workers",
                default_task_start_to_close_timeout=20, default_task_heartbeat_timeout="NONE",
            ))  # fmt: skip
        self.worker = ActivityWorker(
            self.domain, "workers", heartbeat_in_seconds=0, registry=REGISTRY, swf=self.swf
        )

    def spec(self, tasks: list[Any]) -> DeciderSpec:
        return DeciderSpec(domain=self.domain, task_list="deciders",
                           default_activity_task_list="workers", activity_tasks=tasks)  # fmt: skip

    def decider(self, tasks: list[Any], **options: Any) -> Decider:
        return Decider(self.spec(tasks), swf=self.swf, **options)

    def _pending(self, kind: str, task_list: str) -> int:
        call = getattr(self.swf.client, f"count_pending_{kind}_tasks")
        return int(call(domain=self.domain, taskList={"name": task_list})["count"])

    def closed(self, workflow_id: str = "run") -> bool:
        info = self.swf.describe_workflow_execution(self.domain, workflow_id)["executionInfo"]
        return info["executionStatus"] == "CLOSED"

    def drive(self, decider: Decider, *, decisions: int | None = None, workflow_id: str = "run",
              timeout: float = 60) -> int:  # fmt: skip
        """Decide (and work) until the run closes, or ``decisions`` decision tasks were
        answered; returns how many were."""
        answered, deadline = 0, time.monotonic() + timeout
        while time.monotonic() < deadline:
            if decisions is not None and answered >= decisions:
                return answered
            if self._pending("decision", "deciders"):
                answered += decider.run_once()
            elif self._pending("activity", "workers"):
                self.worker.run_once()
            elif self.closed(workflow_id):
                return answered
            else:
                time.sleep(0.05)  # a timer runs
        raise AssertionError(f"the run did not close in {timeout} s")

    def outcome(self, workflow_id: str = "run") -> tuple[list[dict], ExecutionState, Any]:
        """The run's events, its state and its result (None unless it completed)."""
        events = self.engine.history(workflow_id)
        closing = events[-1].get("workflowExecutionCompletedEventAttributes")
        result = json.loads(closing["result"]) if closing else None
        return events, state_from_events(events), result

    def work(self, count: int = 1) -> None:
        """Run ``count`` activity tasks."""
        for _ in range(count):
            assert self.worker.run_once()
