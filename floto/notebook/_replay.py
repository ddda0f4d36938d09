"""Replay: a slider over a run's events; the run as it was after the first k events."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import ipywidgets as widgets

from floto.history import ExecutionState, fold_events, state_from_events
from floto.notebook import _render
from floto.notebook._view import graph_html

if TYPE_CHECKING:
    from floto.notebook._run import Run

log = logging.getLogger("floto.notebook")


class Replay(widgets.VBox):
    """The run as it was at any event: a slider over event ids drives the graph, the progress
    bar and the task table, each from the state after folding the first k events of the
    same history (forward moves fold only the events in between).

    Attributes:
        slider: the event slider (``slider.value`` = k).
        events: the run's history, oldest first, as read when the replay was made.
        state: the state after the first ``slider.value`` events.
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.events = run.handle.history()
        last = len(self.events)
        self.slider = widgets.IntSlider(
            value=last, min=1 if last else 0, max=last, description="event",
            continuous_update=False,
        )  # fmt: skip
        self.slider.layout.width = "70%"
        self.caption = widgets.HTML()
        self.bar = widgets.IntProgress(min=0, max=1, value=0)
        self.counts = widgets.HTML()
        self.graph = widgets.HTML()
        self.tasks = widgets.HTML()
        self.state: ExecutionState = self._empty()
        self._position = 0
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        super().__init__(
            children=[
                widgets.HBox([self.slider, self.caption]),
                widgets.HBox([self.bar, self.counts]),
                widgets.Tab(children=[self.graph, self.tasks], titles=["Graph", "Tasks"]),
            ]
        )
        self.show(last)

    def _empty(self) -> ExecutionState:
        run = self.run
        tasks = getattr(run.spec, "activity_tasks", None)
        return state_from_events([], tasks, domain=run.domain, workflow_id=run.workflow_id,
                                 run_id=run.run_id, resolver=run.swf.resolve_payload)  # fmt: skip

    def state_at(self, count: int) -> ExecutionState:
        """The state after the first ``count`` events (folding forward when it can)."""
        count = max(0, min(count, len(self.events)))
        if count < self._position:
            self.state, self._position = self._empty(), 0
        fold_events(self.state, self.events[self._position : count])
        self._position = count
        return self.state

    def show(self, count: int) -> None:
        """Draw the run as it was after ``count`` events."""
        try:
            state = self.state_at(count)
            event = self.events[count - 1] if count else {}
            self.caption.value = (
                f"event {event.get('eventId', 0)} of {len(self.events)}: "
                f"<b>{_render.esc(event.get('eventType', 'nothing yet'))}</b> "
                f"{_render.badge(_render.run_status(state))}"
            )
            figures = _render.progress(state)
            with self.bar.hold_sync():
                self.bar.max, self.bar.value = max(1, figures.total), figures.done
                self.bar.bar_style = figures.bar_style
            self.counts.value = _render.esc(figures.text)
            self.tasks.value = _render.tasks_html(state)
            self.graph.value = graph_html(state)
        except Exception as error:  # shown in the widget
            log.debug("replay failed", exc_info=True)
            self.caption.value = _render.error_html(f"replay failed: {error}")
