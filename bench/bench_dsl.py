"""Build, compile and check a 10,000-task fan-out/fan-in workflow; print the times.

Target: under 1 s on a 2-core machine. The baseline is the bare networkx work of the same
shape (a DiGraph with the same nodes and edges plus an acyclicity check), measured in the same
run, so the ratio shows what floto adds on top of networkx.

Run: .venv/bin/python bench/bench_dsl.py
"""

from __future__ import annotations

import statistics
import time

import networkx as nx

from floto.dsl import Workflow
from floto.specs.task import ActivityTask

WIDTH = 10_000
REPEATS = 5


def floto_build_compile_check() -> int:
    source = ActivityTask("split", "v1")
    middle = [ActivityTask("work", "v1", input={"part": i}) for i in range(WIDTH)]
    sink = ActivityTask("join", "v1")
    source >> middle
    middle >> sink
    spec = Workflow(sink).decider_spec("bench", "decider", "activities")
    return len(spec.activity_tasks)


def networkx_baseline() -> int:
    graph = nx.DiGraph()
    for i in range(WIDTH):
        graph.add_edge("split", f"work{i}")
        graph.add_edge(f"work{i}", "join")
    assert nx.is_directed_acyclic_graph(graph)
    return len(list(nx.topological_sort(graph)))


def median_seconds(function) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    assert floto_build_compile_check() == WIDTH + 2
    floto_time = median_seconds(floto_build_compile_check)
    baseline = median_seconds(networkx_baseline)
    print(f"fan-out/fan-in of {WIDTH:,} tasks, median of {REPEATS}:")
    print(f"  floto build + compile + check: {floto_time:.3f} s (target < 1 s)")
    print(f"  networkx baseline (same graph): {baseline:.3f} s")
    print(f"  ratio floto / baseline: {floto_time / baseline:.1f}x")


if __name__ == "__main__":
    main()
