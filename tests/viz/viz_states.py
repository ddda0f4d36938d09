"""Hand-made ExecutionStates for the drawing tests (the real ones come from a run)."""

from __future__ import annotations

import datetime as dt

from floto.history import (
    Attempt,
    AttemptOutcome,
    ExecutionState,
    TaskState,
    TaskStatus,
    WorkflowStatus,
)
from floto.specs.retry_strategy import DelayedRetry, InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Task, Timer

T0 = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> dt.datetime:
    """T0 plus ``seconds``."""
    return T0 + dt.timedelta(seconds=seconds)


def attempt(number: int, start: float, end: float | None, outcome: AttemptOutcome, error=None):
    """An attempt scheduled at ``start``, started 0.5 s later, closed at ``end``."""
    return Attempt(
        number=number,
        scheduled_event_id=number * 10,
        scheduled_at=at(start),
        started_at=at(start + 0.5),
        closed_at=at(end) if end is not None else None,
        outcome=outcome,
        error=error,
    )


def task_state(
    task: Task,
    status: TaskStatus,
    attempts: list[Attempt] | None = None,
    *,
    error: str | None = None,
    generated_by: str | None = None,
) -> TaskState:
    """A TaskState for ``task``."""
    return TaskState(
        task_id=task.id_,
        kind=task.kind,
        status=status,
        attempts=attempts or [],
        error=error,
        generated_by=generated_by,
        task=task,
    )


def execution(*states: TaskState, status=WorkflowStatus.OPEN, **fields) -> ExecutionState:
    """An ExecutionState holding ``states``."""
    fields.setdefault("workflow_id", "wf-1")
    fields.setdefault("started_at", T0)
    return ExecutionState(status=status, tasks={s.task_id: s for s in states}, **fields)


def seed_tasks() -> list[Task]:
    """The seed README's kinds of task, with requirements and retry strategies."""
    a = ActivityTask("ActivityA", "v1")
    b = ActivityTask("ActivityB", "v1", retry_strategy=InstantRetry(retries=3))
    timer = Timer(id_="Timer30", delay_in_seconds=30, requires=[a])
    c = ActivityTask("ActivityC", "v1", requires=[timer, b])
    gen = Generator("weekDays", "1", requires=[c], retry_strategy=DelayedRetry(2, 5, 2, 60))
    child = ChildWorkflow("child_type", "v2", requires=[gen])
    return [a, b, timer, c, gen, child]
