"""Activities and worker processes for the fault scenarios: long activities kept alive (or
not) by heartbeats, and a worker killed with SIGKILL in the middle of a task.

The activity types here get a 1 s heartbeat timeout (:func:`register_fault_types`), unlike
the scenario registry's, whose types have none; workers that heartbeat do so every 0.25 s
(four chances per timeout, so a loaded machine's stalls do not time a live task out).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import floto
from floto.api import ActivityType, Swf
from floto.worker import ActivityRegistry, ActivityWorker

FAULT_REGISTRY = ActivityRegistry()
FAULT_WORKERS = "fault-workers"
HEARTBEAT_TIMEOUT = 1
"""Seconds without a heartbeat after which the engine times a started task out."""
HEARTBEAT_EVERY = 0.25
"""Seconds between the heartbeats of a worker that sends them."""


@floto.activity("long_running", "1", registry=FAULT_REGISTRY)
def long_running(context):
    """Runs ``activity_task['seconds']`` seconds (three heartbeat timeouts, in the test)."""
    seconds = context["activity_task"]["seconds"]
    time.sleep(seconds)
    return {"ran_seconds": seconds, "pid": os.getpid()}


@floto.activity("stalls_first_time", "1", registry=FAULT_REGISTRY)
def stalls_first_time(context):
    """First attempt: write ``<dir>/first-attempt`` with this process's id, then hang (until the
    test kills the process). Later attempts return at once.

    The file is created with O_EXCL, so exactly one attempt ever takes the hanging branch.
    """
    marker = Path(context["activity_task"]["dir"]) / "first-attempt"
    try:
        descriptor = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return {"pid": os.getpid(), "first_attempt_pid": int(marker.read_text())}
    with os.fdopen(descriptor, "w") as handle:
        handle.write(str(os.getpid()))
    time.sleep(120)
    return {"pid": os.getpid(), "unexpected": "the first attempt was not killed"}


def register_fault_types(swf: Swf, domain: str) -> None:
    """Register every activity of FAULT_REGISTRY with a HEARTBEAT_TIMEOUT (1 s) heartbeat
    timeout."""
    for definition in FAULT_REGISTRY:
        swf.register_activity_type(
            ActivityType(
                domain=domain, name=definition.name, version=definition.version,
                default_task_list=FAULT_WORKERS, default_task_start_to_close_timeout=60,
                default_task_heartbeat_timeout=str(HEARTBEAT_TIMEOUT),
                default_task_schedule_to_start_timeout="NONE",
                default_task_schedule_to_close_timeout="NONE",
            )
        )  # fmt: skip


def run_fault_worker(domain: str, heartbeat_in_seconds: float) -> None:
    """A worker process's body: poll FAULT_WORKERS with FAULT_REGISTRY until killed."""
    logging.basicConfig(level=logging.WARNING, format="%(processName)s %(name)s: %(message)s")
    ActivityWorker(
        domain, FAULT_WORKERS, heartbeat_in_seconds=heartbeat_in_seconds, registry=FAULT_REGISTRY
    ).run()
