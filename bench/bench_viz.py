"""How long drawing takes: a 5,000-task fan-out/fan-in, drawn and rendered to SVG with `dot`.

Prints, for each case, the time to build the graphviz Digraph and the time for `dot` to render
it as SVG (best of several runs for the quick ones), next to a baseline measured in the same
run: a plain graphviz.Digraph with one node() and edge() call per task and requirement, as a
user would write it without floto. Target: floto's default drawing of the 5,000-task fan-out
(built and rendered) in under 2 s.

Run: .venv/bin/python bench/bench_viz.py [--width 5000] [--no-full]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import graphviz

import floto.viz
from floto.history import Attempt, AttemptOutcome, ExecutionState, TaskState, TaskStatus
from floto.specs.task import ActivityTask, Task


def fan(width: int) -> list[Task]:
    start = ActivityTask("start", "v1")
    middle = [ActivityTask("work", "v1", input=i, requires=[start]) for i in range(width)]
    return [start, *middle, ActivityTask("end", "v1", requires=middle)]


def baseline(tasks: list[Task]) -> graphviz.Digraph:
    """What a user might write by hand: one node and one edge call each, no styling."""
    graph = graphviz.Digraph()
    names = {task.id_: f"n{index}" for index, task in enumerate(tasks)}
    for task in tasks:
        graph.node(names[task.id_], label=task.id_)
    for task in tasks:
        for required in task.required_ids:
            graph.edge(names[required], names[task.id_])
    return graph


def running_state(tasks: list[Task]) -> ExecutionState:
    """The fan-out half done: most work completed, some running, two failed."""
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    state = ExecutionState(workflow_id="bench", started_at=t0)
    for index, task in enumerate(tasks[:-1]):
        status = TaskStatus.COMPLETED
        outcome = AttemptOutcome.COMPLETED
        if index % 1000 == 7:
            status, outcome = TaskStatus.FAILED, AttemptOutcome.FAILED
        elif index % 10 == 3:
            status, outcome = TaskStatus.RUNNING, AttemptOutcome.OPEN
        start = t0 + dt.timedelta(seconds=index % 300)
        closed = None if outcome == AttemptOutcome.OPEN else start + dt.timedelta(seconds=5)
        attempt = Attempt(1, index + 1, start, start, closed, outcome, error="boom")
        state.tasks[task.id_] = TaskState(
            task.id_, task.kind, status, [attempt], task=task, error="boom"
        )
    return state


def best(runs: int, action: Callable[[int], Any]) -> tuple[float, Any]:
    """The fastest of ``runs`` calls ``action(run)`` and its result."""
    times, result = [], None
    for run in range(runs):
        began = time.perf_counter()
        result = action(run)
        times.append(time.perf_counter() - began)
    return min(times), result


def case(name: str, build: Callable[[int], Any], runs: int, render_runs: int) -> float:
    build_s, graph = best(runs, build)
    render_s, svg = best(render_runs, lambda run: graph.pipe(format="svg"))
    total = build_s + render_s
    print(
        f"  {name:<52} build {build_s:7.3f} s   render {render_s:7.3f} s   "
        f"total {total:7.3f} s   ({len(graph.source):>9,} chars DOT, {len(svg):>10,} bytes SVG)"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--width", type=int, default=5000, help="tasks in the fan-out")
    parser.add_argument("--no-full", action="store_true", help="skip rendering every task")
    args = parser.parse_args()
    runs = 3
    # Fresh task lists for every run: task ids are derived (and cached) on first use, so each
    # timed draw pays for deriving them, as a user's first draw does.
    copies = [fan(args.width) for _ in range(runs + 1)]
    tasks = copies[-1]
    edges = sum(len(task.required_ids) for task in tasks)
    print(f"fan-out/fan-in: {len(tasks):,} tasks, {edges:,} requirements (dot {_dot_version()})")
    base = case("baseline: plain Digraph, every task", lambda run: baseline(copies[run]), runs, 1)
    drawn = case(
        "floto.viz.draw(tasks)  [default: collapsed]",
        lambda run: floto.viz.draw(copies[run]),
        runs,
        runs,
    )
    state = running_state(tasks)
    case(
        "floto.viz.draw(state)  [execution, collapsed]",
        lambda run: floto.viz.draw(state),
        runs,
        runs,
    )
    if not args.no_full:
        case(
            "floto.viz.draw(tasks, collapse_above=None)",
            lambda run: floto.viz.draw(tasks, collapse_above=None),
            1,
            1,
        )
    timeline_s, timeline = best(runs, lambda run: floto.viz.timeline(state))
    print(
        f"  {'floto.viz.timeline(state)':<52} build {timeline_s:7.3f} s   "
        f"({timeline.bars:,} bars, {len(timeline.svg):,} bytes SVG)"
    )
    verdict = "under" if drawn < 2 else "OVER"
    print(
        f"default drawing, built and rendered: {drawn:.3f} s ({verdict} the 2 s target); "
        f"{base / drawn:.1f}x faster than the baseline ({base:.3f} s)"
    )


def _dot_version() -> str:
    try:
        return ".".join(map(str, graphviz.version()))
    except graphviz.ExecutableNotFound:
        return "missing"


if __name__ == "__main__":
    main()
