"""Decider CPU for ONE decision task, against the size of the run's history.

For each size, a run is built on a fresh local engine (one engine, a domain per size): N
independent no-op activities (completed by four forked worker processes) plus a few "held"
activities on a task list no worker polls, all decided by an in-process
``floto.decider.Decider`` (``run_once()``), until the history holds about 1,000 (then 10,000)
events. Then, several times each: one held activity is completed by hand (one new
ActivityTaskCompleted) and ONE decision task is answered by

- warm: the decider that built the run (it has the run's ExecutionState cached, so it reads
  the first page only and folds the few new events);
- cold: a fresh Decider (same spec; built before the clock starts): it reads every page and
  replays the whole history;

each with the Decider's default ``page_size`` and with 1,000-event pages (SWF's maximum and
default): the poll's own page is what a warm decider pays for, since boto3 parses every event
on it.

Measured: CPU of this process (``time.process_time``) across ``Decider.run_once()``: poll,
paging, boto3 parsing, the History fold, planning and the response (each measurement starts
after ``gc.collect()``). The engine runs in its own process, so its work is not counted. Also
shown: the part spent inside floto.api calls (HTTP + boto3 serialising/parsing) and the rest
(floto's own work), pages read and events folded. One held activity stays
open, so every measured task answers with no decisions and the run never closes.

This drives the real code path (Decider.run_once against the local engine over HTTP), not
recorded histories.

Run: ``.venv/bin/python bench/bench_decider_cpu.py [--repeats 9] [--observed]``
"""

from __future__ import annotations

import argparse
import gc
import inspect
import logging
import multiprocessing
import os
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import floto
from floto import observability
from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.history import TaskStatus
from floto.limits import MAX_HISTORY_PAGE_SIZE
from floto.local import LocalEngine
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry, ActivityWorker

FORK = multiprocessing.get_context("fork")
DECIDERS, WORKERS, HELD = "deciders", "workers", "held"
EVENTS_PER_ACTIVITY = 3.16  # measured: scheduled, started, completed + decision task share
SIZES = (1_000, 10_000)
DEFAULT_PAGE = inspect.signature(Decider).parameters["page_size"].default
PAGE_SIZES = {"": DEFAULT_PAGE, ", 1,000-event pages": MAX_HISTORY_PAGE_SIZE}
KINDS = [f"{kind}{label}" for kind in ("warm", "cold") for label in PAGE_SIZES]
REGISTRY = ActivityRegistry()


@floto.activity("noop", "1", registry=REGISTRY)
def noop() -> None:
    """Does nothing and returns no result."""


def worker(domain: str) -> None:
    logging.basicConfig(level=logging.ERROR)
    ActivityWorker(domain, WORKERS, heartbeat_in_seconds=0, registry=REGISTRY).run()


class TimedSwf(Swf):
    """A Swf that adds up the CPU spent inside its calls (HTTP, boto3 parsing)."""

    def __init__(self) -> None:
        super().__init__()
        self.call_cpu = 0.0

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        began = time.process_time()
        try:
            return super()._call(operation, **kwargs)
        finally:
            self.call_cpu += time.process_time() - began


class Run:
    """One workflow run of ``activities`` no-op tasks and ``held`` tasks finished by hand."""

    def __init__(self, activities: int, held: int) -> None:
        self.swf = Swf()
        self.domain = f"bench-{activities}"
        self.activities, self.held = activities, held
        self.register()
        tasks = [ActivityTask(name="noop", version="1", input={"i": i}) for i in range(activities)]
        tasks += [
            ActivityTask(name="noop", version="1", input={"held": i}, task_list=HELD)
            for i in range(held)
        ]
        self.spec = DeciderSpec(
            domain=self.domain, task_list=DECIDERS, default_activity_task_list=WORKERS,
            activity_tasks=tasks,
        )  # fmt: skip

    def register(self) -> None:
        self.swf.domains.register_domain(self.domain)
        self.swf.register_workflow_type(
            WorkflowType(
                domain=self.domain, name="wf", version="1", default_task_list=DECIDERS,
                default_task_start_to_close_timeout=120,
                default_execution_start_to_close_timeout=3600,
            )
        )  # fmt: skip
        self.swf.register_activity_type(
            ActivityType(
                domain=self.domain, name="noop", version="1", default_task_list=WORKERS,
                default_task_start_to_close_timeout=3600, default_task_heartbeat_timeout="NONE",
                default_task_schedule_to_start_timeout="NONE",
                default_task_schedule_to_close_timeout="NONE",
            )
        )  # fmt: skip

    def decider(self, page_size: int = DEFAULT_PAGE) -> Decider:
        return Decider(self.spec, swf=TimedSwf(), page_size=page_size)

    def build(self) -> Decider:
        """Start the run and decide it until every worker task has completed."""
        pool = [FORK.Process(target=worker, args=(self.domain,)) for _ in range(4)]
        for process in pool:
            process.start()
        decider = self.decider()
        self.swf.start_workflow_execution(
            domain=self.domain, workflow_type_name="wf", workflow_type_version="1",
            workflow_id="run", task_list=DECIDERS,
        )  # fmt: skip
        while not self.built(decider):
            decider.run_once()
        for process in pool:
            os.kill(process.pid, signal.SIGTERM)
        for process in pool:
            process.join(30)
        return decider

    def built(self, decider: Decider) -> bool:
        history = decider.last_history
        if history is None:
            return False
        counts = history.state.counts()
        return counts[TaskStatus.COMPLETED] == self.activities and counts[
            TaskStatus.SCHEDULED
        ] == self.held  # fmt: skip

    def complete_one_held(self) -> None:
        """One held activity completes by hand: three new events, one decision task."""
        task = self.swf.poll_for_activity_task(self.domain, HELD, identity="bench")
        assert task.get("taskToken"), "no held activity left"
        self.swf.respond_activity_task_completed(task["taskToken"], "done")

    def events(self) -> int:
        return len(self.swf.get_workflow_execution_history(self.domain, workflow_id="run"))


def one_task(decider: Decider) -> dict[str, float]:
    """CPU of answering the waiting decision task, and what it read."""
    swf = decider.swf
    assert isinstance(swf, TimedSwf)
    swf.call_cpu = 0.0
    gc.collect()  # start each measurement from the same heap, not mid-way to a collection
    began = time.process_time()
    answered = decider.run_once()
    cpu = time.process_time() - began
    history = decider.last_history
    assert answered and history is not None
    return {
        "cpu": cpu,
        "api": swf.call_cpu,
        "pages": history.pages,
        "folded": len(history.new_events),
        "replayed": history.replayed,
        "history": history.started_event_id,
    }


def measure_size(target_events: int, repeats: int) -> dict[str, dict[str, float]]:
    activities = round(target_events / EVENTS_PER_ACTIVITY)
    run = Run(activities, held=len(KINDS) * repeats + 1)
    began = time.perf_counter()
    warm = run.build()
    print(f"  built: {activities:,} activities, {run.events():,} events, "
          f"{time.perf_counter() - began:.1f} s", flush=True)  # fmt: skip
    measured: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for label, page_size in PAGE_SIZES.items():
        warm.page_size = page_size
        for _ in range(repeats):
            run.complete_one_held()
            measured[f"warm{label}"].append(one_task(warm))
    for label, page_size in PAGE_SIZES.items():
        for _ in range(repeats):
            cold = run.decider(page_size)  # built (spec checked) before the clock starts
            run.complete_one_held()
            measured[f"cold{label}"].append(one_task(cold))
    for kind in KINDS:
        replayed = {sample["replayed"] for sample in measured[kind]}
        assert replayed == {kind.startswith("cold")}, f"{kind}: replayed {replayed}"
    return {kind: median_of(samples) for kind, samples in measured.items()}


def median_of(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = [key for key in samples[0] if key != "replayed"]
    return {key: statistics.median(sample[key] for sample in samples) for key in keys}


def print_results(results: dict[int, dict[str, dict[str, float]]], repeats: int) -> None:
    print(f"\nCPU of ONE decision task (median of {repeats}), in ms; Decider.run_once() "
          "against the local engine")  # fmt: skip
    print(f"{'history':>9}  {'decider':<26}{'total':>8}{'floto.api':>11}{'rest':>8}"
          f"{'pages':>7}{'events folded':>15}")  # fmt: skip
    for by_kind in results.values():
        for kind, m in by_kind.items():
            print(f"{int(m['history']):>9,}  {kind:<26}{m['cpu'] * 1000:>8.1f}"
                  f"{m['api'] * 1000:>11.1f}{(m['cpu'] - m['api']) * 1000:>8.1f}"
                  f"{int(m['pages']):>7}{int(m['folded']):>15,}")  # fmt: skip
    small, large = (results[size] for size in SIZES)
    print(f"\nratio ~{SIZES[1]:,} / ~{SIZES[0]:,} events:{'total':>14}{'rest':>8}")
    for kind in KINDS:
        total = large[kind]["cpu"] / small[kind]["cpu"]
        rest = (large[kind]["cpu"] - large[kind]["api"]) / (small[kind]["cpu"] - small[kind]["api"])
        print(f"  {kind:<34}{total:6.2f}x{rest:7.2f}x")
    print("cold / warm:")
    for size, by_kind in results.items():
        print(f"  at ~{size:,} events: {by_kind['cold']['cpu'] / by_kind['warm']['cpu']:.1f}x")
    print(f"(page_size {DEFAULT_PAGE} = the Decider's default, unless the row says otherwise. "
          "'floto.api': CPU inside floto.api calls: HTTP and boto3 parsing; 'rest': History "
          "fold, planning, decisions.)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=9, help="measurements of each kind")
    parser.add_argument(
        "--observed", action="store_true",
        help="as in production: logging at INFO (floto's text format, to a discarded stream) "
        "and Prometheus metrics on",
    )  # fmt: skip
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.observed:
        observability.configure_logging("INFO", "text", open(os.devnull, "w"))  # noqa: SIM115
        observability.enable_metrics()
    results = {}
    with LocalEngine(poll_wait=2.0) as engine:
        engine.configure_environment(credentials="dummy")
        for size in SIZES:
            print(f"history of ~{size:,} events:", flush=True)
            results[size] = measure_size(size, args.repeats)
    print_results(results, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
