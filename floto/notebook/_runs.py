"""RunsTable: the recent runs of a domain, open and closed, with lineage, counts and the first
failure; refreshed while runs are open; a click on a row opens that run."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

import ipywidgets as widgets

from floto.api import Swf
from floto.history import ExecutionState, TaskStatus, state_labels
from floto.launch import RunHandle
from floto.notebook import _render
from floto.notebook._pick import VIEW_CLASS, Picker, clickable

log = logging.getLogger("floto.notebook")

REFRESH_SECONDS = 2.0
"""While a run of the table is open, the table is read again this often."""
_CLOSE_STATUS = {
    "COMPLETED": "completed",
    "FAILED": "failed",
    "TIMED_OUT": "timed_out",
    "TERMINATED": "terminated",
    "CANCELED": "canceled",
    "CONTINUED_AS_NEW": "continued_as_new",
}
_CELL = "padding:2px 8px;border-bottom:1px solid #dee2e6;text-align:left;vertical-align:top"


def recent_runs(swf: Swf, domain: str, limit: int = 20) -> list[dict[str, Any]]:
    """The ``limit`` most recently started runs of ``domain``: workflow id, run id, type,
    status, start and close times, duration (seconds)."""
    infos = swf.list_workflow_executions(domain, status="open")
    infos += swf.list_workflow_executions(domain, status="closed")
    infos.sort(key=lambda info: info["startTimestamp"], reverse=True)
    rows = []
    for info in infos[:limit]:
        started, closed = info.get("startTimestamp"), info.get("closeTimestamp")
        kind = info.get("workflowType") or {}
        rows.append(
            {
                "workflow_id": info["execution"]["workflowId"],
                "run_id": info["execution"]["runId"],
                "workflow_type": f"{kind.get('name')} {kind.get('version')}",
                "status": _CLOSE_STATUS.get(info.get("closeStatus", ""), "running"),
                "started": started,
                "closed": closed,
                "duration": (closed - started).total_seconds() if started and closed else None,
            }
        )
    return rows


def describe(row: dict[str, Any], state: ExecutionState) -> dict[str, Any]:
    """``row`` with what the run's state says: its parent run (a rerun's), counts, and its
    first failure (label: first line of the error)."""
    figures = _render.progress(state)
    labels = state_labels(state)
    failed = [t for t in state.tasks.values() if t.status in (TaskStatus.FAILED,
                                                             TaskStatus.TIMED_OUT)]  # fmt: skip
    first = ""
    if failed:
        task = failed[0]
        first = f"{labels.get(task.task_id, task.task_id)}: {_render.first_line(task.error, 80)}"
    parent = (state.rerun_of or {}).get("runId")
    return {**row, "parent": parent, "counts": figures.text, "failed": len(failed),
            "first_failure": first}  # fmt: skip


def _time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return ""


def runs_html(rows: list[dict[str, Any]]) -> str:
    """The table of :func:`recent_runs` rows (with :func:`describe`'s columns when there)."""
    names = ("workflow id", "run id", "rerun of", "status", "tasks", "first failure",
             "started", "duration")  # fmt: skip
    head = "".join(f'<th style="{_CELL}">{name}</th>' for name in names)
    ids = {row["run_id"] for row in rows}
    body = []
    for row in rows:
        parent = row.get("parent") or ""
        shown = f"{parent[:12]}…" if parent else ""
        mark = ' style="font-weight:600"' if parent in ids else ""
        body.append(
            f'<tr data-pick="run:{_render.esc(row["run_id"])}" '
            f'data-run-id="{_render.esc(row["run_id"])}" style="cursor:pointer">'
            f'<td style="{_CELL}">{_render.esc(row["workflow_id"])}</td>'
            f'<td style="{_CELL};color:#6c757d">{_render.esc(row["run_id"][:12])}…</td>'
            f'<td style="{_CELL};color:#6c757d"{mark}>{_render.esc(shown)}</td>'
            f'<td style="{_CELL}">{_render.badge(row["status"])}</td>'
            f'<td style="{_CELL}">{_render.esc(row.get("counts", ""))}</td>'
            f'<td style="{_CELL};color:#b02a37">{_render.esc(row.get("first_failure", ""))}</td>'
            f'<td style="{_CELL}">{_time(row["started"])}</td>'
            f'<td style="{_CELL}">{_render.seconds(row["duration"])}</td></tr>'
        )
    empty = '<div style="color:#6c757d">no runs yet</div>' if not rows else ""
    table = (
        '<div style="max-height:360px;overflow:auto"><table class="floto-runs" '
        f'style="font-size:12px;border-collapse:collapse"><tr>{head}</tr>{"".join(body)}'
        f"</table></div>{empty}"
    )
    return clickable(table)


class RunsTable(widgets.VBox):
    """Recent runs of a domain (``Lab.runs()``): workflow id, run id, the run a rerun came
    from, status, counts, first failure, start and duration. Read again every 2 s while a
    run it lists is open; a click on a row opens that run's widget below the table.

    Attributes:
        rows: the runs shown, newest first (dicts: workflow_id, run_id, workflow_type, status,
            started, closed, duration, parent, counts, failed, first_failure).
        opened: the box where a clicked run's widget shows.
    """

    def __init__(self, swf: Swf, domain: str, *, limit: int = 20, lab: Any = None) -> None:
        self.swf, self.domain, self.limit, self.lab = swf, domain, limit, lab
        self.table = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.opened = widgets.VBox()
        self._picker = Picker(self.open_run)
        self.rows: list[dict[str, Any]] = []
        self._handles: dict[str, RunHandle] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        super().__init__(children=[self.refresh_button, self.table, self._picker.widget,
                                   self.opened])  # fmt: skip
        self.add_class(VIEW_CLASS)
        self.refresh()

    def refresh(self) -> None:
        """Read the runs again (each listed run's state: only its new history pages)."""
        with self._lock:
            try:
                rows = recent_runs(self.swf, self.domain, self.limit)
                self.rows = [self._describe(row) for row in rows]
                self.table.value = runs_html(self.rows)
            except Exception as error:  # shown in the widget
                self.table.value = _render.error_html(f"listing runs failed: {error}")
        if any(row["status"] == "running" for row in self.rows):
            self._keep_refreshing()

    def _describe(self, row: dict[str, Any]) -> dict[str, Any]:
        handle = self._handles.get(row["run_id"])
        if handle is None:
            handle = RunHandle(self.swf, self.domain, row["workflow_id"], row["run_id"])
            self._handles[row["run_id"]] = handle
        try:
            return describe(row, handle.state())
        except Exception as error:  # one run's history: its row says so
            return {**row, "counts": f"? ({_render.first_line(error, 60)})"}

    def _keep_refreshing(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._refresh_loop, daemon=True,
                                        name=f"floto runs {self.domain}")  # fmt: skip
        self._thread.start()

    def _refresh_loop(self) -> None:
        while not self._stop.wait(REFRESH_SECONDS):
            if self.lab is not None and getattr(self.lab, "_closed", False):
                return
            self.refresh_rows()
            if not any(row["status"] == "running" for row in self.rows):
                return

    def refresh_rows(self) -> None:
        """One refresh, for the background thread (its errors are shown, never raised)."""
        try:
            with self._lock:
                rows = recent_runs(self.swf, self.domain, self.limit)
                self.rows = [self._describe(row) for row in rows]
                self.table.value = runs_html(self.rows)
        except Exception as error:
            log.debug("refreshing the runs of %s failed", self.domain, exc_info=True)
            self.table.value = _render.error_html(f"listing runs failed: {error}")

    def stop(self) -> None:
        """Stop refreshing."""
        self._stop.set()

    def open_run(self, value: str) -> None:
        """Open a listed run (``run:<run id>``, as a click on its row sends) below the table."""
        run_id = value.removeprefix("run:")
        row = next((row for row in self.rows if row["run_id"] == run_id), None)
        if row is None or self.lab is None:
            return
        try:
            run = self.lab.watch(row["workflow_id"], run_id)
            self.opened.children = [run.widget]
        except Exception as error:
            self.opened.children = [widgets.HTML(_render.error_html(f"opening failed: {error}"))]
