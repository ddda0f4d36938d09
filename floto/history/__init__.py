"""Execution history and the one execution-state model derived from it."""

from floto.history._derive import (
    HistoryError,
    HistoryGapError,
    fold_events,
    new_state,
    state_from_events,
)
from floto.history._follow import ExecutionFollower
from floto.history._history import History
from floto.history._pages import PageReader
from floto.history._payloads import Resolver as PayloadResolver
from floto.history._payloads import StoredPayload, load_payload
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
    "ExecutionFollower",
    "ExecutionState",
    "History",
    "HistoryError",
    "HistoryGapError",
    "PageReader",
    "PayloadResolver",
    "StoredPayload",
    "TaskState",
    "TaskStatus",
    "WorkflowStatus",
    "fold_events",
    "load_payload",
    "new_state",
    "state_from_events",
]
