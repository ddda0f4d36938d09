"""A run's report as one self-contained HTML page: header, counts, failures, graph, timeline,
tasks (inline SVG and styles; nothing loaded from the network)."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from floto.history import ExecutionState, TaskState, TaskStatus, state_labels
from floto.viz._styles import SEVERITY, STATUS_STYLES, format_seconds
from floto.wire import details_traceback

MAX_FAILURES = 50
"""Failures the report details (the others are in the task table)."""
MAX_TASK_ROWS = 5_000
_FAILED = (TaskStatus.FAILED, TaskStatus.TIMED_OUT)
_CSS = (
    "body{font-family:Helvetica,Arial,sans-serif;font-size:13px;margin:16px;color:#212529}"
    ".floto-report table{border-collapse:collapse;font-size:12px}"
    ".floto-report td,.floto-report th{padding:2px 8px;border-bottom:1px solid #dee2e6;"
    "text-align:left;vertical-align:top}"
    ".floto-report pre{background:#f8f9fa;padding:4px;max-height:240px;overflow:auto;margin:2px 0}"
    ".floto-report .box{max-height:480px;overflow:auto;border:1px solid #dee2e6;margin:4px 0}"
)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _colour(status: TaskStatus) -> str:
    return STATUS_STYLES.get(status, {}).get("color", "#495057")


def _first_line(text: Any, limit: int = 160) -> str:
    lines = str(text or "").strip().splitlines()
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


def _elapsed(state: ExecutionState) -> str:
    if state.started_at is None:
        return ""
    end = state.closed_at or dt.datetime.now(dt.timezone.utc)
    return format_seconds((end - state.started_at).total_seconds())


def header_html(state: ExecutionState) -> str:
    """Workflow id, run id, status, elapsed time, the run a rerun came from, counts."""
    status = state.status.value
    parent = ""
    if state.rerun_of:
        parent = f" · rerun of run {_esc(state.rerun_of.get('runId', ''))}"
    counts = " · ".join(
        f'<span style="color:{_colour(s)}">{n:,} {s.value.replace("_", " ")}</span>'
        for s in SEVERITY
        if (n := state.counts().get(s, 0))
    )
    return (
        f'<div class="floto-report-header"><b>{_esc(state.workflow_id)}</b> '
        f'<span style="color:#6c757d">run {_esc(state.run_id)}</span> '
        f"<b>{_esc(status)}</b> <span style=\"color:#6c757d\">{_esc(_elapsed(state))}"
        f"{parent}</span></div><div>{counts or 'no tasks'}</div>"
    )


def _trace(task: TaskState) -> tuple[str, str]:
    """(the user's traceback, the output's tail) of a task's last failure."""
    details = task.last_attempt.details if task.last_attempt else None
    if not isinstance(details, str):
        return task.error or "", ""
    head, sections = details_traceback(details)
    output = next((body for name, body in sections.items() if name.startswith("output")), "")
    return head, output


def failures_html(state: ExecutionState, limit: int = MAX_FAILURES) -> str:
    """Each failed task: label, id, the user's traceback and the output's tail."""
    labels = state_labels(state)
    failed = [task for task in state.tasks.values() if task.status in _FAILED]
    if not failed:
        return ""
    parts = [f"<h3>{len(failed):,} failed task(s)</h3>"]
    for task in failed[:limit]:
        trace, output = _trace(task)
        shown = f"<details><summary>output</summary><pre>{_esc(output)}</pre></details>"
        parts.append(
            f'<div class="floto-failure"><b>{_esc(labels.get(task.task_id, task.task_id))}</b> '
            f'<code style="color:#6c757d">{_esc(task.task_id)}</code> · '
            f"{task.attempt_count} attempt(s)<pre>{_esc(trace)}</pre>"
            f"{shown if output else ''}</div>"
        )
    if len(failed) > limit:
        parts.append(f"<div>… and {len(failed) - limit:,} more (see the tasks)</div>")
    return "".join(parts)


def tasks_html(state: ExecutionState, limit: int = MAX_TASK_ROWS) -> str:
    """Every task (failures first): label, id, status, attempts, duration, error."""
    labels = state_labels(state)
    rank = {status: n for n, status in enumerate(SEVERITY)}
    tasks = sorted((t for t in state.tasks.values() if not t.is_internal),
                   key=lambda t: rank.get(t.status, len(rank)))  # fmt: skip
    rows = []
    for task in tasks[:limit]:
        took = ""
        if task.scheduled_at is not None and task.closed_at is not None:
            took = format_seconds((task.closed_at - task.scheduled_at).total_seconds())
        rows.append(
            f"<tr><td>{_esc(labels.get(task.task_id, task.task_id))}</td>"
            f'<td style="color:#6c757d">{_esc(task.task_id)}</td>'
            f'<td style="color:{_colour(task.status)}">{task.status.value}</td>'
            f"<td>{task.attempt_count}</td><td>{_esc(took)}</td>"
            f'<td style="color:#b02a37">{_esc(_first_line(task.error))}</td></tr>'
        )
    more = len(tasks) - limit
    note = f"<div>… and {more:,} more tasks</div>" if more > 0 else ""
    head = "".join(f"<th>{n}</th>" for n in ("task", "id", "status", "attempts", "took", "error"))
    return f'<div class="box"><table><tr>{head}</tr>{"".join(rows)}</table></div>{note}'


def _svg(text: str) -> str:
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def graph_svg(state: ExecutionState) -> str:
    """``draw(state)`` as inline SVG, or a line saying why it cannot be drawn."""
    from floto.viz._draw import draw

    try:
        # no caption, no legend box: the header says the run, its status and its counts
        return _svg(draw(state, title="", legend=False).pipe(format="svg").decode("utf-8"))
    except Exception as error:  # no graphviz, no dot: the rest of the report still stands
        return f'<div style="color:#6c757d">(the graph cannot be drawn: {_esc(error)})</div>'


def report_body(state: ExecutionState, *, compact: bool = False) -> str:
    """The report's content (a ``div``): header, failures, graph; unless ``compact``, the
    timeline and the task table too."""
    from floto.viz._timeline import timeline

    parts = [header_html(state), failures_html(state, 5 if compact else MAX_FAILURES)]
    parts.append(f'<h3>graph</h3><div class="box">{graph_svg(state)}</div>')
    if not compact:
        if any(task.attempts for task in state.tasks.values()):
            parts.append(f'<h3>timeline</h3><div class="box">{_svg(timeline(state).svg)}</div>')
        parts.append("<h3>tasks</h3>" + tasks_html(state))
    return f'<div class="floto-report"><style>{_CSS}</style>{"".join(parts)}</div>'


def report(state: ExecutionState) -> str:
    """A run's report: one self-contained HTML page (no scripts, nothing from the network).

    Example::

        open("run.html", "w").write(floto.viz.report(state))
    """
    title = _esc(f"{state.workflow_id} · {state.status.value}")
    meta = _esc(json.dumps({"workflowId": state.workflow_id, "runId": state.run_id}))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta name="floto-run" content="{meta}"><title>{title}</title></head>'
        f"<body>{report_body(state)}</body></html>"
    )
