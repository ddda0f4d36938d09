"""The notebook layer's errors."""

from __future__ import annotations

from typing import Any

from floto.errors import FlotoError


class NotebookDependencyError(FlotoError, ImportError):
    """ipywidgets (the ``notebook`` extra) is not installed."""


class RunFailed(FlotoError):
    """A run closed without completing (failed, timed out, terminated, canceled...).

    Attributes:
        status: how it closed (``"failed"``, ``"timed_out"``, ``"terminated"``...).
        failures: ``{task id: error}`` of the tasks that failed, timed out or were canceled.
        reason: the run's own failure reason, if SWF recorded one.
        workflow_id, run_id: which run.
    """

    def __init__(
        self,
        message: str,
        *,
        status: str,
        failures: dict[str, str],
        reason: str | None = None,
        workflow_id: str | None = None,
        run_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.failures, self.reason = status, failures, reason
        self.workflow_id, self.run_id = workflow_id, run_id

    def __reduce__(self) -> Any:  # keep the fields when pickled (e.g. by a test runner)
        return (_rebuild, (str(self), self.__dict__))


def _rebuild(message: str, fields: dict[str, Any]) -> RunFailed:
    error = RunFailed.__new__(RunFailed)
    FlotoError.__init__(error, message)
    error.__dict__.update(fields)
    return error
