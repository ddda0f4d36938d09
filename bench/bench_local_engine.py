"""Benchmark of floto's local SWF engine, with stock moto as a baseline in the same run.

Run: ``python bench/bench_local_engine.py [--quick] [--persistence-only]``. Prints medians
(ms) of:
- a cheap call (DescribeDomain);
- decision poll + respond (a run's first decision task, completing the run);
- one workflow cycle (start, poll, respond, describe, count) with 0 and with 5,000 closed
  executions in the domain, and their ratio (must stay within 2x);
- the cost of a data dir (``--data-dir``): the same calls on an in-memory engine and on one
  keeping its state on disk, sampled alternately, with their ratio (target: at most 1.5x),
  and the start-up time of an engine restoring a data dir.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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


class Busy(Domain):
    """A domain with a run kept open to signal, and an activity kept started to heartbeat."""

    def __init__(self, swf: Any) -> None:
        super().__init__(swf)
        swf.register_activity_type(
            domain=self.name, name="act", version="1", defaultTaskList={"name": "atl"},
            defaultTaskScheduleToStartTimeout="NONE", defaultTaskScheduleToCloseTimeout="NONE",
            defaultTaskStartToCloseTimeout="NONE", defaultTaskHeartbeatTimeout="NONE",
        )  # fmt: skip
        self.busy = self.start_on("busy")  # its decision tasks stay off the list polled below
        task = swf.poll_for_decision_task(domain=self.name, taskList={"name": "busy"})
        schedule = {
            "activityType": {"name": "act", "version": "1"}, "activityId": "a", "input": "x" * 200
        }  # fmt: skip
        swf.respond_decision_task_completed(
            taskToken=task["taskToken"],
            decisions=[
                {"decisionType": "ScheduleActivityTask",
                 "scheduleActivityTaskDecisionAttributes": schedule}
            ],
        )  # fmt: skip
        self.token = swf.poll_for_activity_task(domain=self.name, taskList={"name": "atl"})[
            "taskToken"
        ]

    def start_on(self, task_list: str) -> str:
        self.count += 1
        wid = f"w{self.count}"
        self.swf.start_workflow_execution(
            domain=self.name, workflowId=wid, workflowType={"name": "wf", "version": "1"},
            taskList={"name": task_list},
        )  # fmt: skip
        return wid

    def calls(self) -> dict[str, Any]:
        swf = self.swf
        return {
            "describe (read)": lambda: swf.describe_domain(name=self.name),
            "start": lambda: self.start_on("idle"),
            "poll+respond": self.poll_respond,
            "signal": lambda: swf.signal_workflow_execution(
                domain=self.name, workflowId=self.busy, signalName="s", input="y" * 200
            ),
            "heartbeat": lambda: swf.record_activity_task_heartbeat(
                taskToken=self.token, details="z" * 100
            ),
            "cycle (5 calls)": self.cycle,
        }


def cpu_seconds(engine: LocalEngine) -> float:
    """CPU time the engine's process has used so far (Linux; NaN elsewhere)."""
    try:
        assert engine.process is not None
        with open(f"/proc/{engine.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, AssertionError, ValueError, IndexError):
        return float("nan")


def persistence_costs(n: int) -> dict[str, dict[str, float]]:
    """Median ms of each call on an in-memory engine and on one with a data dir, sampled
    alternately (which engine goes first alternates too), so both see the same load; and the
    engine's own CPU time per call, over the whole sampling."""
    with tempfile.TemporaryDirectory() as tmp:
        engines = {
            "memory": LocalEngine(poll_wait=5).start(),
            "data dir": LocalEngine(poll_wait=5, data_dir=os.path.join(tmp, "data")).start(),
        }
        try:
            doms = {label: Busy(client(engine.endpoint_url or "")) for label, engine in
                    engines.items()}  # fmt: skip
            samples: dict[str, dict[str, list[float]]] = {label: {} for label in doms}
            cpu = {label: cpu_seconds(engine) for label, engine in engines.items()}
            for i in range(n):
                for label in list(doms)[:: 1 if i % 2 else -1]:
                    for key, call in doms[label].calls().items():
                        if key == "poll+respond":
                            doms[label].start()
                        began = time.perf_counter()
                        call()
                        samples[label].setdefault(key, []).append(time.perf_counter() - began)
            calls = n * 12  # a round: 1 describe, 1 start, 1 start + poll + respond, 1 signal,
            # 1 heartbeat, a cycle of 5
            for label, engine in engines.items():
                used = (cpu_seconds(engine) - cpu[label]) / calls
                samples[label]["engine CPU/call"] = [used]
        finally:
            for engine in engines.values():
                engine.stop()
    return {
        label: {key: statistics.median(values) * 1000 for key, values in kinds.items()}
        for label, kinds in samples.items()
    }


def restore_seconds(runs: int) -> dict[str, float]:
    """Start-up of an engine on a data dir holding ``runs`` finished runs: after a crash (the
    journal replayed) and after a clean stop (a snapshot loaded); in-memory for comparison."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        with LocalEngine(poll_wait=5) as engine:
            out["in memory"] = engine.startup_seconds or 0.0
        engine = LocalEngine(poll_wait=5, data_dir=data).start()
        dom = Domain(client(engine.endpoint_url or ""))
        for _ in range(runs):
            dom.start()
            dom.poll_respond()
        assert engine.process is not None
        engine.process.send_signal(signal.SIGKILL)
        engine.process.wait()
        engine.stop()
        engine = LocalEngine(poll_wait=5, data_dir=data).start()
        out[f"{runs} runs, journal replayed"] = engine.startup_seconds or 0.0
        print(f"  ({engine.output().splitlines()[0]})")
        engine.stop()
        with LocalEngine(poll_wait=5, data_dir=data) as engine:
            out[f"{runs} runs, from a snapshot"] = engine.startup_seconds or 0.0
    return out


def report_persistence(n: int) -> None:
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    costs = persistence_costs(n)
    print(f"per call with a data dir ({n} samples each, alternating; median ms):")
    print(f"  {'':>16}  {'memory':>7} | {'data dir':>8} | ratio")
    for key, value in costs["memory"].items():
        disk = costs["data dir"][key]
        print(f"  {key:>16}: {value:7.2f} | {disk:8.2f} | {disk / value:5.2f}")
    print("start-up:")
    for key, seconds in restore_seconds(300).items():
        print(f"  {key:>32}: {seconds * 1000:6.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller baseline")
    parser.add_argument("--no-baseline", action="store_true", help="skip stock moto")
    parser.add_argument(
        "--persistence-only", action="store_true", help="only the cost of a data dir"
    )
    args = parser.parse_args()
    n = 50 if args.quick else 200
    if args.persistence_only:
        report_persistence(n)
        return 0
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
    report_persistence(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
