"""Errors of floto.viz, and the lazy import of the optional ``graphviz`` package."""

from __future__ import annotations

from types import ModuleType

from floto.errors import FlotoError

INSTALL_VIZ = "pip install 'floto[viz]'"
INSTALL_GRAPHVIZ = (
    "install Graphviz: `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` "
    "(macOS), or see https://graphviz.org/download/"
)


class VizDependencyError(FlotoError, ImportError):
    """The optional python ``graphviz`` package is not installed."""


class GraphvizNotFoundError(FlotoError, RuntimeError):
    """Graphviz's ``dot`` program is missing, so a drawing cannot be rendered.

    The drawing itself is fine: its DOT text stays available as ``.source``.
    """

    def __init__(self, program: str = "dot") -> None:
        self.program = program
        super().__init__(
            f"Graphviz's `{program}` program was not found on PATH, so the drawing cannot be "
            f"rendered (its DOT text is still available as `.source`); {INSTALL_GRAPHVIZ}"
        )


def require_graphviz() -> ModuleType:
    """Import and return the ``graphviz`` package.

    Raises:
        VizDependencyError: the package is missing; the message says how to install it.
    """
    try:
        import graphviz
    except ImportError as error:
        raise VizDependencyError(
            f"drawing needs the python package 'graphviz' ({error}); {INSTALL_VIZ} "
            f"(and, to render, {INSTALL_GRAPHVIZ})"
        ) from None
    return graphviz
