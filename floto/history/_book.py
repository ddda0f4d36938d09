"""Bookkeeping of a derived ExecutionState: which event belongs to which task, who depends on
whom, how many requirements each task still waits for, and the transitions that keep those
numbers right. Everything here is O(what changed), so folding a new event never walks the
whole graph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from floto.history._state import (
    Attempt,
    AttemptOutcome,
    ExecutionState,
    StateIndex,
    TaskState,
    TaskStatus,
)
from floto.specs.task import Task

FINAL_STATUS = {
    AttemptOutcome.FAILED: TaskStatus.FAILED,
    AttemptOutcome.TIMED_OUT: TaskStatus.TIMED_OUT,
    AttemptOutcome.CANCELED: TaskStatus.CANCELED,
    AttemptOutcome.REJECTED: TaskStatus.FAILED,
}


def attributes(event: dict[str, Any]) -> dict[str, Any]:
    """An event's ``<eventType>EventAttributes`` dict (empty if absent)."""
    event_type = event["eventType"]
    return event.get(event_type[0].lower() + event_type[1:] + "EventAttributes") or {}


def event_time(event: dict[str, Any]) -> Any:
    """The event's timestamp as an aware datetime (SWF and botocore give one already)."""
    value = event.get("eventTimestamp")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
        except (OverflowError, OSError, ValueError):  # NaN, or past the years datetime holds
            return None
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return value


def task_state(state: ExecutionState, task_id: str, kind: str) -> TaskState:
    """The TaskState of ``task_id``; a task seen only in events is added on the fly."""
    found = state.tasks.get(task_id)
    if found is None:
        found = TaskState(task_id=task_id, kind=kind, required_ids=[])
        state.tasks[task_id] = found
    return found


def add_tasks(
    state: ExecutionState,
    tasks: Sequence[Task],
    *,
    generated_by: str | None = None,
    record: bool = False,
) -> list[str]:
    """Add tasks (their requirements may be among them); returns the ids added.

    A task already known with its spec is left alone; one seen only in events gets its spec.
    ``record``: the tasks still have to be written into a ``floto.tasks`` marker.
    """
    index = state.index
    added: list[str] = []
    for task in tasks:
        task_id = task.id_
        required = list(task.required_ids)
        if generated_by is not None and generated_by not in required:
            required.append(generated_by)
        existing = state.tasks.get(task_id)
        if existing is not None and existing.task is not None:
            continue
        if existing is None:
            existing = TaskState(task_id=task_id, kind=task.kind)
            state.tasks[task_id] = existing
        existing.task, existing.kind = task, task.kind
        existing.required_ids = required
        existing.generated_by = generated_by
        added.append(task_id)
        if record:
            index.unrecorded[task_id] = None
    for task_id in added:
        _link(state, index, state.tasks[task_id])
    return added


def _link(state: ExecutionState, index: StateIndex, ts: TaskState) -> None:
    """Register ``ts`` as a dependent of its requirements and count the unmet ones."""
    unmet = 0
    for required in ts.requires:
        index.dependents.setdefault(required, []).append(ts.task_id)
        other = state.tasks.get(required)
        if other is None or not other.status.is_done:
            unmet += 1
    ts.unmet = unmet
    if _block_if_required_failed(state, ts, ts.requires):
        return
    if unmet == 0 and ts.status is TaskStatus.PENDING:
        state.ready.add(ts)


def add_requirements(state: ExecutionState, ts: TaskState, required_ids: Iterable[str]) -> None:
    """Make ``ts`` also wait for ``required_ids`` (a generator's tasks)."""
    index = state.index
    requires = list(ts.requires)
    known = set(requires)
    for required in required_ids:
        if required in known:
            continue
        known.add(required)
        requires.append(required)
        index.dependents.setdefault(required, []).append(ts.task_id)
        other = state.tasks.get(required)
        if other is None or not other.status.is_done:
            ts.unmet += 1
    ts.required_ids = requires
    if ts.unmet:
        state.ready.discard(ts.task_id)
    _block_if_required_failed(state, ts, requires)
    if ts.shard is not None:  # the shard waits for what its members wait for
        inside = set(index.shard_members.get(ts.shard, ()))
        outside = [required for required in requires if required not in inside]
        add_requirements(state, state.tasks[ts.shard], outside)


def new_attempt(ts: TaskState, event_id: int, when: Any, **fields: Any) -> Attempt:
    """Open the next attempt of ``ts``, as scheduled by event ``event_id``."""
    attempt = Attempt(
        number=len(ts.attempts) + 1, scheduled_event_id=event_id, scheduled_at=when, **fields
    )
    ts.attempts.append(attempt)
    return attempt


def mark_scheduled(state: ExecutionState, ts: TaskState) -> None:
    """The task has an open attempt: it no longer needs a decision."""
    ts.status = TaskStatus.SCHEDULED
    ts.retry_due = ts.throttled = False
    state.index.throttled.pop(ts.task_id, None)
    ts.retry_at = ts.retry_timer = None
    state.ready.discard(ts.task_id)


def close_attempt(attempt: Attempt | None, outcome: AttemptOutcome, event: dict[str, Any],
                  when: Any, error: str | None = None, details: Any = None) -> None:  # fmt: skip
    """Close an attempt with its outcome (no-op for an attempt already closed)."""
    if attempt is None or attempt.outcome is not AttemptOutcome.OPEN:
        return
    attempt.outcome, attempt.closed_at = outcome, when
    attempt.closed_event_id = event["eventId"]
    attempt.error, attempt.details = error, details


def mark_completed(
    state: ExecutionState,
    ts: TaskState,
    result: Any,
    has_result: bool,
    status: TaskStatus = TaskStatus.COMPLETED,
) -> None:
    """The task completed (or, ``status`` REUSED, a rerun took its result from the earlier
    run): record its result and release its dependents."""
    ts.result, ts.has_result = result, has_result
    state.ready.discard(ts.task_id)
    if ts.status.is_done:
        return
    ts.status = status
    ts.retry_due = False
    ts.retry_at = ts.retry_timer = None
    index = state.index
    index.completed += 1
    index.failed.pop(ts.task_id, None)
    index.blocked.pop(ts.task_id, None)
    for dependent_id in index.dependents.get(ts.task_id, ()):
        dependent = state.tasks.get(dependent_id)
        if dependent is None:
            continue
        dependent.unmet -= 1
        if dependent.unmet == 0 and dependent.status is TaskStatus.PENDING:
            state.ready.add(dependent)


def mark_failed(state: ExecutionState, ts: TaskState, outcome: AttemptOutcome, error: str) -> None:
    """An attempt failed: wait for a retry if the strategy allows one, else fail for good."""
    ts.error = error
    strategy = getattr(ts.task, "retry_strategy", None)
    retry = outcome in (AttemptOutcome.FAILED, AttemptOutcome.TIMED_OUT) and (
        strategy is not None and strategy.is_task_resubmitted(ts.failures)
    )
    if retry:
        ts.status = TaskStatus.WAITING_TO_RETRY
        ts.retry_due = False
        state.ready.add(ts)
        return
    ts.status = FINAL_STATUS[outcome]
    state.ready.discard(ts.task_id)
    state.index.failed[ts.task_id] = None
    state.index.blocked.pop(ts.task_id, None)
    block_dependents(state, ts.task_id)


def mark_canceled(state: ExecutionState, ts: TaskState, error: str) -> None:
    """The decider canceled the task (the run is failing fast, or was asked to cancel): it
    is closed, and it is not a failure of its own."""
    ts.error = error
    ts.status = TaskStatus.CANCELED
    ts.retry_due = False
    state.ready.discard(ts.task_id)
    state.index.canceled[ts.task_id] = None


def _blocker(state: ExecutionState, task_id: str) -> str | None:
    """The failed task that ``task_id`` stands for as a requirement: itself if it failed,
    what blocks it if it is blocked, else None."""
    index = state.index
    if task_id in index.failed:
        return task_id
    return index.blocked.get(task_id)


def _block_if_required_failed(
    state: ExecutionState, ts: TaskState, requires: Iterable[str]
) -> bool:
    """Block a pending ``ts`` when one of ``requires`` failed or is blocked."""
    if ts.status is not TaskStatus.PENDING:
        return False
    for required in requires:
        root = _blocker(state, required)
        if root is not None:
            block_task(state, ts, root)
            return True
    return False


def _block(state: ExecutionState, ts: TaskState, root: str) -> None:
    ts.status, ts.blocked_by = TaskStatus.BLOCKED, root
    state.ready.discard(ts.task_id)
    state.index.blocked[ts.task_id] = root


def block_task(state: ExecutionState, ts: TaskState, root: str) -> None:
    """``ts`` cannot run because ``root`` failed: it is blocked, and so is every pending task
    that requires it."""
    _block(state, ts, root)
    block_dependents(state, ts.task_id)


def block_dependents(state: ExecutionState, task_id: str) -> None:
    """Every pending task that requires ``task_id`` (directly or not), which failed or is
    blocked, becomes blocked by the failed task (walked with a stack, not recursion)."""
    index = state.index
    root = _blocker(state, task_id) or task_id
    stack = [task_id]
    while stack:
        for dependent_id in index.dependents.get(stack.pop(), ()):
            dependent = state.tasks.get(dependent_id)
            if dependent is None or dependent.status is not TaskStatus.PENDING:
                continue
            _block(state, dependent, root)
            stack.append(dependent_id)


def close_with_run(state: ExecutionState, when: Any, event: dict[str, Any]) -> None:
    """The run closed: every task that had not finished takes a final status. An open attempt
    (or a retry to come) is canceled, or timed out with the run; a task that never started is
    blocked if a failure stopped it, else not run. Floto's own shard tasks follow too."""
    timed_out = state.status.value == "timed_out"
    outcome = AttemptOutcome.TIMED_OUT if timed_out else AttemptOutcome.CANCELED
    why = "the run timed out" if timed_out else f"the run closed ({state.status.value}) first"
    for ts in state.tasks.values():
        status = ts.status
        if status is TaskStatus.PENDING:
            ts.status = TaskStatus.NOT_RUN
            state.ready.discard(ts.task_id)
        elif status in (TaskStatus.SCHEDULED, TaskStatus.RUNNING, TaskStatus.WAITING_TO_RETRY):
            attempt = ts.last_attempt
            if attempt is not None and attempt.outcome is AttemptOutcome.OPEN:
                close_attempt(attempt, outcome, event, when, why)
            ts.status = FINAL_STATUS[outcome]
            if ts.error is None or status is not TaskStatus.WAITING_TO_RETRY:
                ts.error = why
            ts.retry_at = ts.retry_timer = None
            ts.retry_due = False
            state.ready.discard(ts.task_id)


def mark_throttled(state: ExecutionState, ts: TaskState, error: str) -> None:
    """SWF refused the attempt for a limit that passes: retry when the run's back-off timer
    fires (:func:`release_throttled`)."""
    ts.error = error
    ts.status = TaskStatus.WAITING_TO_RETRY
    ts.throttled, ts.retry_due = True, False
    state.index.throttled[ts.task_id] = None
    state.ready.add(ts)


def release_throttled(state: ExecutionState) -> None:
    """The run's back-off timer fired: every task waiting for it is due."""
    for task_id in state.index.throttled:
        ts = state.tasks.get(task_id)
        if ts is not None and ts.throttled and ts.status is TaskStatus.WAITING_TO_RETRY:
            ts.retry_due = True
            state.ready.add(ts)
    state.index.throttled.clear()


def error_text(reason: Any, details: Any, fallback: str) -> str:
    """One line saying why an attempt failed: the reason, else the details, else ``fallback``."""
    for value in (reason, details):
        if isinstance(value, str) and value.strip():
            return value
    return fallback
