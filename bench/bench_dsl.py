"""Build, compile and check a 10,000-task fan-out/fan-in workflow; print the times.

Target: under 1 s on a 2-core machine. The baseline is the bare networkx work of the same
shape (a DiGraph with the same nodes and edges plus an acyclicity check), measured in the same
run, so the ratio shows what floto adds on top of networkx.

Also: how often the graph is checked, and how long checking takes, when a Decider is built
from a Workflow and from the spec's JSON (10,000-task chain) — a spec is checked once.

Run: .venv/bin/python bench/bench_dsl.py
"""

from __future__ import annotations

import statistics
import time

import networkx as nx

from floto.api import Swf
from floto.decider import Decider
from floto.dsl import Workflow
from floto.specs import DeciderSpec
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


def chain_workflow() -> Workflow:
    tasks = [ActivityTask("step", "v1", input={"n": 0})]
    for n in range(1, WIDTH):
        tasks.append(ActivityTask("step", "v1", input={"n": n}, requires=[tasks[-1]]))
    return Workflow(tasks[-1])


def _graph_module():
    """Where the graph is built (floto.specs since issue 8; floto.dsl before, so that this
    bench also runs on older trees for a before/after figure)."""
    try:
        import floto.specs._graph as module
    except ImportError:
        import floto.dsl._checks as module  # type: ignore[no-redef]
    return module


def count_checks(build) -> tuple[int, float]:
    """(graph checks, seconds spent in them) while ``build()`` runs."""
    graph_module = _graph_module()
    real = graph_module.build_graph
    calls, spent = [0], [0.0]

    def counting(*args, **kwargs):
        calls[0] += 1
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    graph_module.build_graph = counting
    try:
        build()
    finally:
        graph_module.build_graph = real
    return calls[0], spent[0]


def print_checks() -> None:
    flow = chain_workflow()
    spec_json = flow.decider_spec("bench", "decider", "activities").to_json()
    swf = Swf(endpoint_url="http://127.0.0.1:9")  # never called: nothing is polled here
    ways = {
        "Workflow -> DeciderSpec -> Decider": lambda: Decider(
            chain_workflow().decider_spec("bench", "decider", "activities"), swf=swf
        ),
        "JSON -> DeciderSpec -> Decider": lambda: Decider(
            DeciderSpec.from_json(spec_json), swf=swf
        ),
    }
    print(f"graph checks of a {WIDTH:,}-task chain:")
    for name, build in ways.items():
        start = time.perf_counter()
        checks, spent = count_checks(build)
        total = time.perf_counter() - start
        print(f"  {name}: {checks} check(s), {spent:.3f} s checking of {total:.3f} s in all")


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
    print_checks()


if __name__ == "__main__":
    main()
