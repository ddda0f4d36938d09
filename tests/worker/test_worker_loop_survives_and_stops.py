"""The polling loop survives network errors, stops on stop() and lets SIGTERM finish the task."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import botocore.exceptions
from scheduling import scheduler_fixture, swf_fixture  # noqa: F401  (pytest fixtures)

from floto.api import Swf
from floto.worker import ActivityWorker, activity

WORKER_SCRIPT = textwrap.dedent(
    """
    import logging, sys, time
    import floto
    from floto.worker import ActivityRegistry, ActivityWorker

    registry = ActivityRegistry()

    @floto.activity("slow", "1", registry=registry)
    def slow():
        print("task started", flush=True)
        deadline = time.monotonic() + 20
        while not worker.stopping:  # until the test's SIGTERM has reached the worker
            if time.monotonic() > deadline:
                return "no SIGTERM came"
            time.sleep(0.02)
        time.sleep(0.2)  # the task goes on after the signal
        return "finished after SIGTERM"

    logging.basicConfig(level=logging.INFO)
    worker = ActivityWorker(sys.argv[1], "workers", heartbeat_in_seconds=0, registry=registry)
    worker.run()
    print("run returned", flush=True)
    """
)


def test_sigterm_lets_the_current_task_finish_then_run_returns(scheduler, tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER_SCRIPT)
    scheduler.activity_type("slow")
    run = scheduler.schedule("slow")
    process = subprocess.Popen(
        [sys.executable, str(script), scheduler.domain],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        scheduler.wait_for(run, "ActivityTaskStarted")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "task started" in output and output.rstrip().endswith("run returned")
    kind, attributes = scheduler.outcome(run)
    assert (kind, attributes["result"]) == ("ActivityTaskCompleted", '"finished after SIGTERM"')


def test_stop_from_another_thread_ends_run(scheduler):
    worker = scheduler.worker()
    thread = threading.Thread(target=worker.run)
    thread.start()
    time.sleep(0.5)
    worker.stop()
    thread.join(timeout=10)  # at most one idle poll (3 s on the test engine)
    assert not thread.is_alive()
    assert worker.stopping


def test_worker_keeps_polling_an_unreachable_endpoint_until_stopped():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    swf = Swf(endpoint_url=f"http://127.0.0.1:{port}")
    worker = ActivityWorker("d", "tl", swf=swf, heartbeat_in_seconds=0)
    worker.backoff_base_seconds = 0.05
    thread = threading.Thread(target=worker.run)
    thread.start()
    deadline = time.monotonic() + 20
    while swf.call_counts["PollForActivityTask"] < 3:  # it polls on after failed polls
        assert time.monotonic() < deadline, swf.call_counts
        time.sleep(0.02)
    assert thread.is_alive()
    worker.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert swf.call_counts["PollForActivityTask"] >= 3


def test_worker_recovers_after_dropped_connections(scheduler, swf):
    @activity("afterOutage", "1", registry=scheduler.registry)
    def after_outage():
        return "ok"

    scheduler.activity_type("afterOutage")
    run = scheduler.schedule("afterOutage")
    dropped = []

    def drop(request, **_):
        if len(dropped) < 6:  # more than one Swf call's retries: the worker must back off
            dropped.append(1)
            raise botocore.exceptions.ConnectionClosedError(endpoint_url=request.url)
        return None

    polling = Swf()
    polling.retry_base_seconds = 0.01
    polling.client.meta.events.register("before-send.swf.PollForActivityTask", drop)
    worker = scheduler.worker(swf=polling)
    worker.backoff_base_seconds = 0.05
    worker.run(max_tasks=1)
    assert len(dropped) == 6
    assert polling.call_counts["PollForActivityTask"] >= 7
    assert scheduler.outcome(run)[1]["result"] == '"ok"'
