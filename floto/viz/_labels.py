"""What a node says: its label (title and detail lines) and its tooltip."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from floto.errors import SpecError
from floto.history import TaskState, TaskStatus
from floto.ids import split_default_id
from floto.specs.task import ChildWorkflow
from floto.viz._scene import Entry
from floto.viz._styles import (
    KIND_LABELS,
    SEVERITY,
    STATUS_LABELS,
    TIMES,
    HtmlLabel,
    clip,
    describe_retry,
    esc,
    format_seconds,
    html_label,
)

MAX_TOOLTIP_ERROR = 1000
MAX_LISTED = 5
_TROUBLE = frozenset(
    {TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.CANCELED, TaskStatus.WAITING_TO_RETRY}
)


def identity(entry: Entry) -> tuple[str, str]:
    """``(title, version)`` a task is known by: its name and version, or a timer's id."""
    task = entry.task
    if task is None:
        parts = split_default_id(entry.task_id)
        return (parts[0], parts[1]) if parts else (entry.task_id, "")
    if entry.kind == "timer":
        return entry.task_id, ""
    if isinstance(task, ChildWorkflow):  # a child workflow, or a shard
        return task.workflow_type_name, task.workflow_type_version
    return task.name, task.version  # type: ignore[attr-defined]


def signature(entry: Entry) -> Hashable:
    """What must be equal for two tasks to fall into one group."""
    task = entry.task
    retry = _retry_key(getattr(task, "retry_strategy", None))
    delay = getattr(task, "delay_in_seconds", None)
    title, version = identity(entry)
    if entry.kind == "timer":  # timers are named by their (unique) ids: group by delay
        title = ""
    return (entry.kind, title, version, retry, delay, entry.generated_by)


def _retry_key(strategy: Any) -> Hashable:
    if strategy is None:
        return None
    try:
        return tuple(sorted(strategy.to_dict().items()))
    except (SpecError, KeyError, TypeError):  # a user's own Strategy class has no JSON form
        return (type(strategy).__qualname__, id(strategy))


def _version_line(entry: Entry, version: str) -> str:
    if entry.kind == "timer":
        delay = getattr(entry.task, "delay_in_seconds", None)
        return f"wait {format_seconds(delay)}" if delay is not None else ""
    return esc(version)


def _times(state: TaskState) -> tuple[float | None, float | None]:
    """(seconds waiting for a worker, seconds running), summed over closed attempts."""
    queued = ran = None
    for attempt in state.attempts:
        if attempt.scheduled_at is None or attempt.closed_at is None:
            continue
        started = attempt.started_at or attempt.closed_at  # never picked up: all queue
        queued = (queued or 0.0) + (started - attempt.scheduled_at).total_seconds()
        if attempt.started_at is not None:
            ran = (ran or 0.0) + (attempt.closed_at - attempt.started_at).total_seconds()
    return queued, ran


def _duration_text(entry: Entry, state: TaskState) -> str | None:
    """``ran 1.2 s`` (time running, not the time waiting for a worker), ``waited 5 s`` for a
    timer or a task no worker picked up."""
    if entry.kind == "timer":
        if state.scheduled_at is None or state.closed_at is None:
            return None
        return format_seconds((state.closed_at - state.scheduled_at).total_seconds())
    queued, ran = _times(state)
    if ran is not None:
        return f"ran {format_seconds(ran)}"
    return f"waited {format_seconds(queued)}" if queued is not None else None


def status_line(entry: Entry) -> str:
    """``failed · 3 attempts · ran 4.2 s``: status, attempts above one, and once closed the
    time spent running (a timer: its wait)."""
    status, state = entry.status, entry.state
    parts = [STATUS_LABELS[status]]
    if state is not None and status is TaskStatus.BLOCKED and state.blocked_by:
        parts.append(f"by {clip(state.blocked_by, 32)}")  # the failure that stopped it
    elif state is not None:
        attempts = state.attempt_count
        if status.is_closed:
            if attempts > 1:
                parts.append(f"{attempts} attempts")
            duration = _duration_text(entry, state)
            if duration is not None:
                parts.append(duration)
        elif status == TaskStatus.WAITING_TO_RETRY:
            parts.append(f"{state.failures} failed")
        elif attempts > 1:
            parts.append(f"attempt {attempts}")
    return " · ".join(parts)


def _queue_line(entry: Entry) -> str | None:
    """``waited 0.08 s for a worker, ran 0.02 s`` for the tooltip of a closed task."""
    state = entry.state
    if state is None or entry.kind == "timer" or not state.status.is_closed:
        return None
    queued, ran = _times(state)
    if queued is None:
        return None
    text = f"waited {format_seconds(queued)} for a worker"
    return text + (f", ran {format_seconds(ran)}" if ran is not None else "")


def task_label(entry: Entry, *, title: str, execution: bool) -> HtmlLabel:
    """A single task's label: ``title`` (``floto.history.task_labels``: the name, and the
    input values that tell look-alike tasks apart), version, retry, status."""
    version = identity(entry)[1]
    retry = describe_retry(getattr(entry.task, "retry_strategy", None))
    details = [_version_line(entry, version), esc(retry)]
    if execution:
        details.append(esc(status_line(entry)))
    return html_label(esc(title), *details)


def task_tooltip(entry: Entry, *, execution: bool) -> str:
    """A single task's tooltip: id, kind, and what happened (with the error, if any)."""
    lines = [entry.task_id, KIND_LABELS.get(entry.kind, entry.kind)]
    task = entry.task
    task_input = getattr(task, "input", None)
    if task_input is not None:
        lines.append("input: " + clip(json.dumps(task_input, sort_keys=True), 300))
    if task is not None and getattr(task, "task_list", None):
        lines.append(f"task list: {task.task_list}")  # type: ignore[attr-defined]
    if execution:
        lines.append(status_line(entry))
        queue = _queue_line(entry)
        if queue:
            lines.append(queue)
        state = entry.state
        if state is not None and state.error:
            lines.append("error: " + _cut(state.error))
    return "\n".join(lines)


def counts_of(entries: Sequence[Entry]) -> dict[TaskStatus, int]:
    """How many of ``entries`` are in each status (statuses with none left out)."""
    counts = Counter(entry.status for entry in entries)
    return {status: counts[status] for status in SEVERITY if counts[status]}


def worst(counts: Mapping[TaskStatus, int]) -> TaskStatus:
    """The worst status present: a group's colour never hides a failure."""
    return next(status for status in SEVERITY if counts.get(status))


def group_label(members: Sequence[Entry], *, execution: bool) -> HtmlLabel:
    """A group's label: ``name xn``, version and retry, and counts per status."""
    first = members[0]
    title, version = identity(first)
    if first.kind == "timer":
        title = KIND_LABELS["timer"]
    retry = describe_retry(getattr(first.task, "retry_strategy", None))
    details = [_version_line(first, version), esc(retry)]
    if execution:
        items = [f"{n} {STATUS_LABELS[s]}" for s, n in counts_of(members).items()]
        details += [esc(" · ".join(items[i : i + 3])) for i in range(0, len(items), 3)]
    return html_label(f"{esc(title)} {TIMES}{len(members):,}", *details)


def group_tooltip(members: Sequence[Entry], *, execution: bool) -> str:
    """A group's tooltip: what the members are, counts, and the first failures' errors."""
    first = members[0]
    title, version = identity(first)
    kind = KIND_LABELS.get(first.kind, first.kind)
    lines = [f"{len(members):,} look-alike {kind} tasks: {title} {version}".rstrip()]
    lines.append(f"first: {members[0].task_id}, last: {members[-1].task_id}")
    if execution:
        counts = counts_of(members)
        lines.append(", ".join(f"{STATUS_LABELS[s]}: {n:,}" for s, n in counts.items()))
        troubled = [member for member in members if member.status in _TROUBLE]
        for member in troubled[:MAX_LISTED]:
            error = member.state.error if member.state is not None else None
            lines.append(f"{STATUS_LABELS[member.status]}: {member.task_id}")
            if error:
                lines.append("  " + _cut(error, 300))
        if len(troubled) > MAX_LISTED:
            lines.append(f"… and {len(troubled) - MAX_LISTED:,} more")
    return "\n".join(lines)


def _cut(text: str, limit: int = MAX_TOOLTIP_ERROR) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
