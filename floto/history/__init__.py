"""Execution history and the one execution-state model derived from it."""

from floto.history._derive import (
    HistoryError,
    HistoryGapError,
    find_input_tasks,
    fold_events,
    new_state,
    state_from_events,
)
from floto.history._history import History
from floto.history._state import (
    Attempt,
    AttemptOutcome,
    ExecutionState,
    TaskState,
    TaskStatus,
    WorkflowStatus,
)

__all__ = [
    "Attempt",
    "AttemptOutcome",
    "ExecutionState",
    "History",
    "HistoryError",
    "HistoryGapError",
    "TaskState",
    "TaskStatus",
    "WorkflowStatus",
    "find_input_tasks",
    "fold_events",
    "new_state",
    "state_from_events",
]
