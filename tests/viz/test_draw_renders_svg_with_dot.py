"""Rendered with the real `dot`: the SVG has one node per task with its shape, label and
tooltip, and one edge per requirement."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from viz_states import seed_tasks
from viz_svg import parse, task_nodes

import floto.viz
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")

# What each shape leaves in the SVG: (outline elements)
SHAPE_ELEMENTS = {
    "activity": ["path"],  # a rounded box is a path
    "generator": ["polygon", "polyline", "polyline", "polyline"],  # box3d
    "child_workflow": ["polygon", "polyline", "polyline"],  # component
    "timer": ["ellipse"],
}


def test_svg_has_one_node_per_task_with_its_shape_label_and_tooltip():
    tasks = seed_tasks()
    drawing = floto.viz.draw(DeciderSpec(domain="d", activity_tasks=tasks))
    nodes, edges, _ = parse(drawing.pipe(format="svg", encoding="utf-8"))
    drawn = task_nodes(nodes)
    assert set(drawn) == {task.id_ for task in tasks}
    for task in tasks:
        node = drawn[task.id_]
        assert f"floto-{task.kind.replace('_', '-')}" in node.classes
        assert node.shapes == SHAPE_ELEMENTS[task.kind], task.kind
        assert node.tooltip.startswith(task.id_ + "\n")
    assert drawn[tasks[1].id_].texts == ["ActivityB", "v1", "retry \u00d73"]
    assert drawn["Timer30"].texts == ["Timer30", "wait 30 s"]
    expected = sorted((req, task.id_) for task in tasks for req in task.required_ids)
    assert sorted(edges) == expected


def test_legend_shows_one_entry_per_kind_drawn():
    nodes, _, _ = parse(floto.viz.draw(seed_tasks()).pipe(format="svg", encoding="utf-8"))
    legend = {node.text: node for node in nodes.values() if "floto-legend" in node.classes}
    assert set(legend) == {"activity", "generator", "child workflow", "timer"}
    assert legend["timer"].shapes == ["ellipse"]
    assert legend["generator"].shapes == SHAPE_ELEMENTS["generator"]


def test_render_and_repr_work_as_graphviz_users_expect(tmp_path):
    drawing = floto.viz.draw([ActivityTask("a", "v1")])
    path = drawing.render(tmp_path / "flow", format="svg")
    assert Path(path).read_text(encoding="utf-8").lstrip().startswith("<?xml")
    bundle = drawing._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]
    assert drawing.pipe(format="png").startswith(b"\x89PNG")
