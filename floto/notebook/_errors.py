"""The notebook layer's errors (a run that did not complete raises floto.launch.RunFailed,
re-exported as floto.notebook.RunFailed)."""

from __future__ import annotations

from floto.errors import FlotoError


class NotebookDependencyError(FlotoError, ImportError):
    """ipywidgets (the ``notebook`` extra) is not installed."""
