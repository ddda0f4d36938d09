"""What the widgets show, as plain data and HTML text, from an ExecutionState (pure, no widgets).

Everything here reads floto.history's ExecutionState; nothing parses history events (the
Events tab shows each event's id, time and type as SWF gave them).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from floto import presentation
from floto.history import (
    ExecutionState,
    TaskState,
    TaskStatus,
    WorkflowStatus,
    event_task,
    state_labels,
)
from floto.presentation import RUN_STATUSES, STATUS_ORDER, format_duration, look

RUN_STATUS = {
    WorkflowStatus.OPEN: "running",
    WorkflowStatus.COMPLETED: "completed",
    WorkflowStatus.FAILED: "failed",
    WorkflowStatus.TIMED_OUT: "timed_out",
    WorkflowStatus.TERMINATED: "terminated",
    WorkflowStatus.CANCELED: "canceled",
    WorkflowStatus.CONTINUED_AS_NEW: "continued_as_new",
}
"""A run's status as ``Run.status`` names it."""

STATUS_COLOURS = {RUN_STATUS[run.status]: run.colour for run in RUN_STATUSES}
"""Badge colour of each run status (floto.presentation's)."""

_FAILED = frozenset({TaskStatus.FAILED, TaskStatus.TIMED_OUT})

MAX_TABLE_ROWS = 200
"""The Tasks tab lists at most this many tasks (failures and running tasks first)."""

_TABLE = "border-collapse:collapse;font-size:12px;font-family:var(--jp-ui-font-family,sans-serif)"
_CELL = "padding:2px 8px;border-bottom:1px solid #dee2e6;text-align:left;vertical-align:top"


def esc(value: Any) -> str:
    """HTML-escaped text of ``value``."""
    return html.escape(str(value), quote=True)


def run_status(state: ExecutionState) -> str:
    """``"running"``, ``"completed"``, ``"failed"``, ... (see ``Run.status``)."""
    return RUN_STATUS[state.status]


def task_colour(status: TaskStatus) -> str:
    """The text colour of a task status in tables (floto.presentation's)."""
    return look(status).colour


@dataclass(frozen=True)
class Progress:
    """The progress bar's figures: ``done`` (completed or reused) of ``total`` tasks known."""

    done: int
    total: int
    running: int
    failed: int
    waiting: int
    reused: int
    bar_style: str  # ipywidgets: "success", "danger" or "info"
    queued: int = 0
    blocked: int = 0
    not_run: int = 0
    canceled: int = 0

    @property
    def text(self) -> str:
        """``"3/5 done · 1 running · 0 failed"``, and the queued, waiting, blocked, canceled,
        not run and reused counts when not 0 (the words of the legend)."""
        text = f"{self.done}/{self.total} done · {self.running} running · {self.failed} failed"
        for count, word in (
            (self.queued, "queued"),
            (self.waiting, "waiting to retry"),
            (self.blocked, "blocked"),
            (self.canceled, "canceled"),
            (self.not_run, "not run"),
            (self.reused, "reused"),
        ):
            if count:
                text += f" · {count} {word}"
        return text


def progress(state: ExecutionState) -> Progress:
    """The state's progress (``ExecutionState.progress()``: generated tasks join the total when
    they appear) and the bar's style: green on success, red once anything failed."""
    figures = state.progress()
    if state.status is WorkflowStatus.COMPLETED:
        style = "success"
    elif figures.failed or state.status not in (
        WorkflowStatus.OPEN,
        WorkflowStatus.CONTINUED_AS_NEW,
    ):
        style = "danger"
    else:
        style = "info"
    return Progress(figures.completed, figures.total, figures.running, figures.failed,
                    figures.waiting, figures.reused, style, queued=figures.queued,
                    blocked=figures.blocked, not_run=figures.not_run,
                    canceled=figures.canceled)  # fmt: skip


def seconds(value: float | None) -> str:
    """A duration as every view writes it (floto.presentation); empty for None."""
    return format_duration(value, missing="")


def elapsed(state: ExecutionState, now: dt.datetime | None = None) -> float | None:
    """Seconds from the run's start to its close (or to ``now`` while open)."""
    if state.started_at is None:
        return None
    end = state.closed_at or now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (end - state.started_at).total_seconds())


def badge(status: str) -> str:
    """A coloured status badge (``data-floto-status`` names the status)."""
    colour = STATUS_COLOURS.get(status, "#6c757d")
    return (
        f'<span data-floto-status="{esc(status)}" style="background:{colour};color:white;'
        f'border-radius:4px;padding:1px 8px;font-weight:600">{esc(status)}</span>'
    )


def header_html(state: ExecutionState, workflow_id: str, run_id: str) -> str:
    """Workflow id, run id, status badge and elapsed time."""
    status = run_status(state)
    took = seconds(elapsed(state))
    reason = ""
    failed = sum(1 for task in state.tasks.values() if task.status in _FAILED)
    if failed:  # the errors are with the tasks: said once, there
        reason = f'<div style="color:#b02a37">{failed:,} task(s) failed: see the Tasks tab</div>'
    elif state.failure_reason:
        reason = f'<div style="color:#b02a37">{esc(first_line(state.failure_reason, 300))}</div>'
    lineage = ""
    if state.rerun_of:
        parent = state.rerun_of.get("runId", "")
        lineage = (f' <span class="floto-rerun-of" style="color:#6c757d">· rerun of run '
                   f"{esc(parent)}</span>")  # fmt: skip
    return (
        f'<div class="floto-run-header" style="font-size:13px"><b>{esc(workflow_id)}</b> '
        f'<span style="color:#6c757d">run {esc(run_id)}</span> {badge(status)} '
        f'<span style="color:#6c757d">{esc(took)}</span>{lineage}{reason}</div>'
    )


def first_line(text: Any, limit: int = 120) -> str:
    """The first line of ``text``, cut to ``limit`` characters (floto.presentation's)."""
    return presentation.first_line(text, limit)


def task_duration(task: TaskState) -> float | None:
    """Seconds from the first scheduling to the last close, or None while open."""
    if task.scheduled_at is None or task.closed_at is None:
        return None
    return (task.closed_at - task.scheduled_at).total_seconds()


def task_rows(state: ExecutionState, limit: int = MAX_TABLE_ROWS) -> list[dict[str, Any]]:
    """Rows of the Tasks tab, worst status first (floto.presentation's order): failures,
    retries, running, scheduled, pending, then completed and reused tasks."""
    rank = {status: index for index, status in enumerate(STATUS_ORDER)}
    order = {task_id: index for index, task_id in enumerate(state.tasks)}
    tasks = sorted(
        state.tasks.values(),
        key=lambda t: (rank.get(t.status, len(rank)), order[t.task_id]),
    )
    return [
        {
            "task_id": task.task_id,
            "status": task.status.value,
            "attempts": task.attempt_count,
            "duration": task_duration(task),
            "error": first_line(task.error),
        }
        for task in tasks[:limit]
    ]


def tasks_html(state: ExecutionState, limit: int = MAX_TABLE_ROWS) -> str:
    """A table of tasks (the replay's): label (the id in its tooltip), status, attempts,
    duration, first line of the last error."""
    rows = task_rows(state, limit)
    labels = state_labels(state)
    body = "".join(
        f'<tr data-task-id="{esc(row["task_id"])}" data-status="{esc(row["status"])}" '
        f'title="{esc(row["task_id"])}">'
        f'<td style="{_CELL}">{esc(labels.get(row["task_id"], row["task_id"]))}</td>'
        f'<td style="{_CELL};color:{task_colour(TaskStatus(row["status"]))}">'
        f"{esc(row['status'])}</td>"
        f'<td style="{_CELL}">{row["attempts"]}</td>'
        f'<td style="{_CELL}">{esc(seconds(row["duration"]))}</td>'
        f'<td style="{_CELL};color:#b02a37">{esc(row["error"])}</td></tr>'
        for row in rows
    )
    more = len(state.tasks) - len(rows)
    note = f'<div style="color:#6c757d">… and {more:,} more tasks</div>' if more > 0 else ""
    head = "".join(
        f'<th style="{_CELL}">{name}</th>'
        for name in ("task", "status", "attempts", "duration", "error")
    )
    return f'<table class="floto-tasks" style="{_TABLE}"><tr>{head}</tr>{body}</table>{note}'


def events_html(
    events: Iterable[Mapping[str, Any]], total: int, state: ExecutionState | None = None
) -> str:
    """The Events tab: the latest events, newest first (id, time, type, and the task each
    belongs to: ``floto.history.event_task``; a click on a task's event picks it)."""
    events = list(events)
    labels = state_labels(state) if state is not None else {}
    rows = []
    for event in reversed(events):
        task_id = event_task(state, event) if state is not None else None
        task = esc(labels.get(task_id, task_id)) if task_id else ""
        pick = f' data-task-id="{esc(task_id)}" style="cursor:pointer"' if task_id else ""
        rows.append(
            f'<tr{pick}><td style="{_CELL}">{event.get("eventId")}</td>'
            f'<td style="{_CELL}">{esc(_clock(event.get("eventTimestamp")))}</td>'
            f'<td style="{_CELL}">{esc(event.get("eventType"))}</td>'
            f'<td style="{_CELL}">{task}</td></tr>'
        )
    note = f"latest {len(events)} of {total:,} events" if total > len(events) else ""
    head = "".join(f'<th style="{_CELL}">{name}</th>' for name in ("id", "time", "event", "task"))
    return (
        f'<div style="max-height:400px;overflow:auto"><table class="floto-events" '
        f'style="{_TABLE}"><tr>{head}</tr>{"".join(rows)}</table></div>'
        f'<div style="color:#6c757d">{note}</div>'
    )


def _clock(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
    return str(value or "")


def _json(value: Any, limit: int = 4000) -> str:
    try:
        text = json.dumps(value, indent=2, sort_keys=True, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"\n… ({len(text):,} characters)"


def _pre(value: str) -> str:
    style = "margin:2px 0;max-height:240px;overflow:auto;background:#f8f9fa;padding:4px"
    return f'<pre style="{style}">{esc(value)}</pre>'


def task_detail_html(task: TaskState | None) -> str:
    """The task picker's view: status, attempts, input, result or error with its details."""
    if task is None:
        return '<div style="color:#6c757d">pick a task to see its input, result or error</div>'
    parts = [
        f"<div><b>{esc(task.task_id)}</b> · {esc(task.kind)} · "
        f'<span style="color:{task_colour(task.status)}">{esc(task.status.value)}</span> · '
        f"{task.attempt_count} attempt(s)</div>"
    ]
    spec_input = getattr(task.task, "input", None)
    if spec_input is not None:
        parts.append("<div>input</div>" + _pre(_json(spec_input)))
    if task.has_result:
        parts.append("<div>result</div>" + _pre(_json(task.result)))
    if task.error:
        parts.append('<div style="color:#b02a37">error</div>' + _pre(task.error))
        details = task.last_attempt.details if task.last_attempt else None
        if details:
            text = details if isinstance(details, str) else _json(details)  # a traceback as is
            parts.append("<div>details</div>" + _pre(text))
    attempts = "".join(
        f'<tr><td style="{_CELL}">{attempt.number}</td>'
        f'<td style="{_CELL}">{esc(attempt.outcome.value)}</td>'
        f'<td style="{_CELL}">{esc(seconds(attempt.duration))}</td>'
        f'<td style="{_CELL}">{esc(first_line(attempt.error))}</td></tr>'
        for attempt in task.attempts
    )
    if attempts:
        parts.append(f'<table style="{_TABLE}">{attempts}</table>')
    return '<div class="floto-task-detail">' + "".join(parts) + "</div>"


def error_html(message: str) -> str:
    """An error of the widget itself, shown inside it."""
    return (
        '<div class="floto-widget-error" style="color:#b02a37;white-space:pre-wrap">'
        f"floto: {esc(message)}</div>"
    )


def scrollable(svg: str, height: int = 460) -> str:
    """An SVG in a scrolling box (the XML prologue dropped, so it can sit inside HTML)."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    return f'<div style="max-height:{height}px;overflow:auto">{body}</div>'
