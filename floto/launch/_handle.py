"""RunHandle: one run, its ids resolved once, read through one follower with the payload resolver.

Every front end that follows, waits for or acts on a run (notebooks, ``floto watch``/``show``/
``run``, test environments, the examples) holds one of these, in the spirit of Temporal's
``WorkflowHandle``::

    handle = RunHandle(swf, "floto_test", "nightly-2024-01-02")   # its latest run, resolved now
    state = handle.wait(timeout=60)                               # a closed ExecutionState
    handle.result                                                 # or RunFailed
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

from floto.api import Swf
from floto.history import ExecutionFollower, ExecutionState
from floto.launch._failure import WaitTimeoutError, result_of
from floto.specs import DeciderSpec

PAGE_SIZE = 100
"""Events per history page a handle reads."""
_FIRST_DELAY, _MAX_DELAY = 0.05, 0.5
""":meth:`RunHandle.wait` polls at once after news, backing off to every 0.5 s while idle."""


def _graph_of(spec: Any) -> Any:
    """What an ExecutionFollower takes the graph from: a spec's tasks, a task list, or None."""
    return spec.activity_tasks if isinstance(spec, DeciderSpec) else spec


class RunHandle:
    """One run of a workflow: follow it, read its state, wait for it, act on it.

    The run id is resolved once, here (``run_id`` None: the open run of ``workflow_id``, else
    its latest), so everything read through the handle is about the same run. Its state comes
    from one :class:`floto.history.ExecutionFollower` (each read fetches only new history
    pages) built with the client's payload resolver, so results stored outside SWF read as
    their values. Safe to share between threads.

    Args:
        swf: the :class:`floto.api.Swf` to read and act with.
        domain, workflow_id: the run.
        run_id: which run of ``workflow_id`` (default: its open run, else its latest).
        spec: the ``DeciderSpec`` (or task list) the graph comes from (default: the run's own
            history: its ``floto.tasks`` markers, its input, its generators).

    Attributes:
        swf, domain, workflow_id, run_id, spec: as given (``run_id`` resolved).

    Raises:
        UnknownResourceError: no run of ``workflow_id`` in ``domain`` (with ``run_id`` None).
    """

    def __init__(
        self,
        swf: Swf,
        domain: str,
        workflow_id: str,
        run_id: str | None = None,
        *,
        spec: Any = None,
    ) -> None:
        self.swf, self.domain, self.workflow_id, self.spec = swf, domain, workflow_id, spec
        self.run_id: str = run_id or swf.latest_run_id(domain, workflow_id)
        read_page = swf.history_page_reader(domain, workflow_id, self.run_id, page_size=PAGE_SIZE)
        self.follower = ExecutionFollower(
            read_page, domain=domain, workflow_id=workflow_id, run_id=self.run_id,
            spec=_graph_of(spec), resolver=swf.resolve_payload,
        )  # fmt: skip
        self._lock = threading.Lock()

    # -- reading -----------------------------------------------------------------------------
    def poll(self) -> list[dict[str, Any]]:
        """Read the run's new history pages and fold them in; the new events, oldest first."""
        with self._lock:
            return self.follower.poll()

    @property
    def known(self) -> ExecutionState:
        """The state as last read (no request); :meth:`state` reads what is new first."""
        return self.follower.state

    def state(self) -> ExecutionState:
        """The run's :class:`floto.history.ExecutionState` as its history tells it now."""
        self.poll()
        return self.follower.state

    def follow(
        self, every: float = 0.5, *, timeout: float | None = None
    ) -> Iterator[ExecutionState]:
        """The run's state after each read, every ``every`` seconds, until it has closed (the
        closed state is the last one yielded). A caller redraws a view between reads. Each
        is the handle's one ExecutionState, updated in place (a copy is not made).

        Raises:
            WaitTimeoutError: still open after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            state = self.state()
            yield state
            if state.is_closed:
                return
            self._check_deadline(deadline, timeout)
            time.sleep(every)

    def wait(self, timeout: float | None = None) -> ExecutionState:
        """Wait until the run has closed; its closed state (completed or not).

        Raises:
            WaitTimeoutError: still open after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = _FIRST_DELAY
        while True:
            new = self.poll()
            if self.follower.state.is_closed:
                return self.follower.state
            self._check_deadline(deadline, timeout)
            delay = _FIRST_DELAY if new else min(delay * 1.5, _MAX_DELAY)
            pause = delay if deadline is None else min(delay, deadline - time.monotonic())
            time.sleep(max(0.0, pause))

    def _check_deadline(self, deadline: float | None, timeout: float | None) -> None:
        if deadline is not None and time.monotonic() >= deadline:
            raise WaitTimeoutError(
                f"{self.workflow_id} (run {self.run_id}) still open after {timeout} s"
            )

    @property
    def result(self) -> Any:
        """The closed run's result (``{task id: result}`` of its last tasks), read now.

        Raises:
            RunFailed: it closed without completing (carries ``status`` and ``failures``).
            ValueError: it is still open (:meth:`wait` first).
        """
        return result_of(self.state())

    @property
    def failures(self) -> dict[str, str]:
        """``{task id: error}`` of the tasks that failed, timed out or were canceled, read now."""
        return {task: error for task, error in self.state().failures().items() if task}

    def history(self) -> list[dict[str, Any]]:
        """The run's whole history, oldest first, as SWF returns it."""
        return self.swf.get_workflow_execution_history(
            self.domain, workflow_id=self.workflow_id, run_id=self.run_id
        )

    # -- acting ----------------------------------------------------------------------------
    def terminate(self, reason: str | None = None) -> bool:
        """Terminate the run; False (nothing sent) if it was already known to be closed."""
        if self.follower.state.is_closed:
            return False
        self.swf.terminate_workflow_execution(
            self.domain, self.workflow_id, self.run_id, reason=reason
        )
        return True

    def rerun(self, input: Any = None) -> RunHandle:
        """Rerun from the failure (``floto.api.Swf.rerun_workflow_execution``): a new run of the
        same workflow id reusing every task this one completed; its handle (same spec). Its
        task list needs a decider (a launcher's ``ensure_decider``).

        Args:
            input: a new workflow input (default: this run's).

        Raises:
            ValidationError: the run is still open.
        """
        again = {} if input is None else {"input": input}
        started = self.swf.rerun_workflow_execution(
            self.domain, self.workflow_id, self.run_id, **again
        )
        return RunHandle(
            self.swf, self.domain, started["workflowId"], started["runId"], spec=self.spec
        )

    def __repr__(self) -> str:
        status = self.follower.state.status.value
        return f"<RunHandle {self.domain}/{self.workflow_id} ({self.run_id}) {status}>"
