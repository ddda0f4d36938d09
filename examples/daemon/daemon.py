"""The Decider daemon: a workflow that never closes and starts a child workflow, with a
decider of its own, for each ``startChildWorkflowExecution`` signal.

    python examples/daemon/daemon.py
    python examples/daemon/daemon.py --aws

The script runs ``floto.decider.Daemon`` and a worker, starts the daemon workflow once
(type ``floto_daemon_type``/``v1``, workflow id ``floto_daemon``), signals it a DeciderSpec,
waits for the child run the daemon started, prints its result, and ends the daemon run.

A daemon run stays open until someone ends it: while it is open, starting it again fails
with WorkflowAlreadyStartedError. End it from a shell with::

    floto terminate floto_daemon --domain floto_test

(``floto list --domain floto_test`` shows it; the daemon's deciders are not needed for that.)
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _support  # connect, run pollers, wait: see examples/_support.py

import floto
import floto.api
import floto.decider
import floto.specs
from floto.history import ExecutionFollower, TaskStatus
from floto.ids import from_swf_id
from floto.specs.task import ActivityTask

DOMAIN = "floto_test"
DAEMON_ID = "floto_daemon"


@floto.activity(name="ActivityA", version="v1")
def activity_a(context):
    return {"your": "result_activity_a"}


def register(swf: floto.api.Swf) -> None:
    swf.domains.register_domain(DOMAIN)
    swf.register_workflow_type(
        floto.api.WorkflowType(
            domain=DOMAIN,
            name="floto_daemon_type",
            version="v1",
            default_task_start_to_close_timeout=30,
            default_execution_start_to_close_timeout=86400,
        )
    )
    swf.register_activity_type(
        floto.api.ActivityType(
            domain=DOMAIN,
            name="ActivityA",
            version="v1",
            default_task_start_to_close_timeout=60,
        )
    )


def end_daemon_run(swf: floto.api.Swf, reason: str) -> None:
    """Terminate the open daemon run, if there is one (what `floto terminate` does)."""
    with contextlib.suppress(floto.api.UnknownResourceError):  # no open daemon run
        swf.terminate_workflow_execution(DOMAIN, DAEMON_ID, reason=reason)


def run_daemon(task_list: str) -> None:
    floto.decider.Daemon(domain=DOMAIN, task_list=task_list).run()


def run_worker(task_list: str) -> None:
    floto.ActivityWorker(domain=DOMAIN, task_list=task_list).run()


def started_child(swf: floto.api.Swf, run_id: str, timeout: float = 60) -> dict[str, str]:
    """The child run the daemon started for the signal: {workflowId, runId}."""
    follower = ExecutionFollower(
        swf.history_page_reader(DOMAIN, DAEMON_ID, run_id),
        domain=DOMAIN,
        workflow_id=DAEMON_ID,
        run_id=run_id,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        follower.poll()
        for task in follower.state.tasks.values():
            attempt = task.last_attempt
            if task.status is not TaskStatus.PENDING and attempt and attempt.workflow_execution:
                return attempt.workflow_execution
        time.sleep(0.2)
    raise TimeoutError("the daemon started no child workflow")


def main() -> int:
    swf = _support.connect()
    register(swf)
    end_daemon_run(swf, "an earlier run of the example left it open")
    daemon_list, activities = _support.task_list("floto_daemon"), _support.task_list("my_atl")
    with _support.pollers((run_daemon, (daemon_list,)), (run_worker, (activities,))) as processes:
        # Start the "daemon workflow" once.
        run_id = floto.api.Swf().start_workflow_execution(
            domain=DOMAIN,
            workflow_type_name="floto_daemon_type",
            workflow_type_version="v1",
            task_list=daemon_list,
            workflow_id=DAEMON_ID,
        )["runId"]
        # Send a signal to the daemon and initiate a child workflow.
        activity_task_a = ActivityTask(name="ActivityA", version="v1")
        decider_spec = floto.specs.DeciderSpec(
            domain=DOMAIN,
            default_activity_task_list=activities,
            activity_tasks=[activity_task_a],
        )
        floto.api.Swf().signal_workflow_execution(
            domain=DOMAIN,
            workflow_id=DAEMON_ID,
            signal_name="startChildWorkflowExecution",
            input={"decider_spec": decider_spec},
        )
        child = started_child(swf, run_id)
        outcome = _support.wait(swf, DOMAIN, child["workflowId"], child["runId"], processes)
        end_daemon_run(swf, "the example is done")  # or: floto terminate floto_daemon
    print(f"child workflow {from_swf_id(child['workflowId'])}: ", end="")
    return _support.report(outcome)


if __name__ == "__main__":
    sys.exit(main())
