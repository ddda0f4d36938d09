"""floto: declare, check, draw, run and watch workflows on AWS Simple Workflow Service.

The names here are the seed README's public face: ``@floto.activity``, ``@floto.generator``,
``floto.ActivityWorker`` and ``floto.History``. ``floto.api``, ``floto.specs`` and
``floto.specs.task`` / ``floto.specs.retry_strategy`` are importable from ``import floto``;
``floto.decider``, ``floto.dsl``, ``floto.viz`` and ``floto.local`` are imported explicitly.
"""

__version__ = "0.1.0"

from floto import api, specs  # the seed reaches these after `import floto`
from floto.history import History
from floto.worker import (
    ActivityRegistry,
    ActivityWorker,
    activity,
    default_registry,
    generator,
)

__all__ = [
    "ActivityRegistry",
    "ActivityWorker",
    "History",
    "__version__",
    "activity",
    "api",
    "default_registry",
    "generator",
    "specs",
]
