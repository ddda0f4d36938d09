"""End to end on a fresh local engine: 1 source -> N no-op activities -> 1 fan-in.

One decider process and four worker processes (forked). The same workflow is run by two
systems, ``--repeats`` times each, alternating, every run on a fresh engine of its own:

- floto: ``floto.decider.Decider`` and ``floto.ActivityWorker`` (default 90 s heartbeat
  interval, so each task starts and joins a heartbeat thread);
- baseline: a minimal hand-written boto3 decider and worker: the decider reads only the
  history pages newer than ``previousStartedEventId``, keeps a set of completed ids per run
  and schedules up to 100 activities per response; the worker polls and completes. Its
  history pages hold as many events as floto's Decider's (``--baseline-page-size``; SWF's
  default when a poll names none is 1,000, which costs a decider far more boto3 parsing).

Printed for both, and their ratio: wall time (first to last event of the run, engine clock),
SWF calls by operation (each process counts its own and writes them to a file when it ends),
decision tasks, history events, decider CPU, worker CPU (4 processes) and engine CPU (from
/proc, while the run was open). CPU figures cover the processes' loops, not their start-up.

Run: ``.venv/bin/python bench/bench_runtime_end_to_end.py [--activities 1000] [--workers 4]
[--baseline-page-size N] [--repeats 3]``; prints medians of the runs, which alternate.
(Linux: reads /proc for the engine's CPU).
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import multiprocessing
import os
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import floto
from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.local import LocalEngine
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry, ActivityWorker

FORK = multiprocessing.get_context("fork")
POLL_WAIT = 2.0  # idle polls return after this many seconds (workers stop within it)
DECIDERS, WORKERS = "deciders", "workers"
BATCH = 100  # decisions per response (floto's PlanConfig.max_decisions)
WALL = "wall time, first to last event (s)"
DEFAULT_PAGE = inspect.signature(Decider).parameters["page_size"].default
REGISTRY = ActivityRegistry()


@floto.activity("noop", "1", registry=REGISTRY)
def noop() -> None:
    """Does nothing and returns no result."""


# -- measuring -----------------------------------------------------------------------------
def cpu_seconds() -> float:
    """User + system CPU of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of another process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_report(path: str, calls: Counter[str], cpu_at_start: float, **extra: Any) -> None:
    report = {"calls": dict(calls), "cpu": cpu_seconds() - cpu_at_start, **extra}
    Path(path).write_text(json.dumps(report))


def quiet() -> None:
    logging.basicConfig(level=logging.ERROR, format="%(processName)s %(name)s: %(message)s")


# -- floto's processes ---------------------------------------------------------------------
def floto_decider(spec_json: str, out: str) -> None:
    quiet()
    decider = Decider(spec_json)
    began = cpu_seconds()
    decider.run()
    write_report(out, decider.swf.call_counts, began)


def floto_worker(domain: str, out: str) -> None:
    quiet()
    worker = ActivityWorker(domain, WORKERS, registry=REGISTRY)
    began = cpu_seconds()
    worker.run()  # returns after SIGTERM
    write_report(out, worker.swf.call_counts, began, tasks=worker.tasks_handled)


def floto_spec(domain: str, activities: int) -> str:
    source = ActivityTask(name="noop", version="1", input={"role": "source"})
    middle = [
        ActivityTask(name="noop", version="1", input={"i": i}, requires=[source])
        for i in range(activities)
    ]
    sink = ActivityTask(name="noop", version="1", input={"role": "sink"}, requires=middle)
    spec = DeciderSpec(
        domain=domain, task_list=DECIDERS, default_activity_task_list=WORKERS,
        activity_tasks=[source, *middle, sink], terminate_decider_after_completion=True,
    )  # fmt: skip
    return spec.to_json()


# -- the hand-written boto3 baseline -------------------------------------------------------
class CountingClient:
    """A boto3 SWF client that counts its calls by operation name."""

    def __init__(self) -> None:
        self.client = Swf().client  # the same endpoint and settings as floto's
        self.counts: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)
        api_name = self.client.meta.method_to_api_mapping.get(name, name)

        def call(**kwargs: Any) -> Any:
            self.counts[api_name] += 1
            return method(**kwargs)

        return call


def schedule(activity_id: str) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "noop", "version": "1"},
            "activityId": activity_id,
            "taskList": {"name": WORKERS},
        },
    }


def poll_decision_page(swf: CountingClient, domain: str, page_size: int, **token: str) -> Any:
    return swf.poll_for_decision_task(
        domain=domain,
        taskList={"name": DECIDERS},
        reverseOrder=True,
        maximumPageSize=page_size,
        **token,
    )


def new_events(
    swf: CountingClient, domain: str, page_size: int, task: dict[str, Any]
) -> list[dict[str, Any]]:
    """Events newer than the last completed decision task (reads only the pages needed)."""
    previous = task.get("previousStartedEventId", 0)
    events, token = list(task["events"]), task.get("nextPageToken")
    while token and min(e["eventId"] for e in events) > previous:
        page = poll_decision_page(swf, domain, page_size, nextPageToken=token)
        events += page["events"]
        token = page.get("nextPageToken")
    return sorted((e for e in events if e["eventId"] > previous), key=lambda e: e["eventId"])


def baseline_decisions(run: dict[str, Any], events: list[dict[str, Any]]) -> list[Any]:
    for event in events:
        if event["eventType"] == "ActivityTaskCompleted":
            scheduled_id = event["activityTaskCompletedEventAttributes"]["scheduledEventId"]
            run["done"].add(run["ids"][scheduled_id])
        elif event["eventType"] == "ActivityTaskScheduled":
            run["ids"][event["eventId"]] = event[
                "activityTaskScheduledEventAttributes"
            ]["activityId"]  # fmt: skip
    if run["next"] < 0:
        run["next"] = 0
        return [schedule("source")]
    if "sink" in run["done"]:
        return [{"decisionType": "CompleteWorkflowExecution"}]
    if "source" not in run["done"]:
        return []
    decisions = []
    while run["next"] < run["n"] and len(decisions) < BATCH:
        decisions.append(schedule(f"a{run['next']}"))
        run["next"] += 1
    if len(run["done"]) == run["n"] + 1 and run["next"] == run["n"]:
        run["next"] += 1
        decisions.append(schedule("sink"))
    return decisions


def baseline_decider(domain: str, activities: int, page_size: int, out: str) -> None:
    swf, runs, closed = CountingClient(), {}, False
    began = cpu_seconds()
    while not closed:
        task = poll_decision_page(swf, domain, page_size)
        if not task.get("taskToken"):
            continue
        run = runs.setdefault(
            task["workflowExecution"]["runId"],
            {"done": set(), "ids": {}, "next": -1, "n": activities},
        )
        decisions = baseline_decisions(run, new_events(swf, domain, page_size, task))
        swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)
        closed = bool(decisions) and decisions[-1]["decisionType"] == "CompleteWorkflowExecution"
    write_report(out, swf.counts, began)


def baseline_worker(domain: str, out: str) -> None:
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    swf, handled = CountingClient(), 0
    began = cpu_seconds()
    while not stop:
        task = swf.poll_for_activity_task(domain=domain, taskList={"name": WORKERS})
        if task.get("taskToken"):
            swf.respond_activity_task_completed(taskToken=task["taskToken"])
            handled += 1
    write_report(out, swf.counts, began, tasks=handled)


# -- one measured run ----------------------------------------------------------------------
def register(swf: Swf, domain: str) -> None:
    swf.domains.register_domain(domain)
    swf.register_workflow_type(
        WorkflowType(
            domain=domain, name="wf", version="1", default_task_list=DECIDERS,
            default_task_start_to_close_timeout=60,
            default_execution_start_to_close_timeout=900,
        )
    )  # fmt: skip
    swf.register_activity_type(
        ActivityType(
            domain=domain, name="noop", version="1", default_task_list=WORKERS,
            default_task_start_to_close_timeout=60, default_task_heartbeat_timeout="NONE",
            default_task_schedule_to_start_timeout="NONE",
            default_task_schedule_to_close_timeout="NONE",
        )
    )  # fmt: skip


def start_processes(
    system: str, domain: str, args: argparse.Namespace, folder: str
) -> tuple[Any, list[Any]]:
    activities, workers = args.activities, args.workers
    if system == "floto":
        decider_args: tuple[Any, ...] = (floto_spec(domain, activities),)
        decider_target, worker_target = floto_decider, floto_worker
    else:
        decider_args = (domain, activities, args.baseline_page_size)
        decider_target, worker_target = baseline_decider, baseline_worker
    decider = FORK.Process(target=decider_target, args=(*decider_args, f"{folder}/decider"))
    pool = [
        FORK.Process(target=worker_target, args=(domain, f"{folder}/worker{number}"))
        for number in range(workers)
    ]
    for process in (decider, *pool):
        process.start()
    return decider, pool


def measure(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run the workflow once on a fresh engine with ``system``'s decider and workers."""
    with LocalEngine(poll_wait=POLL_WAIT) as engine, tempfile.TemporaryDirectory() as folder:
        engine.configure_environment(credentials="dummy")
        swf, domain = Swf(), f"bench-{system}"
        register(swf, domain)
        decider, pool = start_processes(system, domain, args, folder)
        time.sleep(1.0)  # let the processes start up before the clock starts
        assert engine.process is not None
        engine_began = process_cpu_seconds(engine.process.pid)
        began = time.perf_counter()
        run_id = swf.start_workflow_execution(
            domain=domain, workflow_type_name="wf", workflow_type_version="1",
            workflow_id="fan", task_list=DECIDERS,
        )["runId"]  # fmt: skip
        decider.join(600)
        elapsed = time.perf_counter() - began
        engine_cpu = process_cpu_seconds(engine.process.pid) - engine_began
        for process in pool:
            os.kill(process.pid, signal.SIGTERM)
        for process in pool:
            process.join(POLL_WAIT + 30)
        history = swf.get_workflow_execution_history(domain, workflow_id="fan", run_id=run_id)
        return summarize(folder, args.workers, history, elapsed, engine_cpu)


def summarize(
    folder: str, workers: int, history: list[dict[str, Any]], elapsed: float, engine_cpu: float
) -> dict[str, Any]:
    kinds = Counter(event["eventType"] for event in history)
    if history[-1]["eventType"] != "WorkflowExecutionCompleted":
        raise SystemExit(f"the run did not complete: {history[-1]['eventType']}")
    decider = json.loads(Path(folder, "decider").read_text())
    pool = [json.loads(Path(folder, f"worker{n}").read_text()) for n in range(workers)]
    calls = Counter(decider["calls"])
    for report in pool:
        calls.update(report["calls"])
    span = history[-1]["eventTimestamp"] - history[0]["eventTimestamp"]
    return {
        WALL: span.total_seconds(),
        "wall time, start call to decider exit (s)": elapsed,
        "activities completed": kinds["ActivityTaskCompleted"],
        "decision tasks (completed)": kinds["DecisionTaskCompleted"],
        "decision tasks timed out": kinds["DecisionTaskTimedOut"],
        "history events": len(history),
        "decider CPU (s)": decider["cpu"],
        "worker CPU, all workers (s)": sum(report["cpu"] for report in pool),
        "tasks per worker": "/".join(str(report["tasks"]) for report in pool),
        "engine CPU while open (s)": engine_cpu,
        "SWF calls, all processes": sum(calls.values()),
        **{f"  {name}": count for name, count in sorted(calls.items())},
    }


# -- printing ------------------------------------------------------------------------------
def show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over the runs (text figures: the first run's)."""
    out = {}
    for key, first in runs[0].items():
        values = [run.get(key, 0) for run in runs]
        numeric = isinstance(first, (int, float))
        out[key] = statistics.median(values) if numeric else first
    return out


def print_table(floto_figures: dict[str, Any], baseline: dict[str, Any]) -> None:
    print(f"{'':44}{'floto':>14}{'boto3 baseline':>16}{'ratio':>8}")
    for key in dict.fromkeys([*floto_figures, *baseline]):
        mine, theirs = floto_figures.get(key, 0), baseline.get(key, 0)
        ratio = ""
        if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)) and theirs:
            ratio = f"{mine / theirs:.2f}x"
        print(f"{key:44}{show(mine):>14}{show(theirs):>16}{ratio:>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=1000, help="fan-out width")
    parser.add_argument("--workers", type=int, default=4, help="worker processes")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each system")
    parser.add_argument(
        "--baseline-page-size", type=int, default=DEFAULT_PAGE,
        help=f"events per history page of the baseline decider (floto's default: {DEFAULT_PAGE})",
    )  # fmt: skip
    args = parser.parse_args()
    print(f"1 source -> {args.activities:,} no-op activities -> 1 fan-in; 1 decider process, "
          f"{args.workers} worker processes, a fresh local engine each (idle poll {POLL_WAIT} s); "
          f"{os.cpu_count()} cores; history pages: floto {DEFAULT_PAGE} events, baseline "
          f"{args.baseline_page_size}", flush=True)  # fmt: skip
    runs: dict[str, list[dict[str, Any]]] = {"floto": [], "baseline": []}
    for _ in range(args.repeats):  # alternating, so load from elsewhere hits both alike
        for system, figures in runs.items():
            figures.append(measure(system, args))
    print(f"medians of {args.repeats} runs each (wall time of the floto runs: "
          + ", ".join(f"{f[WALL]:.2f}" for f in runs["floto"]) + " s; baseline: "
          + ", ".join(f"{f[WALL]:.2f}" for f in runs["baseline"]) + " s)")  # fmt: skip
    print_table(medians(runs["floto"]), medians(runs["baseline"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
