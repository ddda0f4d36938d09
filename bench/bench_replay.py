"""Replay cost against a history's length: a chain of N activities run on a local engine
(floto.testing.Environment), then its history replayed with the same spec, by policy, and
with ``cold=True`` (every decision task rebuilt from the events before it).

Run: ``.venv/bin/python bench/bench_replay.py [--tasks 200 600]``
"""

from __future__ import annotations

import argparse
import time

import floto
import floto.testing
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()


@floto.activity("step", "1", registry=REGISTRY)
def step(context):
    return context.get("activity_task")


def chain(length: int) -> list[ActivityTask]:
    tasks = [ActivityTask("step", "1", id_="t0", input=0)]
    for n in range(1, length):
        tasks.append(ActivityTask("step", "1", id_=f"t{n}", input=n, requires=[tasks[-1]]))
    return tasks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, nargs="+", default=[200, 600])
    args = parser.parse_args()
    with floto.testing.Environment(registry=REGISTRY, time_skipping=True, timeout=3600) as env:
        for length in args.tasks:
            tasks = chain(length)
            env.run(tasks, workflow_id=f"chain-{length}")
            events = env.history(f"chain-{length}")
            spec = DeciderSpec(domain="bench", task_list="bench", activity_tasks=tasks)
            for label, options in (("recorded", {}), ("migrate", {"in_flight": "migrate"}),
                                   ("cold", {"cold": True})):  # fmt: skip
                started = time.perf_counter()
                report = floto.replay(events, spec, **options)
                seconds = time.perf_counter() - started
                print(f"chain of {length}: {len(events):,} events, {report.decisions} decision "
                      f"tasks, replay {label}: {seconds:.2f} s, differences "
                      f"{len(report.differences)}")  # fmt: skip


if __name__ == "__main__":
    main()
