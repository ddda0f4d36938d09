"""Workflow specs: tasks, retry strategies, DeciderSpec and their allow-listed JSON codec."""

from floto.specs import retry_strategy, task
from floto.specs._codec import (
    TYPES,
    JSONEncoder,
    decode,
    decode_spec,
    decode_strategy,
    decode_task,
    decode_tasks,
)
from floto.specs._decider_spec import DeciderSpec

__all__ = [
    "TYPES",
    "DeciderSpec",
    "JSONEncoder",
    "decode",
    "decode_spec",
    "decode_strategy",
    "decode_task",
    "decode_tasks",
    "retry_strategy",
    "task",
]
