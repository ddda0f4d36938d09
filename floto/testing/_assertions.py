"""Questions and assertions about a run: what ran, how often, in which order.

Every one reads a :class:`floto.history.ExecutionState` (``env.state()``), never the events:
a task "ran" once per attempt the decider made (an activity or generator scheduled, a timer
started, a child run initiated); order is by event id, so it holds on any clock, virtual
time included. Tasks are named by id, or by the task object itself (``a`` for ``a.id_``).
"""

from __future__ import annotations

import itertools
from typing import Any

from floto.history import ExecutionState, TaskState
from floto.specs.task import Task

TaskRef = Any
"""A task id (str), a task (``floto.specs.task.Task``) or a ``floto.history.TaskState``."""


def task_id_of(task: TaskRef) -> str:
    """The id a task reference names."""
    if isinstance(task, str):
        return task
    if isinstance(task, Task):
        return task.id_
    if isinstance(task, TaskState):
        return task.task_id
    raise TypeError(f"name a task by its id, the task or its TaskState; got {task!r}")


def _task(state: ExecutionState, task: TaskRef) -> TaskState | None:
    return state.tasks.get(task_id_of(task))


def tasks_run(state: ExecutionState) -> list[str]:
    """Ids of the tasks that ran at least once, in the order of their first attempt.

    Tasks a rerun reused (and tasks never scheduled) are not among them; floto's own shard
    tasks neither.
    """
    started = [
        (ts.attempts[0].scheduled_event_id, task_id)
        for task_id, ts in state.tasks.items()
        if ts.attempts and not ts.is_internal
    ]
    return [task_id for _, task_id in sorted(started)]


def attempt_counts(state: ExecutionState) -> dict[str, int]:
    """``{task id: attempts}`` of every task that ran, in the order of :func:`tasks_run`."""
    return {task_id: state.tasks[task_id].attempt_count for task_id in tasks_run(state)}


def _summary(state: ExecutionState) -> str:
    counts = attempt_counts(state)
    if not counts:
        return "no task ran"
    return "what ran (attempts): " + ", ".join(f"{t} ({n})" for t, n in counts.items())


def assert_ran(state: ExecutionState, task: TaskRef, *, times: int | None = None) -> None:
    """Assert that ``task`` ran, ``times`` times (attempts) if given.

    Raises:
        AssertionError: naming what ran instead.
    """
    task_id = task_id_of(task)
    ts = _task(state, task_id)
    count = ts.attempt_count if ts is not None else 0
    if count == 0:
        raise AssertionError(f"task {task_id!r} did not run; {_summary(state)}")
    if times is not None and count != times:
        raise AssertionError(
            f"task {task_id!r} ran {count} time(s), not {times}; {_summary(state)}"
        )


def assert_not_ran(state: ExecutionState, *tasks: TaskRef) -> None:
    """Assert that none of ``tasks`` ran.

    Raises:
        AssertionError: naming those that did.
    """
    ran = [task_id_of(t) for t in tasks if (ts := _task(state, t)) is not None and ts.attempts]
    if ran:
        raise AssertionError(f"expected not to run, but ran: {ran}; {_summary(state)}")


def assert_ran_in_order(state: ExecutionState, *tasks: TaskRef) -> None:
    """Assert that each of ``tasks`` ran, and each one's last attempt had closed before the
    first attempt of the next was made (by event id, so on any clock).

    Raises:
        AssertionError: naming the first pair out of order, or a task that did not run.
    """
    for task in tasks:
        assert_ran(state, task)
    for before, after in itertools.pairwise(tasks):
        first, then = _task(state, before), _task(state, after)
        assert first is not None and then is not None  # assert_ran checked them
        closed = first.attempts[-1].closed_event_id
        begun = then.attempts[0].scheduled_event_id
        if closed is None or closed > begun:
            when = "is still open" if closed is None else f"closed at event {closed}"
            raise AssertionError(
                f"task {first.task_id!r} {when}, after task {then.task_id!r} was first "
                f"scheduled at event {begun}; {_summary(state)}"
            )
