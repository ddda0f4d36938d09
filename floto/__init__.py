"""floto: declare, check, draw, run and watch workflows on AWS Simple Workflow Service.

The names here are the seed README's public face: ``@floto.activity``, ``@floto.generator``,
``floto.ActivityWorker`` and ``floto.History``; ``floto.cancel_requested()`` is asked from
inside a running activity. ``floto.api``, ``floto.specs`` and
``floto.specs.task`` / ``floto.specs.retry_strategy`` are reachable from ``import floto``;
``floto.decider``, ``floto.dsl``, ``floto.viz`` and ``floto.local`` are imported explicitly.

The names are loaded when first used (PEP 562), so that ``import floto.local`` (the engine's
process) or ``import floto.errors`` does not pay for boto3 and networkx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from floto import display

__version__ = "0.1.0"

if TYPE_CHECKING:
    from floto import api, specs
    from floto.history import History
    from floto.worker import (
        ActivityRegistry,
        ActivityWorker,
        activity,
        cancel_requested,
        default_registry,
        generator,
    )

_LAZY: dict[str, tuple[str, str | None]] = {
    "api": ("floto.api", None),
    "specs": ("floto.specs", None),
    "History": ("floto.history", "History"),
    "ActivityRegistry": ("floto.worker", "ActivityRegistry"),
    "ActivityWorker": ("floto.worker", "ActivityWorker"),
    "activity": ("floto.worker", "activity"),
    "cancel_requested": ("floto.worker", "cancel_requested"),
    "default_registry": ("floto.worker", "default_registry"),
    "generator": ("floto.worker", "generator"),
}


def __getattr__(name: str) -> Any:
    """Load a public name on first use (``floto.api``, ``floto.activity``...)."""
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'floto' has no attribute {name!r}") from None
    value: Any = importlib.import_module(module_name)
    if attribute is not None:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
    "cancel_requested",
    "default_registry",
    "generator",
    "specs",
]
