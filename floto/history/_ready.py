"""The tasks of an execution that need a decision, kept in lanes by what that decision takes
up, so that planning costs what it decides rather than what is ready."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from floto.history._tasks import TaskState, TaskStatus


def _lane(ts: TaskState) -> str:
    """What the next decision of a ready task takes up: an activity slot, a child slot, or
    nothing ("free": a timer, a retry's back-off timer)."""
    if ts.kind == "timer":
        return "free"
    if ts.status is TaskStatus.WAITING_TO_RETRY and not ts.retry_due:
        strategy = getattr(ts.task, "retry_strategy", None)
        if ts.throttled or (strategy is not None and strategy.delay_in_seconds(ts.failures) > 0):
            return "free"
    return "child" if ts.kind == "child_workflow" else "activity"


class ReadyTasks:
    """The tasks that need a decision, in the order they became ready, kept in lanes by what
    their next decision takes up (see :data:`LANES`), so that a planner whose activity slots
    are full skips the activity lane at once instead of walking it.

    Reads like an ordered set of task ids (``in``, ``len``, iteration).
    """

    LANES = ("free", "child", "activity")

    def __init__(self) -> None:
        self._lane_of: dict[str, str] = {}
        self._lanes: dict[str, dict[str, int]] = {lane: {} for lane in self.LANES}
        self._counter = itertools.count()

    def add(self, ts: TaskState) -> None:
        """``ts`` needs a decision (again: its lane follows its current status). A task
        delegated to a shard never does: its shard does."""
        if ts.shard is not None:
            return
        lane, old = _lane(ts), self._lane_of.get(ts.task_id)
        if old == lane:
            return
        position = next(self._counter)
        if old is not None:
            position = self._lanes[old].pop(ts.task_id)
        self._lane_of[ts.task_id] = lane
        self._lanes[lane][ts.task_id] = position

    def discard(self, task_id: str) -> None:
        """``task_id`` needs no decision (now)."""
        lane = self._lane_of.pop(task_id, None)
        if lane is not None:
            del self._lanes[lane][task_id]

    def lane(self, name: str) -> list[str]:
        """The ready task ids of one lane, in order."""
        return list(self._lanes[name])

    def position(self, task_id: str) -> int:
        """Where ``task_id`` stands in the order tasks became ready (lower: earlier)."""
        return self._lanes[self._lane_of[task_id]][task_id]

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._lane_of

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._lane_of))

    def __len__(self) -> int:
        return len(self._lane_of)

    def __repr__(self) -> str:
        return f"ReadyTasks({list(self._lane_of)!r})"
