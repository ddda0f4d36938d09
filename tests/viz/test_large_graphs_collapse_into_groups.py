"""Beyond a threshold, look-alike tasks collapse into one group node with a count."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from viz_states import execution, task_state
from viz_svg import parse, task_nodes

import floto.viz
from floto.history import TaskStatus
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Generator
from floto.viz import _group

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def fan(width: int, **fields):
    start = ActivityTask("start", "v1")
    middle = [ActivityTask("work", "v1", input=i, requires=[start], **fields) for i in range(width)]
    end = ActivityTask("end", "v1", requires=middle)
    return [start, *middle, end]


def groups_in(source: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*"(floto:group:\d+)" \[(.*)\]$', source, re.M))


@needs_dot
def test_a_5000_task_fan_out_and_in_is_three_nodes_with_a_count():
    tasks = fan(5000)
    svg = floto.viz.draw(tasks).pipe(format="svg", encoding="utf-8")
    nodes, edges, _ = parse(svg)
    drawn = task_nodes(nodes)
    assert len(drawn) == 3
    group = drawn["floto:group:1"]
    assert "floto-group" in group.classes
    assert group.texts[0] == "work \u00d75,000"
    assert group.shapes == ["path", "path"]  # two peripheries
    assert sorted(edges) == sorted(
        [(tasks[0].id_, "floto:group:1"), ("floto:group:1", tasks[-1].id_)]
    )


def test_the_threshold_decides_and_none_never_collapses():
    at_threshold = fan(floto.viz.DEFAULT_COLLAPSE_ABOVE - 2)  # 40 tasks
    assert not groups_in(floto.viz.draw(at_threshold).source)
    above = fan(floto.viz.DEFAULT_COLLAPSE_ABOVE - 1)  # 41 tasks
    assert len(groups_in(floto.viz.draw(above).source)) == 1
    assert not groups_in(floto.viz.draw(above, collapse_above=None).source)
    assert len(groups_in(floto.viz.draw(fan(3), collapse_above=0).source)) == 1


def test_tasks_that_differ_in_retry_policy_or_version_stay_apart():
    tasks = fan(50)
    tasks[1] = ActivityTask(
        "work", "v1", input=0, requires=[tasks[0]], retry_strategy=InstantRetry(2)
    )
    tasks[2] = ActivityTask("work", "v2", input=1, requires=[tasks[0]])
    tasks[-1] = ActivityTask("end", "v1", requires=tasks[1:-1])
    source = floto.viz.draw(tasks).source
    groups = groups_in(source)
    assert len(groups) == 1 and "work \u00d748" in next(iter(groups.values()))
    assert f'"{tasks[1].id_}" [' in source and f'"{tasks[2].id_}" [' in source


def test_parallel_chains_collapse_into_a_chain_of_groups():
    start = ActivityTask("start", "v1")
    chains = []
    for i in range(30):
        copy = ActivityTask("copy", "v1", input=i, requires=[start])
        chains += [copy, ActivityTask("length", "v1", requires=[copy])]
    source = floto.viz.draw([start, *chains]).source
    groups = groups_in(source)
    assert [
        "copy \u00d730" in groups["floto:group:1"],
        "length \u00d730" in groups["floto:group:2"],
    ] == [
        True,
        True,
    ]
    assert '\t"floto:group:1" -> "floto:group:2"\n' in source
    assert len(re.findall(" -> ", source)) == 2


def test_a_long_chain_of_one_activity_does_not_collapse():
    chain = [ActivityTask("step", "v1", input=0)]
    for i in range(1, 300):
        chain.append(ActivityTask("step", "v1", input=i, requires=[chain[-1]]))
    source = floto.viz.draw(chain).source
    assert not groups_in(source)
    assert len(re.findall(" -> ", source)) == 299


def test_a_group_takes_its_worst_status_and_counts_each_status():
    root = ActivityTask("root", "v1")
    gen = Generator("split", "v1", requires=[root])
    done = TaskStatus.COMPLETED
    states = [task_state(root, done), task_state(gen, done)]
    statuses = [done] * 95 + [TaskStatus.RUNNING] * 3 + [TaskStatus.FAILED] * 2
    for i, status in enumerate(statuses):
        task = ActivityTask("part", "v1", input=i)
        error = f"part {i} broke" if status == TaskStatus.FAILED else None
        states.append(task_state(task, status, error=error, generated_by=gen.id_))
    source = floto.viz.draw(execution(*states)).source
    (attrs,) = groups_in(source).values()
    assert "<B>part \u00d7100</B>" in attrs
    assert "2 failed · 3 running · 95 completed" in attrs
    failed = floto.viz.STATUS_STYLES[TaskStatus.FAILED]
    assert f'fillcolor="{failed["fillcolor"]}"' in attrs
    assert "floto-status-failed" in attrs
    assert "part 98 broke" in attrs and "part 99 broke" in attrs  # errors in the tooltip
    # The legend still counts tasks, not nodes.
    assert "completed (97)" in source and "failed (2)" in source


@pytest.mark.parametrize(
    "counts",
    [
        {TaskStatus.COMPLETED: 9, TaskStatus.FAILED: 1},
        {TaskStatus.RUNNING: 1, TaskStatus.TIMED_OUT: 1},
        {TaskStatus.PENDING: 5, TaskStatus.CANCELED: 1, TaskStatus.WAITING_TO_RETRY: 1},
        {TaskStatus.SCHEDULED: 2, TaskStatus.WAITING_TO_RETRY: 1, TaskStatus.RUNNING: 1},
        {TaskStatus.COMPLETED: 5, TaskStatus.NOT_RUN: 2, TaskStatus.BLOCKED: 1},
    ],
)
def test_worst_status_order_never_hides_a_failure(counts):
    from floto.viz._labels import worst

    expected = min(counts, key=floto.viz.SEVERITY.index)
    assert worst(counts) == expected
    assert floto.viz.SEVERITY[:5] == (
        TaskStatus.FAILED,
        TaskStatus.TIMED_OUT,
        TaskStatus.BLOCKED,  # a failure's consequence outranks what merely was stopped
        TaskStatus.CANCELED,
        TaskStatus.WAITING_TO_RETRY,
    )


def test_the_exact_fallback_groups_only_identical_neighbourhoods(monkeypatch):
    monkeypatch.setattr(_group, "MAX_ROUNDS", 0)
    order = ["a", "b1", "b2", "c1", "c2"]
    requires = {"a": [], "b1": ["a"], "b2": ["a"], "c1": ["b1"], "c2": ["b2"]}
    signature = {"a": 0, "b1": 1, "b2": 1, "c1": 2, "c2": 2}
    assert _group.partition(order, requires, signature) == [["a"], ["b1"], ["b2"], ["c1"], ["c2"]]
    monkeypatch.setattr(_group, "MAX_ROUNDS", 25)
    assert _group.partition(order, requires, signature) == [["a"], ["b1", "b2"], ["c1", "c2"]]


@st.composite
def dags(draw):
    size = draw(st.integers(1, 25))
    requires = {}
    for node in range(size):
        earlier = list(range(node))
        picked = (
            draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True)) if earlier else []
        )
        requires[str(node)] = [str(p) for p in picked]
    signature = {str(n): draw(st.integers(0, 2)) for n in range(size)}
    return [str(n) for n in range(size)], requires, signature


@settings(max_examples=200, deadline=None)
@given(dags())
def test_groups_are_stable_so_group_edges_tell_the_truth(dag):
    order, requires, signature = dag
    classes = _group.partition(order, requires, signature)
    assert sorted(node for members in classes for node in members) == sorted(order)
    class_of = {node: index for index, members in enumerate(classes) for node in members}
    dependents = {node: [n for n in order if node in requires[n]] for node in order}
    for members in classes:
        first = members[0]
        for node in members:
            assert signature[node] == signature[first]
            assert {class_of[r] for r in requires[node]} == {class_of[r] for r in requires[first]}
            assert {class_of[d] for d in dependents[node]} == {
                class_of[d] for d in dependents[first]
            }
