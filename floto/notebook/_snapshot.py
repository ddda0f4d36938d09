"""Saved output: beside its live widget, a run's display carries a static HTML snapshot of the
run (header, counts, failures, graph), so a notebook saved without widget state, or opened
without a kernel, still shows the run.

The snapshot is a second output of the cell, with a display id, updated once the run closes.
A style rule in it hides it while the live widget shows in the same output area, and hides
the "Error displaying widget: model not found" line once the widget cannot be shown.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from floto.history import ExecutionState

if TYPE_CHECKING:
    from floto.notebook._run import Run

STATIC_CLASS = "floto-static"
_STYLE = (
    "<style>"
    ".jp-OutputArea:has(.floto-run-view) .floto-static,"
    ".output_area:has(.floto-run-view) .floto-static{display:none}"
    ".jp-OutputArea:has(.floto-static) .jp-OutputArea-output.jupyter-widgets:not(:has(*))"
    "{display:none}"
    "</style>"
)


def snapshot_html(state: ExecutionState) -> str:
    """The static copy of a run's display (``floto.viz.report_body``, compact)."""
    import floto.viz

    note = "" if state.is_closed else " (as it was when shown: the run was still open)"
    return (
        f'<div class="{STATIC_CLASS}">{_STYLE}'
        f'<div style="color:#6c757d;font-size:11px">floto run snapshot{note}</div>'
        f"{floto.viz.report_body(state, compact=True)}</div>"
    )


class Snapshot:
    """The display handle of one run's static output (updated at most once per state)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self._handle: Any = None
        self._shown_version = -1
        self._lock = threading.Lock()

    def bundle(self) -> dict[str, str]:
        with self.run._lock:
            return {"text/html": snapshot_html(self.run.state), "text/plain": repr(self.run)}

    def display(self) -> None:
        """Show the snapshot as an output of the current cell (after the live widget)."""
        from IPython.display import display

        with self._lock:
            self._shown_version = self.run.version
            self._handle = display(self.bundle(), raw=True, display_id=True)

    def update(self) -> None:
        """Replace the snapshot by the run's current state (no effect if never shown)."""
        with self._lock:
            if self._handle is None or self._shown_version == self.run.version:
                return
            self._shown_version = self.run.version
            self._handle.update(self.bundle(), raw=True)
