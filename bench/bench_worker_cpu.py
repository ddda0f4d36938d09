"""Worker CPU per activity: floto's ActivityWorker against a hand-written raw-boto3 loop.

One local engine (its own process, so its work is not counted); a fan-out of ``--activities``
(1,000) activity tasks for each kind of worker (runs of 100 activities each, of a no-op
function that returns a small JSON result) is scheduled by hand-written decisions, a round's
worth before each round and before its clock starts (the engine keeps SWF's rate quota of
scheduling); no decider runs while workers are measured. Then, in alternating rounds of
``--round`` tasks until each kind has handled ``--activities`` tasks:

- floto: ``ActivityWorker.run(max_tasks=n)`` (its default 90 s heartbeat interval: the
  heartbeat thread is attached and detached per task; logging at INFO into a discarded
  stream through floto's text formatter; Prometheus metrics on with ``--observed``);
- raw: a loop of ``client.poll_for_activity_task`` / ``json.loads(input)`` / the function /
  ``client.respond_activity_task_completed(result=json.dumps(value))`` on a plain boto3 client
  (floto's timeouts, no retries) — the floor: poll, respond, nothing else.

Measured: CPU of this process (``time.process_time``) per activity task, both kinds in the
same run on the same engine; rounds alternate so load on the machine hits both alike, and
the ratio to trust on a busy machine is the median of the ratios of adjacent rounds.

Run: ``.venv/bin/python bench/bench_worker_cpu.py [--activities 1000] [--observed]``
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3
import botocore.config

import floto
from floto import observability
from floto.api import ActivityType, Swf, WorkflowType
from floto.local import LocalEngine
from floto.worker import ActivityRegistry, ActivityWorker

REGISTRY = ActivityRegistry()
DOMAIN, DECISIONS, ACTIVITIES = "bench-worker", "decisions", "activities"
FAN_OUT = 100  # activities a run schedules in its first decision (SWF: 100 decisions a task)


@floto.activity("noop", "1", registry=REGISTRY)
def noop(context: dict[str, Any]) -> dict[str, Any]:
    """Returns a small result."""
    return {"ok": True, "i": context.get("activity_task")}


def register(swf: Swf) -> None:
    swf.domains.register_domain(DOMAIN)
    swf.register_workflow_type(
        WorkflowType(
            domain=DOMAIN, name="wf", version="1", default_task_list=DECISIONS,
            default_task_start_to_close_timeout=600,
            default_execution_start_to_close_timeout=3600,
        )
    )  # fmt: skip
    swf.register_activity_type(
        ActivityType(
            domain=DOMAIN, name="noop", version="1", default_task_list=ACTIVITIES,
            default_task_start_to_close_timeout=3600, default_task_heartbeat_timeout="NONE",
            default_task_schedule_to_start_timeout="NONE",
            default_task_schedule_to_close_timeout="NONE",
        )
    )  # fmt: skip


def schedule(swf: Swf, first: int, activities: int) -> None:
    """Runs whose first decisions schedule ``activities`` no-op tasks in all (numbered from
    ``first``)."""
    for run in range(first, first + activities, FAN_OUT):
        swf.start_workflow_execution(
            domain=DOMAIN, workflow_type_name="wf", workflow_type_version="1",
            workflow_id=f"fan-out-{run}",
        )  # fmt: skip
        task = swf.poll_for_decision_task(DOMAIN, DECISIONS, identity="bench")
        decisions = [
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": {
                    "activityType": {"name": "noop", "version": "1"},
                    "activityId": f"a{i}",
                    "input": json.dumps({"activity_task": i}),
                },
            }
            for i in range(run, min(run + FAN_OUT, first + activities))
        ]
        swf.respond_decision_task_completed(task["taskToken"], decisions)


def raw_loop(client: Any, tasks: int) -> None:
    """The floor: poll, run the function, respond."""
    done = 0
    while done < tasks:
        task = client.poll_for_activity_task(domain=DOMAIN, taskList={"name": ACTIVITIES})
        token = task.get("taskToken")
        if not token:
            continue
        value = noop(json.loads(task.get("input") or "{}"))
        client.respond_activity_task_completed(taskToken=token, result=json.dumps(value))
        done += 1


def cpu_of(work: Any) -> float:
    gc.collect()
    began = time.process_time()
    work()
    return time.process_time() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=1_000)
    parser.add_argument("--round", type=int, default=50, help="tasks per measured round")
    parser.add_argument("--observed", action="store_true", help="Prometheus metrics on")
    parser.add_argument("--heartbeat", type=float, default=90, help="floto's heartbeat interval")
    args = parser.parse_args()
    observability.configure_logging("INFO", "text", io.StringIO())
    logging.getLogger("floto.worker").setLevel(logging.INFO)
    if args.observed:
        observability.enable_metrics()
    with LocalEngine(poll_wait=2.0) as engine:
        engine.configure_environment(credentials="dummy")
        swf = Swf()
        register(swf)
        worker = ActivityWorker(DOMAIN, ACTIVITIES, args.heartbeat, swf=Swf(), registry=REGISTRY)
        client = boto3.client(
            "swf", endpoint_url=engine.endpoint_url, region_name="us-east-1",
            aws_access_key_id="dummy", aws_secret_access_key="dummy",
            config=botocore.config.Config(
                connect_timeout=10, read_timeout=70, retries={"total_max_attempts": 1}
            ),
        )  # fmt: skip
        samples: dict[str, list[float]] = {"floto": [], "raw": []}
        for number in range(args.activities // args.round):
            # scheduled a round at a time: the engine keeps SWF's rate quota of scheduling
            schedule(swf, number * 2 * args.round, 2 * args.round)
            samples["floto"].append(cpu_of(lambda: worker.run(max_tasks=args.round)))
            samples["raw"].append(cpu_of(lambda: raw_loop(client, args.round)))
    per = {kind: sum(values) / (len(values) * args.round) for kind, values in samples.items()}
    medians = {kind: statistics.median(values) / args.round for kind, values in samples.items()}
    tasks = len(samples["floto"]) * args.round
    print(f"worker CPU per activity task ({tasks:,} tasks each, rounds of {args.round}, "
          f"metrics {'on' if args.observed else 'off'}, logging INFO):")  # fmt: skip
    for kind in samples:
        print(f"  {kind:<6} mean {per[kind] * 1000:6.3f} ms   median round "
              f"{medians[kind] * 1000:6.3f} ms   total {sum(samples[kind]):6.2f} s")  # fmt: skip
    pairs = sorted(f / r for f, r in zip(samples["floto"], samples["raw"], strict=True))
    print(f"  floto / raw: {per['floto'] / per['raw']:.2f}x (mean), "
          f"{medians['floto'] / medians['raw']:.2f}x (median round), "
          f"{statistics.median(pairs):.2f}x (median of {len(pairs)} adjacent pairs; "
          f"quartiles {pairs[len(pairs) // 4]:.2f}-{pairs[3 * len(pairs) // 4]:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
