"""draw() on specs: one node per task, one edge per requirement, escaped labels, stable DOT.

These tests read the DOT text only (no `dot` needed).
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from viz_states import seed_tasks

import floto.viz
from floto.dsl import Workflow
from floto.errors import CycleError, GraphError, SpecError
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, Timer
from floto.viz._scene import Entry
from floto.viz._scene import _ordered as ordered_entries


def node_lines(source: str) -> dict[str, str]:
    """Node statements of the DOT text by node name (quoted names unquoted)."""
    lines = {}
    for line in source.splitlines():
        match = re.match(r'\t(?:"((?:[^"\\]|\\.)*)"|(\w+)) \[', line)
        if match and "->" not in line.split("[")[0] and match[2] not in ("graph", "node", "edge"):
            lines[(match[1] or match[2]).replace('\\"', '"')] = line
    return lines


def edge_pairs(source: str) -> list[tuple[str, str]]:
    return re.findall(r'^\t"?([^"\n]*?)"? -> "?([^"\n\[]*?)"?(?: \[.*\])?$', source, re.M)


def test_one_node_per_task_with_its_shape_and_one_edge_per_requirement():
    tasks = seed_tasks()
    source = floto.viz.draw(DeciderSpec(domain="d", activity_tasks=tasks), legend=False).source
    nodes = node_lines(source)
    assert set(nodes) == {task.id_ for task in tasks}
    shapes = {task.kind: re.search(r"shape=(\w+)", nodes[task.id_])[1] for task in tasks}
    assert shapes == {
        "activity": "box",
        "timer": "ellipse",
        "generator": "box3d",
        "child_workflow": "component",
    }
    expected = {(req, task.id_) for task in tasks for req in task.required_ids}
    assert set(edge_pairs(source)) == expected
    assert len(edge_pairs(source)) == len(expected)


def test_labels_show_name_version_retry_policy_and_timer_delay():
    tasks = seed_tasks()
    nodes = node_lines(floto.viz.draw(tasks).source)
    b, timer, gen, child = tasks[1], tasks[2], tasks[4], tasks[5]
    assert "<B>ActivityB</B>" in nodes[b.id_] and ">v1<" in nodes[b.id_]
    assert "retry \u00d73" in nodes[b.id_]
    assert "wait 30 s" in nodes[timer.id_] and "<B>Timer30</B>" in nodes[timer.id_]
    assert "retry \u00d72, after 5 s \u00d72 (\u2264 1 min)" in nodes[gen.id_]
    assert "<B>child_type</B>" in nodes[child.id_] and ">v2<" in nodes[child.id_]
    assert "#2be88ca424" not in nodes[b.id_]  # names are unique here: no hash


def test_tasks_sharing_a_name_show_what_tells_them_apart():
    first = ActivityTask("copy", "v1", input={"file": 1, "bucket": "b"})
    second = ActivityTask("copy", "v1", input={"file": 2, "bucket": "b"})
    same = [ActivityTask("join", "v1", requires=[task]) for task in (first, second)]
    nodes = node_lines(floto.viz.draw([first, second, *same]).source)
    assert "<B>copy[file=1]</B>" in nodes[first.id_] and ">v1<" in nodes[first.id_]
    assert "<B>copy[file=2]</B>" in nodes[second.id_]
    for task in same:  # the same input: the id's short hash tells them apart
        assert f"<B>join #{task.id_.rsplit(':', 1)[1][:6]}</B>" in nodes[task.id_]


def test_ids_with_colons_quotes_and_backslashes_are_quoted_whole():
    odd = ActivityTask("a", "v1", id_='we:ird "id" \\ <x>')
    after = ActivityTask("b", "v1", requires=[odd], id_="b:v1:0")
    source = floto.viz.draw([odd, after], legend=False).source
    assert '\t"we:ird \\"id\\" \\ <x>" [' in source
    assert '\t"we:ird \\"id\\" \\ <x>" -> "b:v1:0"\n' in source
    assert 'tooltip="we:ird \\"id\\" \\\\ <x>\\nactivity"' in source
    # An HTML-special name is escaped in the HTML label.
    named = ActivityTask("<b>&", "v1")
    assert "<B>&lt;b&gt;&amp;</B>" in floto.viz.draw([named]).source


def test_dot_text_is_the_same_whatever_the_task_list_order():
    tasks = seed_tasks()
    forward = floto.viz.draw(tasks).source
    backward = floto.viz.draw(list(reversed(tasks))).source
    assert forward == backward
    ids = list(node_lines(forward))
    assert ids.index(tasks[0].id_) < ids.index(tasks[2].id_) < ids.index(tasks[3].id_)


def test_every_input_form_draws_the_same_tasks():
    tasks = seed_tasks()
    spec = DeciderSpec(domain="d", task_list="t", activity_tasks=tasks)
    expected = floto.viz.draw(spec).source
    assert floto.viz.draw(tasks).source == expected
    assert floto.viz.draw(Workflow(tasks[-1])).source == expected
    assert floto.viz.draw(tasks[-1]).source == expected  # a task and all it requires
    assert floto.viz.draw(spec.to_json()).source == expected
    assert floto.viz.draw(spec.to_dict()).source == expected
    assert floto.viz.draw([t.to_dict() for t in tasks]).source == expected
    assert floto.viz.draw({"activity_tasks": [t.to_dict() for t in tasks]}).source == expected


def test_a_spec_file_is_read_from_a_path(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(DeciderSpec(domain="d", activity_tasks=seed_tasks()).to_json())
    assert "ActivityA" in floto.viz.draw(path).source


def test_direction_and_legend_options():
    tasks = seed_tasks()
    assert "rankdir=TB" in floto.viz.draw(tasks, direction="TB").source
    assert "rankdir=LR" in floto.viz.draw(tasks).source
    with_legend = floto.viz.draw(tasks).source
    assert "cluster_legend" in with_legend
    assert "cluster_legend" not in floto.viz.draw(tasks, legend=False).source


def test_the_legend_lists_only_the_kinds_drawn():
    source = floto.viz.draw([ActivityTask("a", "v1"), Timer("t", 5)]).source
    legend = source[source.index("cluster_legend") :]
    assert "floto:legend:kind:activity" in legend and "floto:legend:kind:timer" in legend
    assert "generator" not in legend and "child" not in legend


def test_styles_layer_kind_then_user_function():
    tasks = seed_tasks()

    def style(node: floto.viz.Node):
        if node.kind == "timer":
            return {"fillcolor": "gold", "label": None}
        return None

    nodes = node_lines(
        floto.viz.draw(tasks, style=style, kind_styles={"activity": {"shape": "hexagon"}}).source
    )
    assert "fillcolor=gold" in nodes["Timer30"] and "label=" not in nodes["Timer30"]
    assert "shape=hexagon" in nodes[tasks[0].id_]
    assert "shape=box3d" in nodes[tasks[4].id_]


def test_an_empty_spec_draws_a_note():
    source = floto.viz.draw(DeciderSpec(domain="d")).source
    assert '"floto:empty" [label="no tasks"' in source


def test_a_title_can_be_given():
    assert 'label="my flow"' in floto.viz.draw(seed_tasks(), title="my flow").source


@pytest.mark.parametrize(
    ("obj", "error", "words"),
    [
        (42, TypeError, "cannot draw a int"),
        (object(), TypeError, "DeciderSpec"),
        ("not json", SpecError, "pass a pathlib.Path"),
        ({"type": "os.system"}, SpecError, "$.type"),
        ([ActivityTask("a", "v1"), 3], SpecError, "tasks[1]"),
    ],
)
def test_what_cannot_be_drawn_gets_a_clear_error(obj, error, words):
    with pytest.raises(error, match=re.escape(words)):
        floto.viz.draw(obj)


def test_a_bad_field_in_spec_json_is_named():
    document = DeciderSpec(domain="d", activity_tasks=seed_tasks()).to_dict()
    document["activity_tasks"][1]["retry_strategy"]["retries"] = -1
    with pytest.raises(SpecError, match=re.escape("activity_tasks[1].retry_strategy.retries")):
        floto.viz.draw(json.dumps(document))


def test_graphs_that_cannot_run_are_refused():
    a = ActivityTask("a", "v1", id_="a")
    b = ActivityTask("b", "v1", id_="b", requires=["a"])
    a.requires = ["b"]
    with pytest.raises(CycleError):
        floto.viz.draw([a, b])
    with pytest.raises(GraphError, match="unknown task id 'zzz'"):
        floto.viz.draw(
            [
                {
                    "type": "floto.specs.task.Timer",
                    "id_": "t",
                    "delay_in_seconds": 1,
                    "requires": ["zzz"],
                }
            ]
        )


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"direction": "up"}, "direction must be one of LR, TB"),
        ({"legend": "yes"}, "legend must be True or False"),
        ({"collapse_above": -1}, "collapse_above"),
        ({"style": "red"}, "style must be a function"),
        ({"kind_styles": {"task": {}}}, "unknown kind 'task'"),
        ({"status_styles": {"done": {}}}, "unknown status 'done'"),
        ({"kind_styles": 3}, "kind_styles must be a dict of kind -> DOT attributes, got int"),
        ({"kind_styles": {"timer": "red"}}, "kind_styles['timer'] must be a dict"),
        ({"status_styles": ["failed"]}, "status_styles must be a dict of status -> DOT"),
        ({"status_styles": {"failed": 1}}, "status_styles['failed'] must be a dict"),
    ],
)
def test_bad_options_are_refused(options, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        floto.viz.draw(seed_tasks(), **options)


def test_drawing_nothing_is_an_error_not_an_empty_picture():
    with pytest.raises(TypeError, match="cannot draw a NoneType"):
        floto.viz.draw(None)


def test_repr_of_a_drawing_counts_its_tasks_and_nodes():
    tasks = seed_tasks()
    assert repr(floto.viz.draw(tasks)) == f"<Drawing of {len(tasks)} tasks in {len(tasks)} nodes>"
    start = ActivityTask("start", "v1")
    work = [ActivityTask("work", "v1", input=i, requires=[start]) for i in range(50)]
    assert repr(floto.viz.draw(work)) == "<Drawing of 51 tasks in 2 nodes>"


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60),
)))  # fmt: skip
def test_tasks_are_drawn_in_networkxs_lexicographic_topological_order_or_seen_as_a_cycle(graph):
    """The scene's order (hand-written for speed) is the canonical one networkx would give."""
    count, pairs = graph
    ids = [f"t{index:02d}" for index in range(count)]
    entries = [Entry(task_id, "activity") for task_id in ids]
    for required, dependent in pairs:
        entries[dependent].requires.append(ids[required])
    reference = nx.DiGraph()
    reference.add_nodes_from(ids)
    reference.add_edges_from((r, e.task_id) for e in entries for r in e.requires)
    ordered = ordered_entries(list(reversed(entries)))
    if nx.is_directed_acyclic_graph(reference):
        assert ordered is not None
        assert [e.task_id for e in ordered] == list(nx.lexicographical_topological_sort(reference))
    else:
        assert ordered is None
