"""IPython's display machinery (what Jupyter uses) shows drawings and timelines as SVG."""

from __future__ import annotations

import shutil

import pytest
from viz_states import execution, seed_tasks

import floto.viz

IPython = pytest.importorskip("IPython")


@pytest.fixture(scope="module")
def formatter():
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance().display_formatter


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
def test_a_drawing_displays_as_svg(formatter):
    data, _ = formatter.format(floto.viz.draw(seed_tasks()))
    assert "<svg" in data["image/svg+xml"] and "ActivityA" in data["image/svg+xml"]


def test_a_timeline_displays_as_svg(formatter):
    timeline = floto.viz.timeline(execution())
    data, _ = formatter.format(timeline)
    assert data["image/svg+xml"] == timeline.svg


def test_a_drawing_copies_as_a_drawing():
    drawing = floto.viz.draw(seed_tasks())
    copy = drawing.copy()
    assert type(copy) is type(drawing) and copy.source == drawing.source
