"""What watching a run in a notebook costs, on a fresh local engine, as a notebook runs it.

Everything runs in this one process, like a kernel: a ``floto.launch.Launcher`` with thread
workers and a decider thread, and for watched runs a ``floto.notebook.Run`` with its widget
(a RunView; without a front end its messages go nowhere, but every redraw is computed).

1. Overhead: the same 1 -> N fan-out of no-op activities (default 2,000 in all), run
   unwatched (``Launcher.wait``: one DescribeWorkflowExecution every 0.5 s) and watched (the
   Run's thread reads new history pages every 0.25 s and redraws up to 4 times a second),
   alternating, ``--repeats`` times each. Wall time is the engine's: first to last event.
2. Latency: a chain of activities (0.2 s each), watched; for each task, the time from its
   ActivityTaskCompleted event to the end of the first redraw that counted it as done.
3. Redraw: ``RunView.refresh()`` of a 5,000-task state (fan-out, mostly completed, some
   running, a few failed), per tab on show, against the baseline of drawing the graph alone
   (``floto.viz.draw(state)`` rendered to SVG by dot).

Run: ``.venv/bin/python bench/bench_notebook.py [--activities 2000] [--workers 4]
[--repeats 2]``. Prints medians and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import itertools
import logging
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import floto
import floto.viz
from floto.history import Attempt, AttemptOutcome, ExecutionState, TaskState, TaskStatus
from floto.launch import Launcher
from floto.local import LocalEngine
from floto.notebook import Run
from floto.specs.task import ActivityTask, Task
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()


@floto.activity("noop", "1", registry=REGISTRY)
def noop() -> None:
    """Does nothing."""


@floto.activity("nap", "1", registry=REGISTRY)
def nap() -> None:
    """Sleeps 0.2 s."""
    time.sleep(0.2)


def fan(width: int, *, fan_in: bool = True) -> list[Task]:
    """1 -> width -> 1 (or 1 -> width without the closing task)."""
    start = ActivityTask("noop", "1", input="start")
    middle = [ActivityTask("noop", "1", input=i, requires=[start]) for i in range(width)]
    end = [ActivityTask("noop", "1", input="end", requires=middle)] if fan_in else []
    return [start, *middle, *end]


def wall(state: ExecutionState) -> float:
    return (state.closed_at - state.started_at).total_seconds()


# -- 1. overhead -----------------------------------------------------------------------------
def run_unwatched(launcher: Launcher, tasks: list[Task]) -> float:
    state = launcher.wait(launcher.launch(tasks), timeout=1800)
    assert state.status.value == "completed", state.failure_reason
    return wall(state)


def timed(cpu: dict[str, float], key: str, function):
    """``function`` counting its calls and the CPU time of the calling thread in ``cpu``."""

    def wrapper(*args, **kwargs):
        began = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            cpu[key] += time.thread_time() - began
            cpu[key + " calls"] += 1

    return wrapper


def run_watched(launcher: Launcher, tasks: list[Task]) -> tuple[float, dict[str, float]]:
    launched = launcher.launch(tasks)
    run = Run(launcher.swf, launcher.domain, launched.workflow_id, launched.run_id,
              spec=launched.spec)  # fmt: skip
    view = run.widget
    cpu: dict[str, float] = collections.defaultdict(float)
    run.follower.poll = timed(cpu, "poll", run.follower.poll)  # type: ignore[method-assign]
    view.refresh = timed(cpu, "redraw", view.refresh)  # type: ignore[method-assign]
    view.refresh_pictures = timed(cpu, "redraw", view.refresh_pictures)  # type: ignore[method-assign]
    run.wait(timeout=1800)
    return wall(run.state), cpu


def overhead(launcher: Launcher, activities: int, repeats: int) -> None:
    # No fan-in task: one task requiring 2,000 others does not fit the decider's task marker
    # (32,768 characters).
    tasks = fan(activities - 1, fan_in=False)
    run_unwatched(launcher, fan(5))  # warm up: types registered, decider running
    plain, watched, costs = [], [], []
    for repeat in range(repeats):
        order = ("plain", "watched") if repeat % 2 == 0 else ("watched", "plain")
        for mode in order:
            if mode == "plain":
                plain.append(run_unwatched(launcher, tasks))
            else:
                seconds, cpu = run_watched(launcher, tasks)
                watched.append(seconds)
                costs.append(cpu)
            seconds = (plain if mode == "plain" else watched)[-1]
            print(f"  run {repeat + 1} {mode:<8} {seconds:7.2f} s", flush=True)
    base, seen = statistics.median(plain), statistics.median(watched)
    print(
        f"1. {len(tasks):,} activities: unwatched {base:.2f} s, watched {seen:.2f} s "
        f"(median of {repeats}); watched / unwatched = {seen / base:.3f} "
        f"({(seen / base - 1) * 100:+.1f} %)"
    )
    for key in ("poll", "redraw"):
        calls = statistics.median(cpu[key + " calls"] for cpu in costs)
        seconds = statistics.median(cpu[key] for cpu in costs)
        print(f"   watcher thread, {key}: {calls:.0f} calls, {seconds:.2f} s CPU")


# -- 2. latency ------------------------------------------------------------------------------
def latency(launcher: Launcher, length: int = 15) -> None:
    tasks = [ActivityTask("nap", "1", input=i) for i in range(length)]
    for before, after in itertools.pairwise(tasks):
        after.requires = [before]
    launched = launcher.launch(tasks)
    run = Run(launcher.swf, launcher.domain, launched.workflow_id, launched.run_id,
              spec=launched.spec)  # fmt: skip
    view = run.widget
    shown: dict[str, float] = {}
    original = view.refresh

    def refresh() -> None:
        original()
        now = time.time()
        for task_id, task in run.state.tasks.items():
            if task.status is TaskStatus.COMPLETED:
                shown.setdefault(task_id, now)

    view.refresh = refresh  # type: ignore[method-assign]
    run.wait(timeout=300)
    delays = [shown[t] - s.closed_at.timestamp() for t, s in run.state.tasks.items()]
    print(f"2. completion shown in the widget after: median {statistics.median(delays):.3f} s, "
          f"max {max(delays):.3f} s over {len(delays)} tasks (target: within 1 s)")  # fmt: skip


# -- 3. redraw -------------------------------------------------------------------------------
def big_state(width: int) -> ExecutionState:
    """A 1 -> width -> 1 fan-out: most tasks completed, every 10th running, 5 failed."""
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    state = ExecutionState(workflow_id="bench", run_id="r", started_at=t0)
    for index, task in enumerate(fan(width)):
        status, outcome = TaskStatus.COMPLETED, AttemptOutcome.COMPLETED
        if index % 1000 == 7:
            status, outcome = TaskStatus.FAILED, AttemptOutcome.FAILED
        elif index % 10 == 3 or index == width + 1:
            status, outcome = TaskStatus.RUNNING, AttemptOutcome.OPEN
        start = t0 + dt.timedelta(seconds=index % 300)
        closed = None if outcome is AttemptOutcome.OPEN else start + dt.timedelta(seconds=5)
        attempt = Attempt(1, index + 1, start, start, closed, outcome, error="boom")
        error = "boom" if status is TaskStatus.FAILED else None
        state.tasks[task.id_] = TaskState(task.id_, task.kind, status, [attempt], task=task,
                                          error=error)  # fmt: skip
    return state


def _cpu() -> float:
    """CPU seconds of this thread plus those of finished child processes (dot)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.thread_time() + children.ru_utime + children.ru_stime


def best_of(runs: int, action) -> tuple[float, float]:
    """The best wall time and the best CPU time (this thread and dot) of ``runs`` calls: on a
    busy machine the wall time also counts waiting for a core."""
    walls, cpus = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), _cpu()
        action()
        walls.append(time.perf_counter() - began)
        cpus.append(_cpu() - began_cpu)
    return min(walls), min(cpus)


def redraw(launcher: Launcher, width: int = 5000, runs: int = 3) -> None:
    launched = launcher.launch([ActivityTask("noop", "1", input="redraw")])
    run = Run(launcher.swf, launcher.domain, launched.workflow_id, launched.run_id)
    run.wait(timeout=60)
    state = big_state(width)
    run.follower.state = state  # the view draws whatever state its run holds
    view = run.widget
    baseline, baseline_cpu = best_of(runs, lambda: floto.viz.draw(state).pipe(format="svg"))
    print(f"3. redraw of a {len(state.tasks):,}-task state (best of {runs}); baseline "
          f"draw(state) + dot: {baseline:.3f} s wall, {baseline_cpu:.3f} s CPU")  # fmt: skip
    for index, title in enumerate(("Graph", "Timeline", "Tasks", "Events")):
        view.tabs.widget.selected_index = index

        def again() -> None:
            run.version += 1  # as if new events had been folded in
            view.refresh(force=True)  # never held back (see PICTURE_SHARE)

        seconds, cpu = best_of(runs, again)
        print(f"   refresh() with {title:<8} on show: {seconds:.3f} s wall, {cpu:.3f} s CPU "
              f"({seconds / baseline:.2f} x baseline; target < 0.3 s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with LocalEngine(poll_wait=2) as engine:
        launcher = Launcher(
            f"bench-{uuid.uuid4().hex[:8]}", endpoint_url=engine.endpoint_url, registry=REGISTRY,
            workers=args.workers, heartbeat_in_seconds=0,
        )  # fmt: skip
        try:
            redraw(launcher)
            latency(launcher)
            overhead(launcher, args.activities, args.repeats)
        finally:
            launcher.stop(timeout=0)


if __name__ == "__main__":
    main()
