"""Activity side: the function registry, its decorators and the ActivityWorker."""

from floto.worker._cancel import cancel_requested
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
    "ActivityDefinition",
    "ActivityRegistry",
    "ActivityWorker",
    "RegistrationError",
    "activity",
    "cancel_requested",
    "default_registry",
    "generator",
]
