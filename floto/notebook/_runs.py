"""RunsTable: the recent runs of a domain, open and closed, as a table widget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets

from floto.api import Swf
from floto.notebook import _render

_CLOSE_STATUS = {
    "COMPLETED": "completed",
    "FAILED": "failed",
    "TIMED_OUT": "timed_out",
    "TERMINATED": "terminated",
    "CANCELED": "canceled",
    "CONTINUED_AS_NEW": "continued_as_new",
}


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


def _time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return ""


def runs_html(rows: list[dict[str, Any]]) -> str:
    """The table of :func:`recent_runs` rows."""
    cell = "padding:2px 8px;border-bottom:1px solid #dee2e6;text-align:left"
    names = ("workflow id", "run id", "type", "status", "started", "closed", "duration")
    head = "".join(f'<th style="{cell}">{name}</th>' for name in names)
    body = "".join(
        f'<tr data-run-id="{_render.esc(row["run_id"])}">'
        f'<td style="{cell}">{_render.esc(row["workflow_id"])}</td>'
        f'<td style="{cell};color:#6c757d">{_render.esc(row["run_id"][:12])}…</td>'
        f'<td style="{cell}">{_render.esc(row["workflow_type"])}</td>'
        f'<td style="{cell}">{_render.badge(row["status"])}</td>'
        f'<td style="{cell}">{_time(row["started"])}</td>'
        f'<td style="{cell}">{_time(row["closed"])}</td>'
        f'<td style="{cell}">{_render.seconds(row["duration"])}</td></tr>'
        for row in rows
    )
    empty = '<div style="color:#6c757d">no runs yet</div>' if not rows else ""
    return f'<table class="floto-runs" style="font-size:12px">{head}{body}</table>{empty}'


class RunsTable(widgets.VBox):
    """Recent runs of a domain (``Lab.runs()``), with a Refresh button.

    Attributes:
        rows: the runs shown, newest first (dicts: workflow_id, run_id, workflow_type,
            status, started, closed, duration).
    """

    def __init__(self, swf: Swf, domain: str, *, limit: int = 20) -> None:
        self.swf, self.domain, self.limit = swf, domain, limit
        self.table = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.rows: list[dict[str, Any]] = []
        super().__init__(children=[self.refresh_button, self.table])
        self.refresh()

    def refresh(self) -> None:
        """Read the runs again."""
        try:
            self.rows = recent_runs(self.swf, self.domain, self.limit)
            self.table.value = runs_html(self.rows)
        except Exception as error:  # shown in the widget
            self.table.value = _render.error_html(f"listing runs failed: {error}")
