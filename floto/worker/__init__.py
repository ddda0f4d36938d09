"""Activity side: the function registry, its decorators and the ActivityWorker."""

from floto.worker._heartbeat import Heartbeat
from floto.worker._registry import (
    ActivityDefinition,
    ActivityRegistry,
    RegistrationError,
    activity,
    default_registry,
    generator,
)
from floto.worker._worker import ActivityWorker, default_identity

__all__ = [
    "ActivityDefinition",
    "ActivityRegistry",
    "ActivityWorker",
    "Heartbeat",
    "RegistrationError",
    "activity",
    "default_identity",
    "default_registry",
    "generator",
]
