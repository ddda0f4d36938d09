"""ActivityWorker's arguments and its SIGTERM handler's lifetime (no engine needed)."""

from __future__ import annotations

import os
import signal
import socket

import pytest

from floto.api import Swf
from floto.worker import ActivityRegistry, ActivityWorker, default_registry


def offline_swf() -> Swf:
    return Swf(endpoint_url="http://127.0.0.1:9")


def test_defaults_follow_the_seed():
    worker = ActivityWorker(domain="floto_test", task_list="atl", swf=offline_swf())
    assert worker.heartbeat_in_seconds == 90
    assert worker.identity == f"{socket.gethostname()}:{os.getpid()}"
    assert worker.registry is default_registry


def test_none_heartbeat_means_the_default_and_negative_is_refused():
    assert ActivityWorker("d", "t", None, swf=offline_swf()).heartbeat_in_seconds == 90
    with pytest.raises(ValueError, match="heartbeat_in_seconds must be >= 0"):
        ActivityWorker("d", "t", -1, swf=offline_swf())
    with pytest.raises(TypeError, match="must be a number"):
        ActivityWorker("d", "t", "90", swf=offline_swf())  # type: ignore[arg-type]


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), 10**9])
def test_a_heartbeat_interval_that_is_not_finite_or_past_swf_s_range_is_refused(seconds):
    with pytest.raises(ValueError, match="must be >= 0 and at most 99,999,999"):
        ActivityWorker("d", "t", seconds, swf=offline_swf())


def test_identity_and_registry_can_be_given():
    registry = ActivityRegistry()
    worker = ActivityWorker("d", "t", identity="box-1", registry=registry, swf=offline_swf())
    assert (worker.identity, worker.registry) == ("box-1", registry)


def test_run_restores_the_previous_sigterm_handler():
    def previous(signum, frame):
        pass

    old = signal.signal(signal.SIGTERM, previous)
    try:
        ActivityWorker("d", "t", swf=offline_swf()).run(max_tasks=0)
        assert signal.getsignal(signal.SIGTERM) is previous
    finally:
        signal.signal(signal.SIGTERM, old)


def test_a_stopped_worker_stays_stopped():
    worker = ActivityWorker("d", "t", swf=offline_swf())
    worker.stop()
    worker.run()  # returns at once: no poll is sent
    assert worker.swf.call_counts["PollForActivityTask"] == 0


@pytest.mark.parametrize("max_tasks", [float("nan"), float("inf"), -1, 1.5, True])
def test_max_tasks_is_a_whole_number_or_none(max_tasks):
    with pytest.raises(ValueError, match="max_tasks must be None or a whole number >= 0"):
        ActivityWorker("d", "t", swf=offline_swf()).run(max_tasks=max_tasks)
