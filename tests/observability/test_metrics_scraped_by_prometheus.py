"""A real Prometheus server scrapes a running `floto worker` and `floto decider`
(--metrics-port) while a run goes through them; what it stored matches the run's history.

Debian's `prometheus` (``make prometheus``) runs on loopback with a temporary configuration,
scraping every second.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from floto.api import Swf
from floto.cli import main
from floto.local.testing import unique_domain

HERE = Path(__file__).resolve().parent
FLOWS = str(HERE / "obs_flows.py")
sys.path.insert(0, str(HERE))

import obs_flows  # noqa: E402

PROMETHEUS = shutil.which("prometheus")
pytestmark = pytest.mark.skipif(
    PROMETHEUS is None, reason="Debian's prometheus is not installed (make prometheus)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Floto:
    """``python -m floto.cli ARGS`` in a process of its own, output in a file."""

    def __init__(self, log: Path, *args: str) -> None:
        self.log = log
        with open(log, "wb") as out:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "floto.cli", *args], stdout=out, stderr=subprocess.STDOUT
            )

    def wait_for(self, words: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.log.read_text(errors="replace"):
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {words!r}:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait(10)


class Prometheus:
    """Debian's Prometheus on loopback, scraping ``targets`` every second."""

    def __init__(self, folder: Path, targets: list[str]) -> None:
        self.port = free_port()
        config = folder / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            "scrape_configs:\n  - job_name: floto\n    static_configs:\n"
            f"      - targets: {json.dumps(targets)}\n"
        )
        self.log = folder / "prometheus.log"
        with open(self.log, "wb") as out:
            self.popen = subprocess.Popen(
                [
                    str(PROMETHEUS), f"--config.file={config}",
                    f"--storage.tsdb.path={folder / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                ],
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not self._ready():
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"prometheus did not start:\n{self.log.read_text()}")
            time.sleep(0.2)

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2):
                return True
        except OSError:
            return False

    def query(self, expression: str) -> dict[tuple[tuple[str, str], ...], float]:
        """An instant query's vector: {labels: value}."""
        url = f"http://127.0.0.1:{self.port}/api/v1/query?" + urllib.parse.urlencode(
            {"query": expression}
        )
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                body = json.load(answer)
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{expression}: {error.read().decode()}") from None
        assert body["status"] == "success", body
        return {
            tuple(sorted(item["metric"].items())): float(item["value"][1])
            for item in body["data"]["result"]
        }

    def total(self, expression: str) -> float:
        return sum(self.query(f"sum({expression})").values())

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)


def history_counts(swf: Swf, domain: str, workflow_id: str) -> Counter[str]:
    return Counter(
        event["eventType"]
        for event in swf.get_workflow_execution_history(domain, workflow_id=workflow_id)
    )


def wait_closed(swf: Swf, domain: str, workflow_id: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = swf.describe_workflow_execution(domain, workflow_id)["executionInfo"]
        if info["executionStatus"] == "CLOSED":
            return str(info["closeStatus"])
        time.sleep(0.2)
    raise AssertionError(f"{workflow_id} still open after {timeout} s")


def test_prometheus_counts_what_the_history_records(local_engine, tmp_path):
    swf = Swf()
    domain = unique_domain(swf.client, prefix="obs")
    where = ["--domain", domain, "--decision-timeout", "10", "--activity-timeout", "30"]
    assert main(["register", f"{FLOWS}:spec", "--workflow-type", "obs:1", *where]) == 0
    worker_port, decider_port = free_port(), free_port()
    common = ["--domain", domain, "--metrics-host", "127.0.0.1", "--log-format", "json"]
    worker = Floto(tmp_path / "worker.log", "worker", FLOWS, "--task-list",
                   obs_flows.ACTIVITIES, "--heartbeat", "0", "--threads", "2",
                   "--metrics-port", str(worker_port), *common)  # fmt: skip
    decider = Floto(tmp_path / "decider.log", "decider", f"{FLOWS}:spec",
                    "--metrics-port", str(decider_port), *common)  # fmt: skip
    prometheus = None
    try:
        worker.wait_for("polling")
        decider.wait_for("polling")
        targets = [f"127.0.0.1:{worker_port}", f"127.0.0.1:{decider_port}"]
        prometheus = Prometheus(tmp_path, targets)
        swf.start_workflow_execution(
            domain=domain, workflow_type_name="obs", workflow_type_version="1",
            workflow_id="observed",
        )  # fmt: skip
        assert wait_closed(swf, domain, "observed") == "FAILED"
        events = history_counts(swf, domain, "observed")
        assert events["ActivityTaskCompleted"] == obs_flows.OK_TASKS
        assert events["ActivityTaskFailed"] == 2
        where_domain = f'domain="{domain}"'
        expected = {
            f'floto_activity_tasks_total{{{where_domain},outcome="completed"}}': events[
                "ActivityTaskCompleted"
            ],
            f'floto_activity_tasks_total{{{where_domain},outcome="failed"}}': events[
                "ActivityTaskFailed"
            ],
            f'floto_activity_tasks_total{{{where_domain},outcome="started"}}': events[
                "ActivityTaskStarted"
            ],
            f'floto_activity_task_seconds_count{{{where_domain}}}': events["ActivityTaskStarted"],
            f'floto_decision_tasks_total{{{where_domain}}}': events["DecisionTaskCompleted"],
            f'floto_decision_tasks_total{{{where_domain},cache="cold"}}': 1,
            f'floto_decision_task_seconds_count{{{where_domain}}}': events["DecisionTaskCompleted"],
            f'floto_decisions_total{{{where_domain},decision_type="ScheduleActivityTask"}}': events[
                "ActivityTaskScheduled"
            ],
            f'floto_decisions_total{{{where_domain},decision_type="FailWorkflowExecution"}}': 1,
            f'floto_polls_total{{{where_domain},role="worker",result="task"}}': events[
                "ActivityTaskStarted"
            ],
            f'floto_polls_total{{{where_domain},role="decider",result="task"}}': events[
                "DecisionTaskStarted"
            ],
        }  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            seen = {expression: prometheus.total(expression) for expression in expected}
            if seen == expected or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert seen == expected
        by_type = prometheus.query(
            f'sum by (activity_type, task_list) (floto_activity_tasks_total{{{where_domain},'
            'outcome="completed"})'
        )  # fmt: skip
        assert by_type == {
            (("activity_type", "obs_ok:1"), ("task_list", obs_flows.ACTIVITIES)): 4.0
        }
        run_labels = prometheus.query(f'{{__name__=~"floto_.*",{where_domain},run_id!=""}}')
        assert run_labels == {}  # never a label per run
    finally:
        if prometheus is not None:
            prometheus.stop()
        worker.kill()
        decider.kill()
    lines = [json.loads(line) for line in (tmp_path / "worker.log").read_text().splitlines()]
    running = [line for line in lines if line["message"].startswith("running activity")]
    assert len(running) == events["ActivityTaskStarted"]
    assert {line["workflow_id"] for line in running} == {"observed"}
