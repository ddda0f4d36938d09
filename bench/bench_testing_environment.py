"""Benchmark of floto.testing under time skipping, against real time in the same run.

Run: ``python bench/bench_testing_environment.py [--repeat N]``. Prints, for each case, the
wall time with ``Environment(time_skipping=True)`` and the engine time the run's history spans;
and, as the baseline, the same workflows with every wait cut 600-fold on a real-time
``Environment`` (an hour becomes 6 s): the ratio says how much of a real-time run is waiting.

Cases (issue 13's measured target):
- a run with a one-hour timer and an activity that fails once and retries after a 10-minute
  DelayedRetry back-off (completes);
- a run whose 30-minute workflow timeout fires (a two-hour timer keeps it open);
- the seed's hourly repeat (timer_3600 beside a -> b), three runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import floto
import floto.testing
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import DelayedRetry
from floto.specs.task import ActivityTask, Timer
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()
CALLS: dict[str, int] = {}


@floto.activity("step", "1", registry=REGISTRY)
def step(context: Any) -> int:
    return 1


@floto.activity("fails_once", "1", registry=REGISTRY)
def fails_once(context: Any) -> int:
    key = context["activity_task"]["key"]
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] == 1:
        raise RuntimeError("first attempt fails")
    return CALLS[key]


def span(state: Any) -> float:
    return (state.closed_at - state.started_at).total_seconds()


def timer_and_back_off(env: Any, scale: float) -> float:
    hour = Timer(id_="hour", delay_in_seconds=max(1, round(3600 * scale)))
    retry = DelayedRetry(retries=2, initial_delay_in_seconds=max(1, round(600 * scale)))
    task = ActivityTask("fails_once", "1", input={"key": uuid.uuid4().hex}, requires=[hour],
                        retry_strategy=retry)  # fmt: skip
    env.run([hour, task])
    return span(env.state())


def run_timeout(env: Any, scale: float) -> float:
    timer = Timer(id_="two_hours", delay_in_seconds=max(2, round(7200 * scale)))
    try:
        env.run([timer], execution_timeout=max(1, round(1800 * scale)))
    except floto.testing.RunFailed as failed:
        assert failed.status == "timed_out", failed
    else:
        raise AssertionError("the run did not time out")
    return span(env.state())


def hourly_repeat(env: Any, scale: float) -> float:
    a = ActivityTask("step", "1")
    b = ActivityTask("step", "1", input={"after": "a"}, requires=[a])
    timer = Timer(id_="timer_3600", delay_in_seconds=max(1, round(3600 * scale)))
    spec = DeciderSpec(domain=env.domain, activity_tasks=[a, b, timer], repeat_workflow=True)
    workflow_id = f"hourly-{uuid.uuid4().hex[:6]}"
    runs = [env.wait(env.launch(spec, workflow_id=workflow_id))]
    while len(runs) < 3:
        runs.append(env.wait(workflow_id, runs[-1].new_run_id))
    env.swf.terminate_workflow_execution(env.domain, workflow_id)
    return (runs[-1].closed_at - runs[0].started_at).total_seconds()


CASES = {
    "1 h timer + 10 min back-off": timer_and_back_off,
    "30 min run timeout fires": run_timeout,
    "hourly repeat, 3 runs": hourly_repeat,
}


def measure(env: Any, case: Any, scale: float, repeat: int) -> tuple[float, float]:
    """(median wall seconds, engine seconds the last run spans)."""
    walls, engine = [], 0.0
    for _ in range(repeat):
        began = time.perf_counter()
        engine = case(env, scale)
        walls.append(time.perf_counter() - began)
    return statistics.median(walls), engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    args = parser.parse_args()
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with floto.testing.Environment(time_skipping=True, registry=REGISTRY) as env:
        skipping = {name: measure(env, case, 1.0, args.repeat) for name, case in CASES.items()}
    with floto.testing.Environment(registry=REGISTRY) as env:
        real = {name: measure(env, case, 1 / 600, 1) for name, case in CASES.items()}
    print(f"{'case':<29} | time skipping: wall s, engine s | real time, waits / 600: wall s"
          " | wall ratio")  # fmt: skip
    for name in CASES:
        (wall, engine), (real_wall, _) = skipping[name], real[name]
        print(f"{name:<29} | {wall:12.2f} {engine:10.0f}      | {real_wall:22.2f} | "
              f"{wall / real_wall:10.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
