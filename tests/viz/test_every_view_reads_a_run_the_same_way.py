"""The terminal, notebooks and drawings read a run with one vocabulary (floto.presentation):
one row per status, one duration format, one first-line format."""

from __future__ import annotations

import pytest

from floto import presentation
from floto.cli import _view
from floto.history import TaskStatus, WorkflowStatus
from floto.viz import SEVERITY, STATUS_STYLES
from floto.viz import _styles as viz_styles

render = pytest.importorskip("floto.notebook._render")


def test_every_status_has_one_row_and_every_view_reads_it():
    assert set(presentation.STATUS_ORDER) == set(TaskStatus)
    assert len(presentation.TASK_STATUSES) == len(TaskStatus)  # one row each, no second
    assert {look.status for look in presentation.RUN_STATUSES} == set(WorkflowStatus)
    assert SEVERITY == presentation.STATUS_ORDER
    for look in presentation.TASK_STATUSES:
        assert STATUS_STYLES[look.status]["fillcolor"] == look.fill
        assert render.task_colour(look.status) == look.colour
        assert (
            _view.status_text(look.status).plain
            == look.label
            == viz_styles.STATUS_LABELS[look.status]
        )
        assert str(_view.status_text(look.status).style) == look.terminal
    for look in presentation.RUN_STATUSES:
        assert _view.status_text(look.status).plain == look.label
    assert _view.status_text(WorkflowStatus.OPEN).plain == "running"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.123, "0.12 s"), (4.25, "4.2 s"), (30, "30 s"), (75, "1 min 15 s"), (4000, "1 h 6 min"),
     (3 * 86400 + 7200, "3 d 2 h")],
)  # fmt: skip
def test_a_duration_reads_the_same_in_the_terminal_the_notebook_and_drawings(seconds, text):
    assert presentation.format_duration(seconds) == text
    assert _view.format_seconds(seconds) == text
    assert render.seconds(seconds) == text
    assert viz_styles.format_seconds(seconds) == text
    assert (_view.format_seconds(None), render.seconds(None)) == ("-", "")


def test_the_first_line_of_an_error_is_cut_the_same_way():
    error = "\n\n  ValueError: bad input  \nTraceback (most recent call last):\n..."
    assert presentation.first_line(error) == "ValueError: bad input"
    assert render.first_line(error) == "ValueError: bad input"
    assert presentation.first_line("x" * 300, 10) == "x" * 9 + "…"
    assert presentation.first_line(None) == ""
