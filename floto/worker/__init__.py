"""Activity side: the function registry, its decorators and the ActivityWorker."""

from floto.worker._cancel import cancel_requested
from floto.worker._context import ActivityContext
from floto.worker._logs import echo_task_output, read_task_log, task_log
from floto.worker._registry import (
    ActivityDefinition,
    ActivityRegistry,
    RegistrationError,
    activity,
    default_registry,
    generator,
)
from floto.worker._worker import ActivityWorker

__all__ = [
    "ActivityContext",
    "ActivityDefinition",
    "ActivityRegistry",
    "ActivityWorker",
    "RegistrationError",
    "activity",
    "cancel_requested",
    "default_registry",
    "echo_task_output",
    "generator",
    "read_task_log",
    "task_log",
]
