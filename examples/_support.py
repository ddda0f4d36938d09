"""What every example does around its workflow: connect, run pollers, wait, stop at once.

Not an example itself. Each example imports it (``sys.path`` points at this folder) so that
its own file shows only the workflow: activities, tasks, the decider spec and the run.

* ``connect()``: ``floto.launch.connect``: with ``--aws`` on the command line, floto.api.Swf's
  usual configuration (AWS, your credentials and region). Otherwise the local engine at
  ``AWS_ENDPOINT_URL_SWF`` (e.g. ``floto local``), or a new one for the length of the script.
* ``task_list(name)``: ``name`` plus a random suffix. Pollers are stopped at once when the
  run is over; SWF (and the local engine) may still hand a task to a poll left behind, so
  each run of an example uses task lists no earlier run polled (docs/cli.md, "Stopping").
* ``pollers(...)``: deciders and workers in processes of their own, as in production, killed
  when the block ends.
* ``wait(...)``: the run's outcome once it has closed (followed with floto.launch.RunHandle).
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import floto.api

ON_AWS = "--aws" in sys.argv[1:]


def connect() -> floto.api.Swf:
    """The SWF client of the example: AWS with ``--aws``, else the local engine."""
    import atexit

    from floto.api import EndpointError
    from floto.launch import connect as floto_connect
    from floto.local import EngineOptions

    logging.basicConfig(level=logging.WARNING, format="%(processName)s %(name)s: %(message)s")
    try:  # an engine named by AWS_ENDPOINT_URL_SWF may still be starting (`floto local &`)
        connection = floto_connect(
            aws=ON_AWS, options=EngineOptions(poll_wait=5), wait=15, configure_environment=True
        )  # S3 too, for the processes started later
    except EndpointError as error:
        sys.exit(
            f"{error.endpoint}: nothing answers there: start `floto local` there, or unset "
            "AWS_ENDPOINT_URL_SWF to let the example start an engine of its own"
        )
    atexit.register(connection.close)  # an engine started for the example stops with it
    return connection.swf


def task_list(name: str) -> str:
    """``name`` with a suffix of its own for this run of the example."""
    return f"{name}-{uuid.uuid4().hex[:6]}"


@contextlib.contextmanager
def pollers(*targets: Callable[..., None] | tuple[Callable[..., None], tuple]) -> Iterator[list]:
    """Run each target (a function, or ``(function, args)``) in a process; kill them at the end.

    The processes are killed, not asked to stop: the run is over, so none has a task in hand,
    and a polite stop would wait for its long poll (up to 60 s).
    """
    processes = []
    for target in targets:
        function, args = target if isinstance(target, tuple) else (target, ())
        process = multiprocessing.Process(target=function, args=args, daemon=True)
        process.start()
        processes.append(process)
    try:
        yield processes
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join(10)


@dataclass
class Outcome:
    """How a run closed: ``status`` (``COMPLETED``, ``FAILED``...), ``result`` or ``reason``."""

    status: str
    result: Any = None
    reason: str | None = None

    def __str__(self) -> str:
        if self.status == "COMPLETED":
            return f"workflow completed: {json.dumps(self.result, sort_keys=True)}"
        return f"workflow {self.status.lower()}: {self.reason}"


def wait(
    swf: floto.api.Swf,
    domain: str,
    workflow_id: str,
    run_id: str,
    processes: list | None = None,
    timeout: float = 120,
) -> Outcome:
    """The run's outcome once it has closed (its result, or how and why it closed)."""
    from floto.history import WorkflowStatus
    from floto.launch import RunHandle

    handle = RunHandle(swf, domain, workflow_id, run_id)
    for _ in handle.follow(every=0.2, timeout=timeout):
        if processes and any(p.exitcode not in (None, 0) for p in processes):
            raise RuntimeError("a decider or worker process died; see its output above")
    state = handle.known
    if state.status is WorkflowStatus.COMPLETED:
        return Outcome("COMPLETED", result=state.result)
    return Outcome(state.status.value.upper(), reason=state.failure_reason)


def report(outcome: Outcome) -> int:
    """Print the outcome; the exit status (0 only when the run completed)."""
    print(outcome, flush=True)
    return 0 if outcome.status == "COMPLETED" else 1
