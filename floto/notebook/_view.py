"""RunView: the live widget of a run (header, progress, tabs, task picker, buttons)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from floto.history import ExecutionState
from floto.ids import task_name
from floto.notebook import _render
from floto.notebook._pick import VIEW_CLASS, Picker, clickable
from floto.notebook._task import TaskView, detail_html, find_task
from floto.notebook._tasks_view import FAILURES, TasksPanel, ordered

if TYPE_CHECKING:
    from floto.notebook._run import Run

log = logging.getLogger("floto.notebook")

TABS = ("Graph", "Timeline", "Tasks", "Events")
PICTURE_HEIGHT = 400
"""Pixels the graph and the timeline scroll within."""
DETAIL_HEIGHT = "260px"
"""The picked task's box scrolls within this height."""
PICTURES = ("Graph", "Timeline")
PICTURE_SHARE = 0.1
"""While a run is open, drawing its graph or timeline may take at most this share of the time:
after a drawing that took t seconds, the next waits t / share - t (a 5,000-task graph is
redrawn every few seconds, a small one 4 times a second). Workers and deciders share the
kernel's GIL with this drawing, so it must stay a small share. The progress bar, the counts and
the tables are not held back, and the last drawing after the run closed always happens."""


def graph_html(state: ExecutionState, nodes: list[Any] | None = None) -> str:
    """The Graph tab: ``floto.viz.draw(state)`` as inline SVG (coloured, groups collapsed).
    Each node gets the id ``floto_node_N``; ``nodes`` (if given) receives the drawn
    ``floto.viz.Node`` objects in that order, so a click on node N finds its tasks."""
    import floto.viz

    drawn: list[Any] = [] if nodes is None else nodes

    def node_id(node: Any) -> dict[str, str]:
        drawn.append(node)
        return {"id": f"floto_node_{len(drawn) - 1}"}

    # No caption (the header says which run, its status and why it failed) and no legend box
    # (as tall as a small graph): one line of status swatches instead, a click filters.
    drawing = floto.viz.draw(state, style=node_id, title="", legend=False)
    svg = drawing.pipe(format="svg").decode("utf-8")
    return clickable(legend_html(state) + _render.scrollable(svg, PICTURE_HEIGHT))


def legend_html(state: ExecutionState) -> str:
    """One line: a swatch per status drawn (fill and pen of ``floto.viz.STATUS_STYLES``) with
    its count; each picks ``status:<name>`` (the Tasks tab, filtered)."""
    import floto.viz

    counts = state.counts()
    items = []
    for status in floto.viz.SEVERITY:
        if not counts.get(status):
            continue
        style = floto.viz.STATUS_STYLES.get(status, {})
        fill, pen = style.get("fillcolor", "#ffffff"), style.get("color", "#495057")
        items.append(
            f'<span class="floto-legend-item" data-pick="status:{status.value}" '
            f'style="margin-right:12px;white-space:nowrap"><span style="display:inline-block;'
            f'width:10px;height:10px;background:{fill};border:1px solid {pen};'
            f'vertical-align:middle"></span> {status.value.replace("_", " ")} '
            f"{counts[status]:,}</span>"
        )
    line = "font-size:12px;margin:2px 0 4px"
    return f'<div class="floto-legend" style="{line}">{"".join(items)}</div>'



def timeline_html(state: ExecutionState) -> str:
    """The Timeline tab: ``floto.viz.timeline(state)`` (no graphviz needed)."""
    import floto.viz

    if not any(task.attempts for task in state.tasks.values()):
        return '<div style="color:#6c757d">no task has been scheduled yet</div>'
    return clickable(_render.scrollable(floto.viz.timeline(state).svg, PICTURE_HEIGHT))


class Tabs:
    """The four tabs; only the one on show is drawn, the others when they are shown."""

    def __init__(self, run: Run, panel: TasksPanel, picked: Callable[[], str | None]) -> None:
        self.run, self.panel, self._picked = run, panel, picked
        self.pages = {title: widgets.HTML() for title in TABS}
        self.pages["Tasks"] = panel.table
        self.nodes: list[Any] = []  # the graph's nodes as last drawn (node N: nodes[N])
        children = [panel.widget if title == "Tasks" else self.pages[title] for title in TABS]
        self.widget = widgets.Tab(children=children, titles=list(TABS))
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

    def show(self, title: str) -> None:
        """Put ``title`` on show (drawn now if it changed)."""
        self.widget.selected_index = TABS.index(title)

    def redraw_tasks(self) -> None:
        """Draw the Tasks tab again now (its filter or the picked task changed)."""
        self._drawn.pop("Tasks", None)
        if self.selected == "Tasks":
            self._draw("Tasks", self.run.state)

    def _draw(self, title: str, state: ExecutionState) -> None:
        if self._drawn.get(title) == self.run.version:
            return
        self._drawn[title] = self.run.version
        try:
            if title == "Tasks":
                self.panel.draw(state, self._picked())
                return
            value = self._html(title, state)
        except Exception as error:  # one tab's problem (e.g. no `dot`) is shown in the tab
            log.debug("drawing %s failed", title, exc_info=True)
            value = _render.error_html(f"cannot draw the {title.lower()}: {error}")
        self.pages[title].value = value

    def _html(self, title: str, state: ExecutionState) -> str:
        if title == "Graph":
            nodes: list[Any] = []
            value = graph_html(state, nodes)
            self.nodes = nodes
            return value
        if title == "Timeline":
            return timeline_html(state)
        return clickable(_render.events_html(self.run.latest_events(), state.last_event_id,
                                             state))  # fmt: skip


class RunView(widgets.VBox):
    """The live widget of a :class:`Run`.

    Header (workflow id, run id, status badge, elapsed time, the run a rerun came from); a
    progress bar with counts; tabs Graph, Timeline, Tasks (status filter with counts, search
    by name or input, paged table) and Events; the picked task (label and id, input, result
    or error with the user's traceback, its output); buttons Terminate (while open) and Rerun
    from failure (when failed, until rerun). A click on a row, a graph node or a timeline bar
    picks its task; a click on a group node shows its members. After a failure the widget
    opens on the failures, the first one picked. Everything scrolls inside a fixed height.

    Attributes:
        header, bar, counts, error, tabs, tasks (the Tasks tab's panel), picker (the hidden
            text a click writes into: ``picker.value = task_id`` picks), detail,
            terminate_button, rerun_button, rerun_box: the parts (ipywidgets).
        picked: the id of the task shown (None: none).
        reruns: the runs the Rerun button started (the latest shows in ``rerun_box``).
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.picked: str | None = None
        self.header = widgets.HTML()
        self.bar = widgets.IntProgress(min=0, max=1, value=0, bar_style="info")
        self.bar.layout.width = "50%"
        self.counts = widgets.HTML()
        self.error = widgets.HTML()
        self.tasks = TasksPanel(self._filter_changed)
        self.tabs = Tabs(run, self.tasks, lambda: self.picked)
        self._picker = Picker(self._on_pick)
        self.picker = self._picker.widget
        self.detail = widgets.HTML(_NOTHING_PICKED)
        self.detail.layout.max_height = DETAIL_HEIGHT
        self.detail.layout.overflow = "auto"
        self.terminate_button = widgets.Button(description="Terminate", button_style="warning",
                                               icon="stop")  # fmt: skip
        self.rerun_button = widgets.Button(description="Rerun from failure",
                                           button_style="primary", icon="redo")  # fmt: skip
        self.rerun_box = widgets.VBox()  # the rerun's own live widget, once started
        for button in (self.terminate_button, self.rerun_button):
            button.layout.width = "auto"  # the whole label, not "Rerun from fail..."
        self.terminate_button.on_click(self._on_terminate)
        self.rerun_button.on_click(self._on_rerun)
        self.reruns: list[Run] = []  # runs started with the Rerun button
        self._refreshing = threading.Lock()
        self._failures_opened = False
        self._logs: dict[tuple[str, int], str | None] = {}
        super().__init__(
            children=[
                self.header,
                widgets.HBox([self.bar, self.counts]),
                self.error,
                self.tabs.widget,
                widgets.HBox([self.terminate_button, self.rerun_button, self.picker]),
                self.detail,
                self.rerun_box,
            ]
        )
        self.add_class("floto-run")
        self.add_class(VIEW_CLASS)
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
        self._open_failures(state)
        self.tabs.refresh(state, force=force or state.is_closed)
        self._show_task()
        self._update_buttons()

    def _open_failures(self, state: ExecutionState) -> None:
        """Once, when tasks have failed: the Tasks tab filtered to the failures, the first
        one picked (unless a task was picked already)."""
        if self._failures_opened:
            return
        failed = [t for t in ordered(state) if t.status in FAILURES]
        if not failed:
            return
        self._failures_opened = True
        self.tasks.filter.status = failed[0].status.value
        if self.picked is None:
            self.picked = failed[0].task_id
        self.tabs.show("Tasks")

    def _show_task(self) -> None:
        task_id = self.picked
        if task_id is None or task_id not in self.run.state.tasks:
            self.detail.value = _NOTHING_PICKED
            return
        view = TaskView(self.run, task_id)
        self.detail.value = detail_html(view, self._logs_of(view))

    def _logs_of(self, view: TaskView) -> str | None:
        """The picked task's last attempt's log (read once per attempt, once it closed)."""
        attempt = view.state.last_attempt
        if attempt is None or attempt.started_event_id is None:
            return None
        key = (view.task_id, attempt.started_event_id)
        if key not in self._logs:
            try:
                text = view.logs_of(attempt)
            except Exception as error:  # shown in place of the log
                text = f"(the log cannot be read: {error})"
            if attempt.closed_at is None:
                return text
            self._logs[key] = text
        return self._logs[key]

    def _update_buttons(self) -> None:
        status = self.run.status
        self.terminate_button.layout.display = None if status == "running" else "none"
        failed = status in ("failed", "timed_out", "terminated", "canceled")
        # A run only watched (started elsewhere, maybe on AWS) is read-only here; a run
        # already rerun from this widget shows its rerun below instead.
        can_rerun = failed and self.run.spec is not None and not self.run.reruns
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

    # -- picking ---------------------------------------------------------------------------------
    def pick(self, task: Any) -> None:
        """Show a task (its id, label or unique name; see ``Run.task``)."""
        with self.run._lock:
            self.picked = find_task(self.run.state, task)
            self._show_task()
            self.tabs.redraw_tasks()

    def _on_pick(self, value: str) -> None:
        """A click (or ``picker.value = ...``): a task, a graph node, a chip or the pager."""
        with self.run._lock:
            try:
                self._pick_value(value)
            except Exception as error:  # shown in the widget
                log.debug("picking %r failed", value, exc_info=True)
                self.error.value = _render.error_html(f"picking {value!r} failed: {error}")

    def _pick_value(self, value: str) -> None:
        if self.tasks.act(value):
            if value.startswith("status:") and self.tabs.selected != "Tasks":
                self.tabs.show("Tasks")  # a legend swatch: its tasks
            return
        if value.startswith("node:") and value[5:].isdigit():
            node = self.tabs.nodes[int(value[5:])]
            if len(node.task_ids) > 1:
                name = task_name(node.task_ids[0])
                self.tasks.open_group(f"{name} \u00d7{len(node.task_ids):,}", node.task_ids)
                self.tabs.show("Tasks")
                self.tabs.redraw_tasks()
                return
            value = node.task_ids[0]
        if value in self.run.state.tasks:
            self.picked = value
            self._show_task()
            self.tabs.redraw_tasks()

    def _filter_changed(self) -> None:
        with self.run._lock:
            self.tabs.redraw_tasks()

    # -- buttons ---------------------------------------------------------------------------------
    def _on_terminate(self, button: Any) -> None:
        try:
            self.run.terminate()
        except Exception as error:
            self.error.value = _render.error_html(f"terminate failed: {error}")

    def _on_rerun(self, button: Any) -> None:
        """Start the rerun and show its live widget below this one (``run.reruns``)."""
        try:
            new_run = self.run.rerun()  # the button goes (run.reruns)
        except Exception as error:
            self.error.value = _render.error_html(f"rerun failed: {error}")
            return
        self.reruns.append(new_run)
        self.rerun_box.children = [new_run.widget]


_NOTHING_PICKED = (
    '<div style="color:#6c757d">click a task (a row, a graph node, a timeline bar) to see its '
    "input, result or error, and its output</div>"
)
