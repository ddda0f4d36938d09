"""Benchmark of floto's local SWF engine, with stock moto as a baseline in the same run.

Run: ``python bench/bench_local_engine.py [--quick]``. Prints medians (ms) of:
- a cheap call (DescribeDomain);
- decision poll + respond (a run's first decision task, completing the run);
- one workflow cycle (start, poll, respond, describe, count) with 0 and with 5,000 closed
  executions in the domain, and their ratio (must stay within 2x).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from floto.local import LocalEngine, is_reachable


def client(endpoint: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "swf",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(read_timeout=90, retries={"max_attempts": 0}),
    )


class Domain:
    def __init__(self, swf: Any) -> None:
        self.swf, self.name = swf, f"bench-{uuid.uuid4().hex[:8]}"
        swf.register_domain(name=self.name, workflowExecutionRetentionPeriodInDays="1")
        swf.register_workflow_type(
            domain=self.name,
            name="wf",
            version="1",
            defaultTaskList={"name": "tl"},
            defaultExecutionStartToCloseTimeout="600",
            defaultTaskStartToCloseTimeout="60",
            defaultChildPolicy="TERMINATE",
        )
        self.count = 0

    def start(self) -> str:
        self.count += 1
        wid = f"w{self.count}"
        self.swf.start_workflow_execution(
            domain=self.name, workflowId=wid, workflowType={"name": "wf", "version": "1"}
        )
        return wid

    def poll_respond(self) -> None:
        task = self.swf.poll_for_decision_task(domain=self.name, taskList={"name": "tl"})
        self.swf.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=[{"decisionType": "CompleteWorkflowExecution"}]
        )

    def cycle(self) -> None:
        wid = self.start()
        task = self.swf.poll_for_decision_task(domain=self.name, taskList={"name": "tl"})
        self.swf.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=[{"decisionType": "CompleteWorkflowExecution"}]
        )
        self.swf.describe_workflow_execution(
            domain=self.name,
            execution={"workflowId": wid, "runId": task["workflowExecution"]["runId"]},
        )
        self.swf.count_pending_decision_tasks(domain=self.name, taskList={"name": "tl"})


def median_ms(fn: Any, n: int, before: Any = None) -> float:
    times = []
    for _ in range(n):
        if before:
            before()
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def close_many(dom: Domain, count: int, fan_out: bool) -> None:
    """``count`` closed executions: children terminated with their parent (fast), or
    start + terminate one by one (stock moto has no child workflows)."""
    if not fan_out:
        for _ in range(count):
            dom.swf.terminate_workflow_execution(domain=dom.name, workflowId=dom.start())
        return
    for _ in range(count // 1000):
        parent = dom.start()
        task = dom.swf.poll_for_decision_task(domain=dom.name, taskList={"name": "tl"})
        kids = [
            {
                "decisionType": "StartChildWorkflowExecution",
                "startChildWorkflowExecutionDecisionAttributes": {
                    "workflowType": {"name": "wf", "version": "1"},
                    "workflowId": f"{parent}-kid-{i}",
                    "taskList": {"name": "kids"},
                },
            }
            for i in range(1000)
        ]
        dom.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=kids)
        dom.swf.terminate_workflow_execution(domain=dom.name, workflowId=parent)


def measure(endpoint: str, n: int, closed: int, fan_out: bool) -> dict[str, float]:
    swf = client(endpoint)
    dom = Domain(swf)
    out = {"cheap": median_ms(lambda: swf.describe_domain(name=dom.name), n)}
    out["poll+respond"] = median_ms(dom.poll_respond, n, before=dom.start)
    fresh = Domain(swf)
    out["cycle@0"] = median_ms(fresh.cycle, n)
    began = time.perf_counter()
    close_many(fresh, closed, fan_out)
    out["setup_s"] = time.perf_counter() - began
    out[f"cycle@{closed}"] = median_ms(fresh.cycle, n)
    out["ratio"] = out[f"cycle@{closed}"] / out["cycle@0"]
    return out


def stock_moto(port: int) -> subprocess.Popen[bytes]:
    code = f"from moto.server import main; main(['-p', '{port}'])"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while not is_reachable(f"http://127.0.0.1:{port}") and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report(label: str, figures: dict[str, float]) -> None:
    print(f"{label}:")
    for key, value in figures.items():
        unit = "" if key == "ratio" else (" s" if key.endswith("_s") else " ms")
        print(f"  {key:>16}: {value:8.2f}{unit}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller baseline")
    parser.add_argument("--no-baseline", action="store_true", help="skip stock moto")
    args = parser.parse_args()
    n = 50 if args.quick else 200
    starts = []
    for _ in range(3):
        with LocalEngine(poll_wait=5, retain_closed=10_000) as engine:
            starts.append(engine.startup_seconds or 0)
    print(f"floto local engine start-up (median of 3): {statistics.median(starts) * 1000:.0f} ms")
    with LocalEngine(poll_wait=5, retain_closed=10_000) as engine:
        report("floto local engine", measure(engine.endpoint_url or "", n, 5000, True))
    if not args.no_baseline:
        port = free_port()
        proc = stock_moto(port)
        try:
            closed = 200 if args.quick else 500
            report(
                f"stock moto (baseline; {closed} closed: it has no child workflows and "
                "slows down quadratically)",
                measure(f"http://127.0.0.1:{port}", n, closed, False),
            )
        finally:
            proc.terminate()
            proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
