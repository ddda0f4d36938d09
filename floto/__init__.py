"""floto: declare, check, draw, run and watch workflows on AWS Simple Workflow Service."""

from floto.worker import ActivityRegistry, activity, default_registry, generator

__version__ = "0.1.0"

__all__ = [
    "ActivityRegistry",
    "__version__",
    "activity",
    "default_registry",
    "generator",
]
