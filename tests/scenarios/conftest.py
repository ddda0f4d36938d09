"""Scenario fixtures: a domain of its own per test, deciders and workers in separate processes
(forked), all talking to the session's local engine over HTTP."""

from __future__ import annotations

import json
import logging
import multiprocessing
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from scenario_activities import REGISTRY, activity_types

from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.local.testing import unique_domain
from floto.specs import DeciderSpec
from floto.worker import ActivityWorker

DECIDERS = "deciders"
WORKERS = "workers"
DECISION_TIMEOUT = 5
CLOSE_EVENTS = {
    "WorkflowExecutionCompleted": "completed",
    "WorkflowExecutionFailed": "failed",
    "WorkflowExecutionTimedOut": "timed_out",
    "WorkflowExecutionTerminated": "terminated",
    "WorkflowExecutionCanceled": "canceled",
    "WorkflowExecutionContinuedAsNew": "continued_as_new",
}
FORK = multiprocessing.get_context("fork")


def attributes(event: dict[str, Any]) -> dict[str, Any]:
    return event.get(event["eventType"][0].lower() + event["eventType"][1:] + "EventAttributes", {})


class Outcome:
    """How a run closed: ``status``, parsed ``result`` / ``details``, ``reason``, ``history``."""

    def __init__(self, history: list[dict[str, Any]]) -> None:
        self.history = history
        last = history[-1]
        self.status = CLOSE_EVENTS[last["eventType"]]
        attrs = attributes(last)
        self.result = json.loads(attrs["result"]) if "result" in attrs else None
        self.reason = attrs.get("reason")
        self.details = json.loads(attrs["details"]) if attrs.get("details") else None
        self.new_run_id = attrs.get("newExecutionRunId")

    def events(self, event_type: str) -> list[dict[str, Any]]:
        return [attributes(e) for e in self.history if e["eventType"] == event_type]

    def __repr__(self) -> str:
        return f"<Outcome {self.status} result={self.result!r} reason={self.reason!r}>"


def _quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(processName)s %(name)s: %(message)s")


def _run_decider(factory: Callable[[], Any]) -> None:
    _quiet_logging()
    factory().run()


def _run_worker(domain: str, task_list: str) -> None:
    _quiet_logging()
    ActivityWorker(domain, task_list, heartbeat_in_seconds=0, registry=REGISTRY).run()


class Scenario:
    """One test's domain, with its registered types and the processes it started."""

    def __init__(self, swf: Swf, tmp_path: Any) -> None:
        self.swf = swf
        self.tmp_path = tmp_path
        self.domain = unique_domain(swf.client, prefix="scenario")
        self.processes: list[Any] = []
        self.workflow_type("wf")
        for name, version in activity_types():
            swf.register_activity_type(
                ActivityType(
                    domain=self.domain, name=name, version=version, default_task_list=WORKERS,
                    default_task_start_to_close_timeout=20,
                    default_task_heartbeat_timeout="NONE",
                    default_task_schedule_to_start_timeout="NONE",
                    default_task_schedule_to_close_timeout="NONE",
                )
            )  # fmt: skip

    def workflow_type(self, name: str, version: str = "1", task_list: str = DECIDERS) -> None:
        self.swf.register_workflow_type(
            WorkflowType(
                domain=self.domain, name=name, version=version, default_task_list=task_list,
                default_task_start_to_close_timeout=DECISION_TIMEOUT,
                default_execution_start_to_close_timeout=300,
            )
        )  # fmt: skip

    def spec(self, tasks: list[Any], task_list: str = DECIDERS, **kwargs: Any) -> DeciderSpec:
        return DeciderSpec(
            domain=self.domain, task_list=task_list, default_activity_task_list=WORKERS,
            activity_tasks=tasks, **kwargs,
        )  # fmt: skip

    def process(self, target: Callable[..., None], *args: Any) -> Any:
        process = FORK.Process(target=target, args=args, daemon=True)
        process.start()
        self.processes.append(process)
        return process

    def decider(self, spec: Any, cls: type = Decider, **kwargs: Any) -> Any:
        """A decider process: ``cls(spec, **kwargs).run()``."""
        return self.process(_run_decider, lambda: cls(spec, **kwargs))

    def workers(self, count: int = 2, task_list: str = WORKERS) -> None:
        for _ in range(count):
            self.process(_run_worker, self.domain, task_list)

    def start(
        self, workflow_id: str = "run", *, input: Any = None, task_list: str = DECIDERS,
        workflow_type: str = "wf", **kwargs: Any,
    ) -> str:  # fmt: skip
        """Start a run; returns its run id."""
        response = self.swf.start_workflow_execution(
            domain=self.domain, workflow_type_name=workflow_type, workflow_type_version="1",
            workflow_id=workflow_id, task_list=task_list, input=input, **kwargs,
        )  # fmt: skip
        return response["runId"]

    def history(self, workflow_id: str, run_id: str | None = None) -> list[dict[str, Any]]:
        return self.swf.get_workflow_execution_history(
            self.domain, workflow_id=workflow_id, run_id=run_id
        )

    def wait(self, workflow_id: str, run_id: str | None = None, timeout: float = 40) -> Outcome:
        """The run's outcome, once it has closed."""
        deadline = time.monotonic() + timeout
        while True:
            history = self.history(workflow_id, run_id)
            if history and history[-1]["eventType"] in CLOSE_EVENTS:
                return Outcome(history)
            if time.monotonic() > deadline:
                kinds = [e["eventType"] for e in history[-8:]]
                raise AssertionError(f"{workflow_id} still open after {timeout} s: ...{kinds}")
            time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
        for process in self.processes:
            process.join(5)


@pytest.fixture
def scenario(local_engine, tmp_path) -> Iterator[Scenario]:
    scenario = Scenario(Swf(), tmp_path)
    try:
        yield scenario
    finally:
        scenario.stop()
