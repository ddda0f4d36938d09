"""RunView: the live widget of a run (header, progress, tabs, task picker, buttons)."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from floto.history import ExecutionState
from floto.notebook import _render

if TYPE_CHECKING:
    from floto.notebook._run import Run

log = logging.getLogger("floto.notebook")

TABS = ("Graph", "Timeline", "Tasks", "Events")
PICTURES = ("Graph", "Timeline")
PICTURE_SHARE = 0.1
"""While a run is open, drawing its graph or timeline may take at most this share of the time:
after a drawing that took t seconds, the next waits t / share - t (a 5,000-task graph is
redrawn every few seconds, a small one 4 times a second). Workers and deciders share the
kernel's GIL with this drawing, so it must stay a small share. The progress bar, the counts and
the tables are not held back, and the last drawing after the run closed always happens."""


def graph_html(state: ExecutionState) -> str:
    """The Graph tab: ``floto.viz.draw(state)`` as inline SVG (coloured, groups collapsed)."""
    import floto.viz

    svg = floto.viz.draw(state).pipe(format="svg").decode("utf-8")
    return _render.scrollable(svg)


def timeline_html(state: ExecutionState) -> str:
    """The Timeline tab: ``floto.viz.timeline(state)`` (no graphviz needed)."""
    import floto.viz

    if not any(task.attempts for task in state.tasks.values()):
        return '<div style="color:#6c757d">no task has been scheduled yet</div>'
    return _render.scrollable(floto.viz.timeline(state).svg)


class Tabs:
    """The four tabs; only the one on show is drawn, the others when they are shown."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.pages = {title: widgets.HTML() for title in TABS}
        self.widget = widgets.Tab(children=list(self.pages.values()), titles=list(TABS))
        self._drawn: dict[str, int] = {}
        self._picture_due = 0.0
        self.widget.observe(self._on_select, names="selected_index")

    @property
    def selected(self) -> str:
        return TABS[self.widget.selected_index or 0]

    @property
    def stale(self) -> bool:
        """Whether the tab on show was held back and still shows an older state."""
        return self._drawn.get(self.selected) != self.run.version

    def refresh(self, state: ExecutionState, *, force: bool = False) -> None:
        title = self.selected
        if title in PICTURES and not force and time.monotonic() < self._picture_due:
            return  # drawn again once due (the watcher asks while the tab is stale)
        began = time.monotonic()
        self._draw(title, state)
        if title in PICTURES:
            cost = time.monotonic() - began
            self._picture_due = time.monotonic() + cost * (1 / PICTURE_SHARE - 1)

    def _on_select(self, change: Any) -> None:
        with self.run._lock:
            self._draw(self.selected, self.run.state)

    def _draw(self, title: str, state: ExecutionState) -> None:
        if self._drawn.get(title) == self.run.version:
            return
        self._drawn[title] = self.run.version
        try:
            value = self._html(title, state)
        except Exception as error:  # one tab's problem (e.g. no `dot`) is shown in the tab
            log.debug("drawing %s failed", title, exc_info=True)
            value = _render.error_html(f"cannot draw the {title.lower()}: {error}")
        self.pages[title].value = value

    def _html(self, title: str, state: ExecutionState) -> str:
        if title == "Graph":
            return graph_html(state)
        if title == "Timeline":
            return timeline_html(state)
        if title == "Tasks":
            return _render.tasks_html(state)
        return _render.events_html(self.run.latest_events(), state.last_event_id)


class RunView(widgets.VBox):
    """The live widget of a :class:`Run`.

    Header (workflow id, run id, status badge, elapsed time); a progress bar (tasks done of
    those known so far) with running and failed counts, green on success and red on failure;
    tabs Graph, Timeline, Tasks and Events; a task picker showing a task's input, result or
    error; buttons Terminate (while open) and Rerun from failure (when failed). Its own
    errors appear in it (``error`` box), never only in a log.

    Attributes:
        header, bar, counts, error, tabs, picker, detail, terminate_button, rerun_button,
            rerun_box: the parts (ipywidgets), e.g. ``view.bar.value`` / ``view.bar.max``.
        reruns: the runs the Rerun button started (the latest shows in ``rerun_box``).
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.header = widgets.HTML()
        self.bar = widgets.IntProgress(min=0, max=1, value=0, bar_style="info")
        self.bar.layout.width = "50%"
        self.counts = widgets.HTML()
        self.error = widgets.HTML()
        self.tabs = Tabs(run)
        self.picker = widgets.Dropdown(description="task", options=[], value=None)
        self.picker.layout.width = "60%"
        self.detail = widgets.HTML(_render.task_detail_html(None))
        self.terminate_button = widgets.Button(description="Terminate", button_style="warning",
                                               icon="stop")  # fmt: skip
        self.rerun_button = widgets.Button(description="Rerun from failure",
                                           button_style="primary", icon="redo")  # fmt: skip
        self.rerun_box = widgets.VBox()  # the rerun's own live widget, once started
        for button in (self.terminate_button, self.rerun_button):
            button.layout.width = "auto"  # the whole label, not "Rerun from fail..."
        self.terminate_button.on_click(self._on_terminate)
        self.rerun_button.on_click(self._on_rerun)
        self.picker.observe(self._on_pick, names="value")
        self.reruns: list[Run] = []  # runs started with the Rerun button
        self._refreshing = threading.Lock()
        self._task_ids: tuple[str, ...] = ()
        super().__init__(
            children=[
                self.header,
                widgets.HBox([self.bar, self.counts]),
                self.error,
                self.tabs.widget,
                widgets.HBox([self.picker, self.terminate_button, self.rerun_button]),
                self.detail,
                self.rerun_box,
            ]
        )
        self.add_class("floto-run")
        self.refresh()

    # -- drawing -------------------------------------------------------------------------------
    @property
    def stale(self) -> bool:
        """Whether a part was held back (see ``PICTURE_SHARE``) and needs drawing again."""
        return self.tabs.stale

    def refresh(self, *, force: bool = False) -> None:
        """Redraw from the run's state (called by the run's watcher thread); ``force`` draws
        the graph or timeline on show even if it was drawn less than its budget ago."""
        with self._refreshing, self.run._lock:
            try:
                self._draw(self.run.state, force=force)
            except Exception as error:  # the widget shows its own errors
                log.debug("redrawing failed", exc_info=True)
                self.error.value = _render.error_html(f"redrawing failed: {error}")

    def refresh_pictures(self) -> None:
        """Draw the tab on show if it was held back (the state has not changed since)."""
        with self._refreshing, self.run._lock:
            self.tabs.refresh(self.run.state)

    def _draw(self, state: ExecutionState, *, force: bool = False) -> None:
        self.header.value = _render.header_html(state, self.run.workflow_id, self.run.run_id)
        figures = _render.progress(state)
        with self.bar.hold_sync():
            self.bar.max = max(1, figures.total)
            self.bar.value = figures.done
            self.bar.bar_style = figures.bar_style
            self.bar.description = f"{figures.done}/{figures.total}"
        self.counts.value = f'<span class="floto-counts">{_render.esc(figures.text)}</span>'
        self.error.value = _render.error_html(self.run.error) if self.run.error else ""
        self.tabs.refresh(state, force=force or state.is_closed)
        self._update_picker(state)
        self._update_buttons()

    def _update_picker(self, state: ExecutionState) -> None:
        task_ids = tuple(state.tasks)
        if task_ids != self._task_ids:
            self._task_ids = task_ids
            current = self.picker.value
            self.picker.options = list(task_ids)
            self.picker.value = current if current in task_ids else None
        self._show_task(self.picker.value)

    def _show_task(self, task_id: str | None) -> None:
        task = self.run.state.tasks.get(task_id) if task_id else None
        self.detail.value = _render.task_detail_html(task)

    def _update_buttons(self) -> None:
        status = self.run.status
        self.terminate_button.layout.display = None if status == "running" else "none"
        failed = status in ("failed", "timed_out", "terminated", "canceled")
        # A run only watched (started elsewhere, maybe on AWS) is read-only here.
        can_rerun = failed and self.run.spec is not None
        self.rerun_button.layout.display = None if can_rerun else "none"

    def sync(self) -> None:
        """Send every part's whole state to the front end again (see ``Run.wait``)."""
        with self._refreshing:
            stack: list[widgets.Widget] = [self]
            while stack:
                widget = stack.pop()
                widget.send_state()
                stack.extend(getattr(widget, "children", ()))
                parts = (getattr(widget, "layout", None), getattr(widget, "style", None))
                stack.extend(part for part in parts if isinstance(part, widgets.Widget))

    # -- events from the page --------------------------------------------------------------------
    def _on_pick(self, change: Any) -> None:
        with self.run._lock:
            self._show_task(change["new"])

    def _on_terminate(self, button: Any) -> None:
        try:
            self.run.terminate()
        except Exception as error:
            self.error.value = _render.error_html(f"terminate failed: {error}")

    def _on_rerun(self, button: Any) -> None:
        """Start the rerun and show its live widget below this one (``run.reruns``)."""
        try:
            new_run = self.run.rerun()
        except Exception as error:
            self.error.value = _render.error_html(f"rerun failed: {error}")
            return
        self.reruns.append(new_run)
        self.rerun_box.children = [new_run.widget]
