"""How a run looks in the terminal: the summary, the task table and the live view.

Everything here reads one ExecutionState (floto.history) and returns rich renderables; no
event is looked at. Words, styles and durations are floto.presentation's, as in drawings and
notebooks.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from rich.console import Console, Group
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from floto.history import (
    AttemptOutcome,
    ExecutionState,
    TaskState,
    TaskStatus,
    WorkflowStatus,
    state_labels,
)
from floto.presentation import (
    RUN_STATUSES,
    TASK_STATUSES,
    first_line,
    format_duration,
    label,
    look,
)

TASK_STYLES = {look.status: look.terminal for look in TASK_STATUSES}
RUN_STYLES = {look.status: look.terminal for look in RUN_STATUSES}
_FAILED_OUTCOMES = (AttemptOutcome.FAILED, AttemptOutcome.TIMED_OUT, AttemptOutcome.REJECTED)
MAX_FAILURES_SHOWN = 5
MAX_PAYLOAD_SHOWN = 400


PLAIN_WIDTH = 140


def console(*, stderr: bool = False) -> Console:
    """The console commands print to: colours and the terminal's width on a terminal; no
    colours and lines up to 140 characters (or $COLUMNS) in a pipe or a file."""
    out = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not out.is_terminal and not os.environ.get("COLUMNS"):
        out.width = PLAIN_WIDTH
    return out


def status_text(status: Any) -> Text:
    """A task's or a run's status, in its colour (floto.presentation's words and styles)."""
    return Text(label(status), style=look(status).terminal)


def format_time(when: dt.datetime | None) -> str:
    """``2025-01-31 12:00:03 UTC``, or ``-``."""
    if when is None:
        return "-"
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def format_seconds(seconds: float | None) -> str:
    """A duration (:func:`floto.presentation.format_duration`), or ``-``."""
    return format_duration(seconds)


def _between(start: Any, end: Any) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def elapsed(state: ExecutionState, now: dt.datetime | None = None) -> float | None:
    """Seconds from the run's start to its close (or to ``now`` while open)."""
    end = state.closed_at or (now if state.status is WorkflowStatus.OPEN else None)
    return _between(state.started_at, end)


def payload_text(value: Any, limit: int = MAX_PAYLOAD_SHOWN) -> str:
    """A result or input as compact JSON, cut to ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary(state: ExecutionState, now: dt.datetime | None = None) -> Table:
    """The run's identity, status, times and outcome, as a two-column grid."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    name, version = state.workflow_type or ("?", "?")
    grid.add_row("workflow", Text(f"{state.workflow_id}  (run {state.run_id})"))
    grid.add_row("type", Text(f"{name} {version}, task list {state.task_list or '-'}"))
    status = status_text(state.status)
    if state.new_run_id:
        status.append(f"  (new run {state.new_run_id})", style="")
    grid.add_row("status", status)
    took = format_seconds(elapsed(state, now))
    grid.add_row("started", Text(format_time(state.started_at)))
    closed = f"{format_time(state.closed_at)}  (took {took})" if state.closed_at else f"- ({took})"
    grid.add_row("closed", Text(closed))
    if state.status is WorkflowStatus.COMPLETED or state.result is not None:
        grid.add_row("result", Text(payload_text(state.result)))
    if state.failure_reason:
        grid.add_row("reason", Text(state.failure_reason, style="red"))
    grid.add_row("tasks", counts_text(state))
    return grid


def counts_text(state: ExecutionState) -> Text:
    """``3 completed · 1 running · 1 failed`` (statuses with tasks only), in colour."""
    text = Text()
    for status, count in state.counts().items():
        if not count:
            continue
        if text:
            text.append(" · ")
        text.append(f"{count} {label(status)}", style=look(status).terminal)
    return text or Text("no tasks known yet", style="dim")


def failures_text(state: ExecutionState) -> Text | None:
    """Every failed task, by its readable label, with the first line of its error (the run's
    own problem first), and how many tasks they blocked; None when nothing failed."""
    failures = state.failures()
    if not failures:
        return None
    tasks = [task_id for task_id in failures if task_id]
    blocked = len(state.blocked_tasks)
    head = f"{len(tasks)} failed" + (f", {blocked} blocked by them" if blocked else "")
    text = Text(head + ":", style="bold red")
    labels = state_labels(state)  # the words the table and the latest failures use
    for task_id in sorted(failures, key=lambda key: (key != "", labels.get(key, key))):
        name = labels.get(task_id, task_id) if task_id else "the run"
        text.append(f"\n  {name}: {first_line(failures[task_id])}", style="red")
    return text


def _error_cell(ts: TaskState) -> Any:
    if ts.status is TaskStatus.BLOCKED and ts.blocked_by:
        return Text(f"blocked by {ts.blocked_by}", style=TASK_STYLES[TaskStatus.BLOCKED])
    return Text(first_line(ts.error), style="red") if ts.error else ""


def _task_row(task_id: str, ts: TaskState, now: dt.datetime | None, label: str) -> list[Any]:
    last = ts.last_attempt
    queued = _between(last.scheduled_at, last.started_at) if last else None
    ran_until = last.closed_at if last and last.closed_at else now
    ran = _between(last.started_at, ran_until) if last and last.started_at else None
    if ts.kind == "timer" and last:  # a timer does not queue: it waits
        queued, ran = None, _between(last.scheduled_at, last.closed_at or now)
    name = Text(label)
    if label != task_id:
        name.append(f" {task_id}", style="dim")
    return [
        name,
        ts.kind.replace("_", " "),
        status_text(ts.status),
        str(ts.attempt_count),
        format_seconds(queued),
        format_seconds(ran),
        _error_cell(ts),
    ]


def task_table(state: ExecutionState, now: dt.datetime | None = None) -> Table:
    """One row per task (requirements first): kind, status, attempts, queue and run time of the
    latest attempt, and the first line of the latest error."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("task", overflow="fold", ratio=3)
    table.add_column("kind", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("tries", justify="right")
    table.add_column("queued", justify="right", no_wrap=True)
    table.add_column("ran", justify="right", no_wrap=True)
    table.add_column("error", overflow="fold", ratio=2)
    labels = state_labels(state)
    for task_id in state.order:
        table.add_row(*_task_row(task_id, state.tasks[task_id], now, labels[task_id]))
    return table


def latest_failures(state: ExecutionState, limit: int = MAX_FAILURES_SHOWN) -> list[tuple]:
    """(closed at, task id, attempt number, error) of the latest failed attempts, newest first."""
    found = []
    for task_id, ts in state.tasks.items():
        for attempt in ts.attempts:
            if attempt.outcome in _FAILED_OUTCOMES:
                found.append((attempt.closed_at, task_id, attempt.number, attempt.error or ""))
    epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    found.sort(key=lambda item: item[0] or epoch, reverse=True)
    return found[:limit]


def live_view(state: ExecutionState, now: dt.datetime | None = None, width: int = 40) -> Group:
    """What ``floto watch`` shows: header, progress bar, counts and the latest failures."""
    progress = state.progress()
    total, done = progress.total, progress.completed
    header = Text.assemble(
        (f"{state.workflow_id}", "bold"),
        f"  run {state.run_id}  ",
        status_text(state.status),
        f"  {format_seconds(elapsed(state, now))}",
    )
    bar = Table.grid(padding=(0, 1))
    bar.add_row(
        ProgressBar(
            total=max(total, 1),
            completed=done,
            width=width,
            complete_style=_bar_style(state),
            finished_style=_bar_style(state),
        ),
        Text(f"{done}/{total} tasks completed"),
    )
    parts: list[Any] = [header, bar, counts_text(state)]
    failures = latest_failures(state)
    if failures:
        parts.append(Text("latest failures:", style="bold red"))
        labels = state_labels(state)
        for _, task_id, number, error in failures:
            name = labels.get(task_id, task_id)
            parts.append(Text(f"  {name} (attempt {number}): {first_line(error)}", style="red"))
    if state.failure_reason:
        parts.append(Text(f"reason: {state.failure_reason}", style="red"))
    return Group(*parts)


def _bar_style(state: ExecutionState) -> str:
    if state.status is WorkflowStatus.COMPLETED:
        return "green"
    if state.status is WorkflowStatus.OPEN:
        return "red" if state.failed_tasks else "blue"
    return "red"


def progress_line(state: ExecutionState, now: dt.datetime | None = None) -> str:
    """The live view in one plain line, for logs (``floto watch`` when not on a terminal)."""
    progress = state.progress()
    total, done = progress.total, progress.completed
    status = "running" if state.status is WorkflowStatus.OPEN else state.status.value
    counts = counts_text(state).plain
    return f"{state.workflow_id}: {status}, {done}/{total} tasks completed ({counts}), " + (
        f"{format_seconds(elapsed(state, now))}"
    )
