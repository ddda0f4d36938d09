"""Rich display in Jupyter for floto's objects, without the low layers importing the high ones.

Tasks, ``DeciderSpec`` and ``floto.dsl.Workflow`` define ``_repr_mimebundle_`` by calling
:func:`mimebundle`, which hands the object to the renderer installed with
:func:`set_renderer`. floto's top package (the composition root) installs one that imports
``floto.viz`` only when an object is displayed, so ``import floto`` loads neither floto.viz nor
graphviz, and floto.specs / floto.dsl never import floto.viz (layers only point down).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Renderer = Callable[[Any, Any, Any], dict[str, Any]]
"""``renderer(obj, include, exclude)`` -> a MIME bundle (``{"image/svg+xml": ..., ...}``)."""

_renderer: Renderer | None = None

__all__ = ["Renderer", "mimebundle", "set_renderer"]


def set_renderer(renderer: Renderer | None) -> Renderer | None:
    """Install the function that draws objects for Jupyter; returns the previous one."""
    global _renderer
    previous, _renderer = _renderer, renderer
    return previous


def mimebundle(obj: Any, include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """The MIME bundle Jupyter shows for ``obj``: its picture and its ``repr``.

    When the picture cannot be made (no renderer, graphviz or ``dot`` missing, a graph that
    cannot be drawn), the bundle is the ``repr`` plus a line saying why, never a traceback.
    """
    text = repr(obj)
    if _renderer is None:
        return {"text/plain": text}
    try:
        bundle = dict(_renderer(obj, include, exclude))
    except (ImportError, ValueError, RuntimeError) as error:  # floto's errors subclass these
        return {"text/plain": f"{text}\n(not drawn: {error})"}
    bundle.setdefault("text/plain", text)
    return bundle
