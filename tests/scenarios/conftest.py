"""Scenario fixtures: deciders and workers in separate processes (forked), talking over HTTP to
a local engine, on the domain of a floto.testing Environment of the test's own.

``scenario`` runs on the session's real-time engine; a test marked ``time_skipping`` runs on
the session's time-skipping engine (floto.testing's ``floto_skipping_engine``), where timers,
back-offs and timeouts take no wall time. There, :meth:`Scenario.start` first waits until
every process started so far has sent its first poll: a task nobody is there to take lets the
clock jump (to the run's own timeout).

Tests that need no process of their own use floto.testing's ``floto_env`` directly.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from scenario_activities import REGISTRY, activity_types

from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.specs import DeciderSpec
from floto.testing import Environment
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
READY_TIMEOUT = 30
"""Seconds start() waits, under time skipping, for the processes to send their first poll."""


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


def _watch_polls(polled: Any) -> None:
    """In a child process: set ``polled`` when any Swf client of the process first polls."""
    for name in ("poll_for_decision_task", "poll_for_activity_task"):
        original = getattr(Swf, name)

        def poll(self: Swf, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            polled.set()
            return _original(self, *args, **kwargs)

        setattr(Swf, name, poll)  # this process only: it is a fork of its own


def _child(endpoint_url: str, polled: Any, target: Callable[..., None], *args: Any) -> None:
    os.environ["AWS_ENDPOINT_URL_SWF"] = endpoint_url  # every Swf() of the child: this engine
    _watch_polls(polled)
    target(*args)


def _quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(processName)s %(name)s: %(message)s")


def _run_decider(factory: Callable[[], Any]) -> None:
    _quiet_logging()
    factory().run()


def _run_worker(domain: str, task_list: str) -> None:
    _quiet_logging()
    ActivityWorker(domain, task_list, heartbeat_in_seconds=0, registry=REGISTRY).run()


class Scenario:
    """One test's domain (its Environment's), with its registered types and the processes it
    started."""

    def __init__(self, env: Environment, tmp_path: Any) -> None:
        self.env = env
        self.swf = env.swf
        self.tmp_path = tmp_path
        self.domain = env.domain
        self.processes: list[Any] = []
        self._polled: list[tuple[Any, Any]] = []  # (process, its first-poll event)
        self.workflow_type("wf")
        for name, version in activity_types():
            self.swf.register_activity_type(
                ActivityType(
                    domain=self.domain, name=name, version=version, default_task_list=WORKERS,
                    default_task_start_to_close_timeout=20,
                    default_task_heartbeat_timeout="NONE",
                    default_task_schedule_to_start_timeout="NONE",
                    default_task_schedule_to_close_timeout="NONE",
                )
            )  # fmt: skip

    def workflow_type(
        self, name: str, version: str = "1", task_list: str = DECIDERS,
        decision_timeout: int = DECISION_TIMEOUT,
    ) -> None:  # fmt: skip
        self.swf.register_workflow_type(
            WorkflowType(
                domain=self.domain, name=name, version=version, default_task_list=task_list,
                default_task_start_to_close_timeout=decision_timeout,
                default_execution_start_to_close_timeout=300,
            )
        )  # fmt: skip

    def spec(self, tasks: list[Any], task_list: str = DECIDERS, **kwargs: Any) -> DeciderSpec:
        return DeciderSpec(
            domain=self.domain, task_list=task_list, default_activity_task_list=WORKERS,
            activity_tasks=tasks, **kwargs,
        )  # fmt: skip

    def process(self, target: Callable[..., None], *args: Any) -> Any:
        """A forked process running ``target(*args)`` on this scenario's engine."""
        polled = FORK.Event()
        process = FORK.Process(
            target=_child, args=(self.env.endpoint_url, polled, target, *args), daemon=True
        )
        process.start()
        self.processes.append(process)
        self._polled.append((process, polled))
        return process

    def wait_for_pollers(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait until every live process started so far has sent its first poll."""
        deadline = time.monotonic() + timeout
        for process, polled in self._polled:
            while process.is_alive() and not polled.wait(0.05):
                if time.monotonic() > deadline:
                    raise AssertionError(f"process {process.pid} never polled in {timeout} s")

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
        """Start a run; returns its run id (under time skipping, once every process polls)."""
        if self.env.time_skipping:
            self.wait_for_pollers()
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
        """Kill the processes (the Environment then terminates the domain's open runs)."""
        for process in self.processes:
            if process.is_alive():
                process.kill()
        for process in self.processes:
            process.join(5)


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "time_skipping: run the scenario on the session's time-skipping engine"
    )


@pytest.fixture
def scenario(request, floto_env_factory, tmp_path) -> Iterator[Scenario]:
    skipping = request.node.get_closest_marker("time_skipping") is not None
    scenario = Scenario(floto_env_factory(time_skipping=skipping, workers=0), tmp_path)
    try:
        yield scenario
    finally:
        scenario.stop()


@pytest.fixture
def scenario_on(tmp_path) -> Iterator[Callable[[Any], Scenario]]:
    """``make(engine)``: a Scenario on an engine of the test's own (e.g. one with other
    quotas), on a domain of its own; stopped and closed when the test ends."""
    made: list[Scenario] = []

    def make(engine: Any) -> Scenario:
        made.append(Scenario(Environment(engine=engine, workers=0).start(), tmp_path))
        return made[-1]

    yield make
    for scenario in made:
        scenario.stop()
        scenario.env.close()
