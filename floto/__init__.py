"""floto: declare, check, draw, run and watch workflows on AWS Simple Workflow Service.

The names here are the seed README's public face: ``@floto.activity``, ``@floto.generator``,
``floto.ActivityWorker`` and ``floto.History``. ``floto.api``, ``floto.specs`` and
``floto.specs.task`` / ``floto.specs.retry_strategy`` are importable from ``import floto``;
``floto.decider``, ``floto.dsl``, ``floto.viz`` and ``floto.local`` are imported explicitly.
"""

__version__ = "0.1.0"

from floto import api, display, specs  # the seed reaches api and specs after `import floto`
from floto.history import History
from floto.worker import (
    ActivityRegistry,
    ActivityWorker,
    activity,
    default_registry,
    generator,
)


def _draw_for_jupyter(obj: object, include: object = None, exclude: object = None) -> dict:
    """The picture of a task, spec or workflow in Jupyter: floto.viz, imported when needed."""
    import floto.viz

    return floto.viz.draw(obj)._repr_mimebundle_(include=include, exclude=exclude)


display.set_renderer(_draw_for_jupyter)

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
