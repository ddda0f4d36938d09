"""Payloads of any size on a fresh local engine (its own S3 is the payload store).

1. Round trip of a large result: ``produce >> consume``, where ``produce`` returns
   ``--size`` bytes (default 5 MB, stored in S3; the decider passes it on by reference,
   ``consume`` reads it) against the same workflow with a small inline result (baseline).
   Printed: wall time of the run (first to last event, engine clock), median of
   ``--repeats`` alternating runs, the ratio, and the S3 requests the worker made.
2. A Generator returning ``--generated`` tasks (default 10,000: its task list is about 1 MB
   of JSON, stored in S3) followed by a task that requires all of them: completes (past the
   event budget the decider runs the generated tasks in shard child runs), with wall time,
   time per activity, runs, events and the size of the task list.

One decider process and ``--workers`` worker processes (forked).

3. With ``--nested 100x200``: a Generator returning 100 generators of 200 tasks each (20,000
   activities, a 2-level fan-out) followed by a task that requires the first generator.

Run: ``.venv/bin/python bench/bench_payloads.py [--size 5000000] [--repeats 3]
[--generated 10000] [--nested 100x200] [--skip-round-trip] [--workers 4]``.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import floto
from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.local import LocalEngine
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, Generator
from floto.wire import PAYLOAD_KEY, payload_ref_of_text
from floto.worker import ActivityRegistry, ActivityWorker

FORK = multiprocessing.get_context("fork")
DOMAIN, DECIDERS, WORKERS = "bench", "deciders", "workers"
REGISTRY = ActivityRegistry()


@floto.activity("produce", "1", registry=REGISTRY)
def produce(context: dict[str, Any]) -> dict[str, str]:
    return {"blob": "p" * context["activity_task"]["size"]}


@floto.activity("consume", "1", registry=REGISTRY)
def consume(context: dict[str, Any]) -> int:
    return sum(len(value["blob"]) for value in context.values() if isinstance(value, dict))


@floto.activity("noop", "1", registry=REGISTRY)
def noop() -> None:
    """Does nothing."""


@floto.generator("many", "1", registry=REGISTRY)
def many(context: dict[str, Any]) -> list[ActivityTask]:
    count, prefix = context["activity_task"]["count"], context["activity_task"].get("prefix", "")
    return [ActivityTask("noop", "1", id_=f"generated-{prefix}{n:05}") for n in range(count)]


@floto.generator("generators", "1", registry=REGISTRY)
def generators(context: dict[str, Any]) -> list[Generator]:
    """The first level of a 2-level fan-out: ``count`` generators of ``each`` tasks."""
    count, each = context["activity_task"]["count"], context["activity_task"]["each"]
    return [
        Generator("many", "1", id_=f"gen-{k:04}", input={"count": each, "prefix": f"{k:04}-"})
        for k in range(count)
    ]


def _quiet() -> None:
    logging.basicConfig(level=logging.ERROR)


def _decider(spec: DeciderSpec) -> None:
    _quiet()
    Decider(spec).run()


def _worker() -> None:
    _quiet()
    ActivityWorker(DOMAIN, WORKERS, heartbeat_in_seconds=0, registry=REGISTRY).run()


def _register(swf: Swf) -> None:
    swf.domains.register_domain(DOMAIN, retention_period=1)
    swf.register_workflow_type(WorkflowType(
        domain=DOMAIN, name="wf", version="1", default_task_list=DECIDERS,
        default_task_start_to_close_timeout=60, default_execution_start_to_close_timeout=3600,
    ))  # fmt: skip
    for name in ("produce", "consume", "noop", "many", "generators"):
        swf.register_activity_type(ActivityType(
            domain=DOMAIN, name=name, version="1", default_task_list=WORKERS,
            default_task_start_to_close_timeout=600, default_task_heartbeat_timeout="NONE",
            default_task_schedule_to_start_timeout="NONE",
            default_task_schedule_to_close_timeout="NONE",
        ))  # fmt: skip


def _run(swf: Swf, workflow_id: str, timeout: float) -> dict[str, Any]:
    """Start deciders/workers on the engine, run one workflow, return its history summary."""
    swf.start_workflow_execution(domain=DOMAIN, workflow_type_name="wf",
                                 workflow_type_version="1", workflow_id=workflow_id)  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        history = swf.get_workflow_execution_history(DOMAIN, workflow_id=workflow_id)
        if (
            history[-1]["eventType"].startswith("WorkflowExecution")
            and history[-1]["eventType"] != "WorkflowExecutionStarted"
        ):
            break
        time.sleep(0.2)
    else:
        raise SystemExit(f"{workflow_id} did not close within {timeout} s")
    closed = history[-1]
    if closed["eventType"] != "WorkflowExecutionCompleted":
        raise SystemExit(f"{workflow_id}: {closed['eventType']} {closed}")
    wall = (closed["eventTimestamp"] - history[0]["eventTimestamp"]).total_seconds()
    return {"wall": wall, "history": history}


def _with_processes(engine: LocalEngine, spec: DeciderSpec, workers: int, body: Any) -> Any:
    engine.configure_environment(credentials="dummy")
    processes = [FORK.Process(target=_decider, args=(spec,), daemon=True)]
    processes += [FORK.Process(target=_worker, daemon=True) for _ in range(workers)]
    for process in processes:
        process.start()
    try:
        return body()
    finally:
        for process in processes:
            process.kill()
        for process in processes:
            process.join(5)


def _stored_results(history: list[dict[str, Any]]) -> int:
    return sum(
        1
        for e in history
        if e["eventType"] == "ActivityTaskCompleted"
        and PAYLOAD_KEY in e["activityTaskCompletedEventAttributes"].get("result", "")
    )


def _round_trips(swf: Swf, label: str, repeat: int) -> list[float]:
    """A cold run (first S3 use: clients made, bucket created) then a warm one."""
    walls = []
    for phase in ("cold", "warm"):
        outcome = _run(swf, f"rt-{phase}-{repeat}", 300)
        assert _stored_results(outcome["history"]) == (label == "large")
        walls.append(outcome["wall"])
    return walls


def round_trip(size: int, repeats: int, workers: int) -> None:
    figures: dict[tuple[str, str], list[float]] = {}
    for repeat in range(repeats):
        for label, produced in (("small", 100), ("large", size)):
            with LocalEngine(poll_wait=2) as engine:
                engine.configure_environment(credentials="dummy")
                swf = Swf()
                _register(swf)
                a = ActivityTask("produce", "1", input={"size": produced})
                b = ActivityTask("consume", "1", requires=[a])
                spec = DeciderSpec(
                    domain=DOMAIN,
                    task_list=DECIDERS,
                    default_activity_task_list=WORKERS,
                    activity_tasks=[a, b],
                )
                walls = _with_processes(
                    engine, spec, workers, lambda: _round_trips(swf, label, repeat)  # noqa: B023
                )  # fmt: skip
            for phase, wall in zip(("cold", "warm"), walls, strict=True):
                figures.setdefault((label, phase), []).append(wall)
    median = {key: statistics.median(values) for key, values in figures.items()}
    print(f"round trip produce >> consume, median of {repeats} runs, 1 decider, "
          f"{workers} workers, fresh engine per run")  # fmt: skip
    for phase in ("cold", "warm"):
        small, large = median[("small", phase)], median[("large", phase)]
        print(f"  {phase}: inline result (100 bytes) {small:6.3f} s; stored result "
              f"({size:,} bytes) {large:6.3f} s; ratio {large / small:5.2f}x; "
              f"{large - small:+.3f} s for the payload")  # fmt: skip


def _all_runs(swf: Swf) -> list[list[dict[str, Any]]]:
    """The histories of every closed run of the domain (the parent and its shards)."""
    infos = swf.list_workflow_executions(DOMAIN, status="closed")
    return [
        swf.get_workflow_execution_history(DOMAIN, workflow_id=info["execution"]["workflowId"],
                                           run_id=info["execution"]["runId"])
        for info in infos
    ]  # fmt: skip


def _attrs(event: dict[str, Any]) -> dict[str, Any]:
    kind = event["eventType"]
    return event.get(kind[0].lower() + kind[1:] + "EventAttributes") or {}


def big_generator(count: int, workers: int, each: int = 0) -> None:
    """A generator of ``count`` tasks; with ``each``, of ``count`` generators of ``each``."""
    with LocalEngine(poll_wait=2) as engine:
        engine.configure_environment(credentials="dummy")
        swf = Swf()
        _register(swf)
        if each:
            gen = Generator("generators", "1", input={"count": count, "each": each})
        else:
            gen = Generator("many", "1", input={"count": count})
        after = ActivityTask("noop", "1", requires=[gen])
        spec = DeciderSpec(
            domain=DOMAIN,
            task_list=DECIDERS,
            default_activity_task_list=WORKERS,
            activity_tasks=[gen, after],
        )
        outcome = _with_processes(engine, spec, workers, lambda: _run(swf, "gen", 3600))
        runs = _all_runs(swf)
    events = [event for history in runs for event in history]
    completed = [_attrs(e) for e in events if e["eventType"] == "ActivityTaskCompleted"]
    refs = [payload_ref_of_text(a["result"]) for a in completed
            if PAYLOAD_KEY in a.get("result", "")]  # fmt: skip
    stored = (f"{refs[0].size:,} bytes stored ({refs[0].size / 32_768:.0f}x SWF's limit)"
              if refs else "inline")  # fmt: skip
    marker_sizes = [len(_attrs(e).get("details") or "") for e in events
                    if e["eventType"] == "MarkerRecorded"]  # fmt: skip
    wall = outcome["wall"]
    what = f"{count:,} generators of {each:,} tasks" if each else f"{count:,} tasks"
    print(f"generator of {what}: completed in {wall:.1f} s; {len(completed):,} "
          f"activities in {len(runs)} runs (the parent and its shards), {len(events):,} events, "
          f"{wall / len(completed) * 1000:.2f} ms per activity")  # fmt: skip
    print(f"  its task list: {stored}; {len(marker_sizes)} markers, the largest "
          f"{max(marker_sizes):,} characters")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--generated", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--nested",
        default="",
        metavar="COUNTxEACH",
        help="also a 2-level fan-out: COUNT generators of EACH tasks (100x200)",
    )
    parser.add_argument("--skip-round-trip", action="store_true")
    args = parser.parse_args()
    if not args.skip_round_trip:
        round_trip(args.size, args.repeats, args.workers)
    if args.generated:
        big_generator(args.generated, args.workers)
    if args.nested:
        count, _, each = args.nested.partition("x")
        big_generator(int(count), args.workers, each=int(each))


if __name__ == "__main__":
    main()
