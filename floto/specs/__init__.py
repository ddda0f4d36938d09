"""Workflow specs: tasks, retry strategies, DeciderSpec, their allow-listed JSON codec, and
the checked task graph."""

from floto.specs import retry_strategy, task
from floto.specs._codec import SPEC_TYPE, TYPES, decode, decode_tasks
from floto.specs._decider_spec import (
    FAILURE_POLICIES,
    DeciderSpec,
    check_failure_policy,
    decode_spec,
)
from floto.specs._form import JSONEncoder, loads
from floto.specs._graph import TaskGraph, check_tasks
from floto.specs._operators import connect
from floto.specs._tasks import TASK_TYPES, decode_task

__all__ = [
    "FAILURE_POLICIES",
    "SPEC_TYPE",
    "TASK_TYPES",
    "TYPES",
    "DeciderSpec",
    "JSONEncoder",
    "TaskGraph",
    "check_failure_policy",
    "check_tasks",
    "connect",
    "decode",
    "decode_spec",
    "decode_task",
    "decode_tasks",
    "loads",
    "retry_strategy",
    "task",
]
