"""Activity side: the function registry, its decorators and the ActivityWorker."""

from floto.worker._registry import (
    ActivityDefinition,
    ActivityRegistry,
    RegistrationError,
    activity,
    default_registry,
    generator,
)

__all__ = [
    "ActivityDefinition",
    "ActivityRegistry",
    "RegistrationError",
    "activity",
    "default_registry",
    "generator",
]
