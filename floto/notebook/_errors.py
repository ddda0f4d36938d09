"""The notebook layer's errors (a run that did not complete raises floto.launch.RunFailed,
re-exported as floto.notebook.RunFailed)."""

from __future__ import annotations

from floto.api import WorkflowAlreadyStartedError
from floto.errors import FlotoError


class NotebookDependencyError(FlotoError, ImportError):
    """ipywidgets (the ``notebook`` extra) is not installed."""


class DuplicateWorkflowIdError(WorkflowAlreadyStartedError):
    """``Lab.run`` with a workflow id that already has an open run: one line, naming the id
    and the open run, suggesting ``lab.watch`` (IPython shows only that line)."""

    def __init__(self, domain: str, workflow_id: str, open_run_id: str | None) -> None:
        run = f" (run {open_run_id})" if open_run_id else ""
        super().__init__(
            f"workflow id {workflow_id!r} already has an open run{run} in domain {domain!r}: "
            f"watch it with lab.watch({workflow_id!r}), terminate it, or pass another "
            "workflow_id",
            code="WorkflowExecutionAlreadyStartedFault",
        )
        self.workflow_id, self.open_run_id = workflow_id, open_run_id

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for this error: its one line, no traceback."""
        return [f"{type(self).__name__}: {self}"]
