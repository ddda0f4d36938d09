"""RunFailed: the one error for "the run closed without completing", and the result of a run.

Defined here, below every front end that waits for runs (notebooks, test environments, the
command line), so that they all raise the same class and one ``except RunFailed`` catches a
failed run wherever it was waited for.
"""

from __future__ import annotations

from typing import Any

from floto.errors import FlotoError, SpecError
from floto.history import ExecutionState, WorkflowStatus
from floto.presentation import first_line

_LINE_LIMIT = 200
"""Characters of a reason or an error shown per line of the message."""


class LaunchError(FlotoError, RuntimeError):
    """A launcher cannot do what was asked (stopped, a task list taken by another spec...)."""


class ConnectError(SpecError):
    """Connection settings that contradict each other, or say nowhere to connect
    (:func:`floto.launch.connect`); a ValueError."""


class WaitTimeoutError(FlotoError, TimeoutError):
    """A run did not close within the time given."""


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

    @classmethod
    def from_state(cls, state: ExecutionState) -> RunFailed:
        """The error for a closed run's state: its status, reason and failed tasks.

        The message's first line names the run, how it closed and why; one line follows per
        failed task (``  <task id>: <first line of its error>``).
        """
        failures = {task_id: error for task_id, error in state.failures().items() if task_id}
        status = state.status.value
        first = f"{state.workflow_id} {status}"
        if state.failure_reason:
            first += f": {first_line(state.failure_reason, _LINE_LIMIT)}"
        lines = [first, *(f"  {task}: {first_line(error, _LINE_LIMIT)}" for task, error in
                          failures.items())]  # fmt: skip
        return cls(
            "\n".join(lines), status=status, failures=failures, reason=state.failure_reason,
            workflow_id=state.workflow_id, run_id=state.run_id,
        )  # fmt: skip

    def __reduce__(self) -> Any:  # keep the fields when pickled (e.g. by a test runner)
        return (_rebuild, (type(self), str(self), self.__dict__))


def _rebuild(cls: type[RunFailed], message: str, fields: dict[str, Any]) -> RunFailed:
    error = cls.__new__(cls)
    FlotoError.__init__(error, message)
    error.__dict__.update(fields)
    return error


def result_of(state: ExecutionState) -> Any:
    """A closed run's result (``{task id: result}`` of its last tasks); a repeating run that
    continued as new has one too (recorded before it continued).

    Raises:
        RunFailed: the run did not complete (carries its ``status`` and ``failures``).
        ValueError: the run is still open.
    """
    if state.status is WorkflowStatus.OPEN:
        raise ValueError(f"{state.workflow_id} (run {state.run_id}) is still open")
    if state.status not in (WorkflowStatus.COMPLETED, WorkflowStatus.CONTINUED_AS_NEW):
        raise RunFailed.from_state(state)
    return state.result
