"""A domain on the session's engine for in-process deciders, and a worker process for it.

(Planner tests reuse the hand-made histories of tests/history: ``history.histories``.)
"""

import multiprocessing
from collections.abc import Iterator
from typing import Any

import pytest

import floto
from floto.api import ActivityType, Swf, WorkflowType
from floto.local.testing import unique_domain
from floto.worker import ActivityRegistry, ActivityWorker

REGISTRY = ActivityRegistry()


@floto.activity("inc", "1", registry=REGISTRY)
def inc(context):
    """Adds 1 to the result of the task it requires (0 for a root)."""
    values = [v for k, v in context.items() if k not in ("workflow", "activity_task")]
    return (values[0] if values else 0) + 1


class Engine:
    """A domain on the session's engine with type wf/1 and inc/1. Decision tasks time out
    after 10 s (a loaded machine takes seconds for some decisions); tests of the timeout make
    their own Engine with a shorter one. ``swf``: a client of another engine (e.g. the
    session's time-skipping one, ``Swf(endpoint_url=floto_skipping_engine.endpoint_url)``)."""

    def __init__(self, decision_timeout: int = 10, swf: Swf | None = None) -> None:
        self.swf = swf if swf is not None else Swf()
        self.domain = unique_domain(self.swf.client, prefix="decider")
        self.swf.register_workflow_type(WorkflowType(
            domain=self.domain, name="wf", version="1", default_task_list="deciders",
            default_task_start_to_close_timeout=decision_timeout,
            default_execution_start_to_close_timeout=300,
        ))  # fmt: skip
        self.swf.register_activity_type(ActivityType(
            domain=self.domain, name="inc", version="1", default_task_list="workers",
            default_task_start_to_close_timeout=20, default_task_heartbeat_timeout="NONE",
        ))  # fmt: skip
        self.processes: list[Any] = []

    def start(self, workflow_id: str = "run", **kwargs: Any) -> str:
        return self.swf.start_workflow_execution(
            domain=self.domain, workflow_type_name="wf", workflow_type_version="1",
            workflow_id=workflow_id, task_list="deciders", **kwargs,
        )["runId"]  # fmt: skip

    def worker(self) -> None:
        process = multiprocessing.get_context("fork").Process(
            target=_work, args=(self.domain,), daemon=True
        )
        process.start()
        self.processes.append(process)

    def history(self, workflow_id: str = "run", run_id: str | None = None) -> list[dict]:
        return self.swf.get_workflow_execution_history(
            self.domain, workflow_id=workflow_id, run_id=run_id
        )


def _work(domain: str) -> None:
    ActivityWorker(domain, "workers", heartbeat_in_seconds=0, registry=REGISTRY).run()


@pytest.fixture
def driver(engine):
    """Deciders and a worker stepped one task at a time (decider/inflight_support.py)."""
    from decider.inflight_support import Driver

    return Driver(engine)


@pytest.fixture
def engine(local_engine) -> Iterator[Engine]:
    engine = Engine()
    try:
        yield engine
    finally:
        for process in engine.processes:
            process.kill()
            process.join(5)
