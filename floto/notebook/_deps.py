"""The notebook layer needs ipywidgets: fail at import with the extra to install."""

from __future__ import annotations

from floto.notebook._errors import NotebookDependencyError

INSTALL = "pip install 'floto[notebook]'"


def require_ipywidgets() -> None:
    """Raise NotebookDependencyError naming the extra unless ipywidgets can be imported."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError as error:
        raise NotebookDependencyError(
            f"floto.notebook needs ipywidgets, which is not installed: {INSTALL}"
        ) from error
