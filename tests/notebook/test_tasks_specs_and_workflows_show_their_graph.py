"""Tasks, DeciderSpecs and Workflows show their graph inline in Jupyter (IPython's display
machinery), through floto.display's renderer, without `import floto` loading floto.viz."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import floto.display
from floto.dsl import Workflow
from floto.specs.task import ActivityTask

pytest.importorskip("IPython")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


@pytest.fixture(scope="module")
def formatter():
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance().display_formatter


def _flow():
    a = ActivityTask("extract", "1")
    b = ActivityTask("load", "1")
    a >> b
    return a, b


@needs_dot
@pytest.mark.parametrize("kind", ["task", "workflow", "spec"])
def test_each_shows_its_graph_as_svg(formatter, kind):
    _, b = _flow()
    obj = {"task": b, "workflow": Workflow(b), "spec": Workflow(b).decider_spec("d")}[kind]
    data, _ = formatter.format(obj)
    svg = data["image/svg+xml"]
    assert "<svg" in svg and "extract" in svg and "load" in svg
    assert data["text/plain"] == repr(obj)


def test_a_graph_that_cannot_be_drawn_shows_why_as_text(formatter):
    broken = ActivityTask("c", "1", requires=["ghost"])
    data, _ = formatter.format(broken)
    assert "image/svg+xml" not in data
    assert data["text/plain"].endswith("(not drawn: tasks[0].requires[0]: unknown task id 'ghost')")


def test_without_a_renderer_objects_show_as_text():
    previous = floto.display.set_renderer(None)
    try:
        assert floto.display.mimebundle(_flow()[1]) == {"text/plain": repr(_flow()[1])}
    finally:
        floto.display.set_renderer(previous)


def test_import_floto_loads_neither_floto_viz_nor_graphviz():
    code = (
        "import sys, floto, floto.specs, floto.dsl\n"
        "loaded = [m for m in ('floto.viz', 'graphviz', 'ipywidgets') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
