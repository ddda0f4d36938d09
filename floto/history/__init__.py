"""Execution history and the one execution-state model derived from it."""

from floto.history._derive import (
    HistoryError,
    HistoryGapError,
    find_input_tasks,
    fold_events,
    new_state,
    state_from_events,
)
from floto.history._events import event_task
from floto.history._follow import ExecutionFollower
from floto.history._history import History
from floto.history._labels import find_task, state_labels, task_label, task_labels
from floto.history._pages import PageReader
from floto.history._payloads import Resolver as PayloadResolver
from floto.history._payloads import StoredPayload, load_payload
from floto.history._recorded import (
    DecisionTask,
    decision_tasks,
    load_events,
    marker_entries,
    recorded_tasks_of,
    reused_entries_of,
)
from floto.history._reuse import apply_reuse, reuse_entries
from floto.history._shards import (
    SHARD_KIND,
    ShardPlan,
    apply_shards,
    plan_shards,
    projected_events,
    shard_input,
)
from floto.history._state import (
    Attempt,
    AttemptOutcome,
    ExecutionState,
    Progress,
    TaskState,
    TaskStatus,
    WorkflowStatus,
)
from floto.history._workflow import (
    WorkflowChange,
    compare_forms,
    compare_tasks,
    has_record,
    migrate,
    recorded_tasks,
    settle_workflow,
    task_forms,
)

__all__ = [
    "SHARD_KIND",
    "Attempt",
    "AttemptOutcome",
    "DecisionTask",
    "ExecutionFollower",
    "ExecutionState",
    "History",
    "HistoryError",
    "HistoryGapError",
    "PageReader",
    "PayloadResolver",
    "Progress",
    "ShardPlan",
    "StoredPayload",
    "TaskState",
    "TaskStatus",
    "WorkflowChange",
    "WorkflowStatus",
    "apply_reuse",
    "apply_shards",
    "compare_forms",
    "compare_tasks",
    "decision_tasks",
    "event_task",
    "find_input_tasks",
    "find_task",
    "fold_events",
    "has_record",
    "load_events",
    "load_payload",
    "marker_entries",
    "migrate",
    "new_state",
    "plan_shards",
    "projected_events",
    "recorded_tasks",
    "recorded_tasks_of",
    "reuse_entries",
    "reused_entries_of",
    "settle_workflow",
    "shard_input",
    "state_from_events",
    "state_labels",
    "task_forms",
    "task_label",
    "task_labels",
]
