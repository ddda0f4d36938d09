"""`floto worker` and `floto decider` stop at once on SIGTERM when idle, even in the middle of
a long poll (this engine holds idle polls 60 s, as SWF does); a worker with a task in hand
finishes it first; a second signal stops at once; --drain waits for the poll in progress and
runs the task it brings."""

from __future__ import annotations

import json
import time

import cli_flows
import pytest
from cli_support import FLOWS, wait_closed

from floto.api import Swf
from floto.cli import main
from floto.local.testing import running_engine, unique_domain

POLL_WAIT = 60.0


@pytest.fixture(scope="module")
def slow_engine():
    with running_engine(poll_wait=POLL_WAIT) as engine:
        yield engine


@pytest.fixture
def place(slow_engine):
    """(endpoint options, domain, Swf) on the 60 s engine, with the test flows registered."""
    swf = Swf(endpoint_url=slow_engine.endpoint_url)
    domain = unique_domain(swf.client, prefix="cli-stop")
    where = ["--domain", domain, "--endpoint-url", slow_engine.endpoint_url]
    assert (
        main(
            [
                "register",
                FLOWS,
                "--workflow-type",
                "dynamic:1",
                "--task-list",
                cli_flows.ACTIVITIES,
                "--decider-task-list",
                cli_flows.DYNAMIC,
                "--decision-timeout",
                "10",
                *where,
            ]
        )
        == 0
    )
    return where, domain, swf


def _start(swf: Swf, domain: str, tasks: list, workflow_id: str) -> None:
    swf.start_workflow_execution(
        domain=domain,
        workflow_type_name="dynamic",
        workflow_type_version="1",
        workflow_id=workflow_id,
        input=json.dumps({"activity_tasks": [task.to_dict() for task in tasks]}),
    )


def _worker(floto_process, where, *extra):
    worker = floto_process(
        "worker", FLOWS, "--task-list", cli_flows.ACTIVITIES, "--heartbeat", "0", *where, *extra
    )
    worker.wait_for("polling")
    return worker


def _decider(floto_process, where):
    decider = floto_process("decider", "--dynamic", "--task-list", cli_flows.DYNAMIC, *where)
    decider.wait_for("polling")
    return decider


def test_idle_worker_and_decider_stop_at_once_in_a_long_poll(place, floto_process):
    where, _, _ = place
    worker, decider = _worker(floto_process, where), _decider(floto_process, where)
    time.sleep(0.5)  # both are inside a poll the engine holds for 60 s
    assert worker.stop() < 5 and worker.popen.returncode == 0
    assert decider.stop() < 5 and decider.popen.returncode == 0


def test_a_worker_finishes_the_task_in_hand_then_stops(place, floto_process):
    where, domain, swf = place
    worker, _ = _worker(floto_process, where), _decider(floto_process, where)
    _start(swf, domain, cli_flows.slow_tasks(1.5), "slow-stop")
    worker.wait_for("running activity slow")
    took = worker.stop(timeout=30)
    assert worker.popen.returncode == 0 and took < 20
    assert "stopping after the task in hand" in worker.output
    assert "responded activity_task_completed" in worker.output
    assert wait_closed(swf, domain, "slow-stop")["closeStatus"] == "COMPLETED"


def test_a_second_signal_stops_at_once(place, floto_process):
    where, domain, swf = place
    worker, _ = _worker(floto_process, where), _decider(floto_process, where)
    _start(swf, domain, cli_flows.slow_tasks(60), "slow-twice")
    worker.wait_for("running activity slow")
    worker.popen.terminate()
    worker.wait_for("stopping after the task in hand")
    assert worker.stop() < 5
    assert "left to time out" in worker.output
    swf.terminate_workflow_execution(domain, "slow-twice")


def test_drain_runs_the_task_its_poll_in_progress_brings(place, floto_process):
    where, domain, swf = place
    worker = _worker(floto_process, where, "--drain")
    _decider(floto_process, where)
    time.sleep(0.5)
    worker.popen.terminate()
    worker.wait_for("stopping after the poll in progress returns")
    assert worker.popen.poll() is None  # still waiting on its poll
    _start(swf, domain, [cli_flows.hello_task], "drained")
    assert worker.popen.wait(30) == 0
    assert "running activity hello" in worker.output
    assert wait_closed(swf, domain, "drained")["closeStatus"] == "COMPLETED"
