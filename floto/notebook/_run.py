"""Run: one workflow execution followed live from its history, with its widget."""

from __future__ import annotations

import collections
import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from floto.api import Swf
from floto.backoff import Backoff
from floto.history import ExecutionFollower, ExecutionState, WorkflowStatus
from floto.launch import RunHandle, WaitTimeoutError, result_of
from floto.notebook import _render
from floto.notebook._snapshot import Snapshot

if TYPE_CHECKING:
    from floto.notebook._task import TaskView
    from floto.notebook._view import RunView

log = logging.getLogger("floto.notebook")

POLL_SECONDS = 0.25
"""How often a run's history is checked for new events while it is open."""
BUSY_POLL_SECONDS = 0.5
"""...and while it is busy (the last check found more than a page of new events): each check
reads at least one page, so fewer checks parse fewer events (workers and deciders share the
kernel's GIL with the watcher)."""
BUSY_EVENTS = 100
REDRAW_SECONDS = 0.25
"""The widget redraws at most once per this many seconds (4 times a second)."""
LATEST_EVENTS = 50
"""Events kept for the Events tab."""


class Run:
    """A workflow execution, followed live: its state, its result, and its widget.

    A background thread reads only the run's new history pages (newest first) and folds only
    the new events into the run's ExecutionState (``floto.history.ExecutionFollower``); the
    widget redraws from that thread, at most 4 times a second and only when the state
    changed. The thread stops once the run has closed. Nothing here blocks the kernel except
    :meth:`wait`.

    Made by ``Lab.run`` and ``Lab.watch``; a ``Run`` that is the last expression of a cell
    shows its live widget.

    Attributes:
        workflow_id, run_id: which run.
        domain: its domain.
        spec: the DeciderSpec it was started with (None for a run watched only).
        reruns: the runs :meth:`rerun` started from this one.
    """

    def __init__(
        self,
        swf: Swf,
        domain: str,
        workflow_id: str,
        run_id: str | None = None,
        *,
        spec: Any = None,
        lab: Any = None,
        handle: RunHandle | None = None,
    ) -> None:
        # One handle: the run id resolved once, one follower, the payload resolver.
        self.handle = handle or RunHandle(swf, domain, workflow_id, run_id, spec=spec)
        self.swf, self.domain, self.workflow_id, self.spec = swf, domain, workflow_id, spec
        self.run_id = self.handle.run_id
        self.lab = lab  # the Lab that made this run (it serves reruns and tracks them)
        self.reruns: list[Run] = []  # the runs rerun() started from this one
        self._lock = threading.RLock()  # folding and drawing never overlap
        self._events: collections.deque[dict[str, Any]] = collections.deque(maxlen=LATEST_EVENTS)
        self.event_count = 0
        self.version = 0  # bumped whenever new events were folded in
        self.error: str | None = None  # the watcher's last error, shown in the widget
        self._last_new = 0  # events the last poll brought
        self._view: RunView | None = None
        self._snapshot = Snapshot(self)
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, name=f"floto watch {workflow_id}", daemon=True
        )
        self._thread.start()

    # -- what the run is ---------------------------------------------------------------------
    @property
    def state(self) -> ExecutionState:
        """The run's ExecutionState so far (updated in place by the watcher thread)."""
        return self.handle.known

    @property
    def follower(self) -> ExecutionFollower:
        """The ``floto.history.ExecutionFollower`` reading the run's new history pages."""
        return self.handle.follower

    @property
    def status(self) -> str:
        """``"running"``, ``"completed"``, ``"failed"``, ``"timed_out"``, ``"terminated"``,
        ``"canceled"`` or ``"continued_as_new"``."""
        return _render.run_status(self.state)

    @property
    def result(self) -> Any:
        """The run's result once completed (``{task id: result}`` of its last tasks), else None."""
        state = self.state
        return state.result if state.status is WorkflowStatus.COMPLETED else None

    @property
    def failures(self) -> dict[str, str]:
        """``{task id: error}`` of the tasks that failed, timed out or were canceled (and of a
        generator whose output was refused)."""
        with self._lock:
            return {task_id: error for task_id, error in self.state.failures().items() if task_id}

    @property
    def reason(self) -> str | None:
        """Why the run failed or was terminated, as SWF recorded it."""
        return self.state.failure_reason

    @property
    def closed(self) -> bool:
        """Whether the run has closed."""
        return self.state.is_closed

    @property
    def watching(self) -> bool:
        """Whether the background thread still follows the run."""
        return not self._done.is_set()

    # -- acting ------------------------------------------------------------------------------
    def wait(self, timeout: float | None = None) -> Any:
        """Wait until the run closes (and its widget shows it); returns the result.

        Raises:
            RunFailed: the run closed without completing (carries ``failures``).
            WaitTimeoutError: still open after ``timeout`` seconds (a TimeoutError).
        """
        if not self._done.wait(timeout):
            raise WaitTimeoutError(
                f"{self.workflow_id} (run {self.run_id}) still {self.status} after {timeout} s"
            )
        if not self.closed:
            raise WaitTimeoutError(
                f"stopped watching {self.workflow_id} before it closed (the lab was closed)"
            )
        if self._view is not None:
            # Sent again from the waiting cell: a front end that only records the messages of
            # the cell it runs (nbclient) may have missed the thread's last redraw.
            self._view.sync()
        self._snapshot.update()  # the saved output's final state, from this cell too
        with self._lock:
            return result_of(self.state)  # floto.launch's RunFailed unless it completed

    def terminate(self, reason: str | None = None) -> None:
        """Terminate the run (no effect once it has closed)."""
        self.handle.terminate(reason or "terminated from a notebook")

    def rerun(self, input: Any = None) -> Run:
        """Rerun from the failure: a new run of the same workflow in which every task this
        run completed is reused, not executed again (its recorded result feeds its
        dependents); only the failed tasks and what depends on them run.

        Typical use: a task failed, the activity function was fixed in a cell, rerun. Uses
        ``floto.api.Swf.rerun_workflow_execution`` (the same workflow id; the new run's input
        names this run, nothing else is stored). A lab makes sure its decider serves the new
        run; a run watched from elsewhere needs a decider on its task list.

        Args:
            input: a new workflow input (default: this run's); tasks that saw the input run
                again.

        Raises:
            ValidationError: the run is still open (terminate it first).
        """
        if self.lab is not None:
            new_run = self.lab._rerun(self, input)
        else:
            again = self.handle.rerun(input)
            new_run = Run(self.swf, self.domain, again.workflow_id, again.run_id,
                          spec=self.spec, handle=again)  # fmt: skip
        self.reruns.append(new_run)
        if self._view is not None:
            self._view.refresh()  # the Rerun button goes
        return new_run

    def task(self, name_or_id: Any) -> TaskView:
        """One task of the run, to debug in the kernel: ``.context`` (the dict its function
        receives, payloads read), ``.attempts``, ``.result``, ``.error``, ``.traceback``,
        ``.logs`` (what it printed and logged) and ``.call()`` (its registered function, run
        now with that context; ``call(debug=True)`` under pdb).

        Args:
            name_or_id: the task's id, its label (``ingest_file[file=13]``, as the widget
                shows it), a name only one task has, or the task itself.

        Raises:
            KeyError: no such task, or a name several tasks share (the message lists them).
        """
        from floto.notebook._task import TaskView, find_task

        with self._lock:
            return TaskView(self, find_task(self.state, name_or_id))

    def to_html(self, path: Any = None) -> str:
        """The run's report as one self-contained HTML page (graph, timeline, tasks,
        failures; nothing loaded from the network), written to ``path`` if given."""
        import floto.viz

        with self._lock:
            text = floto.viz.report(self.state)
        if path is not None:
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
        return text

    def replay(self) -> Any:
        """A widget with a slider over the run's events: the graph, progress and task table
        as they were at each event (the first k events folded)."""
        from floto.notebook._replay import Replay

        return Replay(self)

    def stop_watching(self) -> None:
        """Stop the background thread (the lab does this when it closes)."""
        self._stop.set()

    # -- the widget ----------------------------------------------------------------------------
    @property
    def widget(self) -> RunView:
        """The live ipywidgets widget of this run (made on first use)."""
        with self._lock:
            if self._view is None:
                from floto.notebook._view import RunView

                self._view = RunView(self)
            return self._view

    def latest_events(self) -> list[dict[str, Any]]:
        """The newest events read (at most 50), oldest first."""
        with self._lock:
            return list(self._events)

    def _ipython_display_(self) -> None:
        """In IPython: the live widget, then its static snapshot (see ``_snapshot``)."""
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        self._snapshot.display()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        if isinstance(bundle, dict):
            bundle.setdefault("text/plain", repr(self))
        return bundle

    def __repr__(self) -> str:
        counts = _render.progress(self.state)
        failed = ", ".join(self._failed_labels(3))
        return (
            f"<Run {self.workflow_id} ({self.run_id}) {self.status}: "
            f"{counts.done}/{counts.total} tasks done{f'; failed: {failed}' if failed else ''}>"
        )

    def _failed_labels(self, limit: int) -> list[str]:
        from floto.history import state_labels

        labels = state_labels(self.state)
        failed = [labels.get(task_id, task_id) for task_id in self.failures]
        return failed[:limit] + ([f"{len(failed) - limit:,} more"] if len(failed) > limit else [])

    # -- the watcher thread ---------------------------------------------------------------------
    def _watch(self) -> None:
        backoff = Backoff(0.5, 10.0)
        drawn_version, drawn_at = -1, 0.0
        try:
            while not self._stop.is_set():
                if not self._poll_once(backoff):
                    continue
                view = self._view
                due = time.monotonic() - drawn_at >= REDRAW_SECONDS or self.closed
                if view is not None and due and self.version != drawn_version:
                    drawn_version, drawn_at = self.version, time.monotonic()
                    view.refresh()
                elif view is not None and due and view.stale:
                    drawn_at = time.monotonic()
                    view.refresh_pictures()  # a graph held back for its cost, now due
                if self.closed:
                    break
                busy = self._last_new >= BUSY_EVENTS
                self._stop.wait(BUSY_POLL_SECONDS if busy else POLL_SECONDS)
        finally:
            view = self._view
            if view is not None and drawn_version != self.version:
                view.refresh()
            if self.closed:
                self._update_snapshot()
            self._done.set()  # after the last redraw: wait() returns once the widget shows it

    def _update_snapshot(self) -> None:
        try:
            self._snapshot.update()
        except Exception:  # the live widget is what matters; the copy is a courtesy
            log.debug("updating the snapshot of %s failed", self.workflow_id, exc_info=True)

    def _poll_once(self, backoff: Backoff) -> bool:
        """Fold what is new; False (after a back-off wait) if reading failed."""
        try:
            with self._lock:
                new = self.handle.poll()
                self._last_new = len(new)
                if new:
                    self._events.extend(new)
                    self.event_count = self.state.last_event_id
                    self.version += 1
                if self.error is not None:
                    self.error, self.version = None, self.version + 1
        except Exception as error:  # shown in the widget; the watcher goes on
            log.debug("watching %s: %s", self.workflow_id, error, exc_info=True)
            with self._lock:
                self.error = f"reading the history failed: {error}"
                self.version += 1
            if self._view is not None:
                self._view.refresh()
            self._stop.wait(backoff.next_delay())
            return False
        backoff.reset()
        return True
