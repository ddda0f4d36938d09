"""Execution history and the one execution-state model derived from it."""

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
    "TaskState",
    "TaskStatus",
    "WorkflowStatus",
]
