"""floto's metrics for users who run the loops themselves: enable_metrics / serve_metrics, and
what failed polls, back-offs, throttles and failed heartbeats count (real Swf calls)."""

from __future__ import annotations

import time
import urllib.request
import uuid

import pytest
from botocore.stub import Stubber
from prometheus_client import CollectorRegistry

from floto import observability
from floto.api import Swf, ThrottledError
from floto.worker import ActivityWorker
from floto.worker._heartbeat import Heartbeat


def test_failed_polls_count_errors_and_back_offs(local_engine, registry):
    domain = f"nowhere-{uuid.uuid4().hex[:8]}"
    worker = ActivityWorker(domain, "tl", swf=Swf())
    worker.backoff_base_seconds = worker.backoff_cap_seconds = 0.01
    assert not worker.run_once() and not worker.run_once()
    labels = {"role": "worker", "domain": domain, "task_list": "tl"}
    errors = registry.get_sample_value(
        "floto_poll_errors_total", {**labels, "error": "UnknownResourceFault"}
    )
    assert errors == 2
    assert registry.get_sample_value("floto_backoffs_total", labels) == 2
    assert 0.01 <= registry.get_sample_value("floto_backoff_seconds_total", labels) <= 0.02
    assert registry.get_sample_value("floto_polls_total", {**labels, "result": "error"}) == 2


def test_throttled_calls_are_counted_per_attempt(registry):
    swf = Swf(endpoint_url="http://127.0.0.1:9")
    swf.retry_base_seconds = swf.retry_cap_seconds = 0.001
    with Stubber(swf.client) as stub:
        for _ in range(swf.max_attempts):
            stub.add_client_error("poll_for_activity_task", "ThrottlingException", "slow down")
        with pytest.raises(ThrottledError):
            swf.poll_for_activity_task("d", "tl", identity="me")
    sample = registry.get_sample_value(
        "floto_throttles_total", {"operation": "PollForActivityTask"}
    )
    assert sample == swf.max_attempts


def test_failed_heartbeats_count_under_the_tasks_labels(local_engine, registry):
    fields = {"domain": "d", "task_list": "tl", "activity_type": "a:1"}
    with observability.run_context(**fields), Heartbeat(Swf(), "no-such-token", 0.05) as beat:
        deadline = time.monotonic() + 10
        while not beat.task_lost and time.monotonic() < deadline:
            time.sleep(0.02)
    assert beat.task_lost
    assert registry.get_sample_value("floto_heartbeat_failures_total", fields) == 1


def test_served_metrics_are_scrapable_and_ports_are_checked(registry):
    observability.polled("worker", "d", "tl", True)
    port = observability.serve_metrics(0, "127.0.0.1", registry)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    assert 'floto_polls_total{domain="d",result="task",role="worker",task_list="tl"} 1.0' in text
    with pytest.raises(ValueError, match="metrics port must be a whole number from 0 to 65535"):
        observability.serve_metrics(70_000)
    with pytest.raises(ValueError, match="already enabled with another registry"):
        observability.enable_metrics(CollectorRegistry())
