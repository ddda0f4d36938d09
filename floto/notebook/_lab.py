"""Lab: a notebook's connection to SWF (or a local engine it starts), with workers and deciders."""

from __future__ import annotations

import atexit
import logging
from typing import Any

from floto.api import WorkflowAlreadyStartedError
from floto.launch import Launcher, connect
from floto.local import EngineOptions
from floto.notebook import _render
from floto.notebook._errors import DuplicateWorkflowIdError
from floto.notebook._run import Run
from floto.worker import echo_task_output

log = logging.getLogger("floto.notebook")
# Worker and decider threads run in the kernel: without a handler, their warnings would be
# printed into whatever cell ran last. Failures show in the run's widget instead; a user who
# configures logging still gets every record.
logging.getLogger("floto").addHandler(logging.NullHandler())

LAB_POLL_WAIT = 10.0
"""Idle polls on a local engine the lab starts itself return after this many seconds."""


class Lab:
    """Launch, watch and inspect workflow runs from a notebook.

    Attaches to the SWF endpoint ``endpoint_url``, else to ``AWS_ENDPOINT_URL_SWF`` (once
    something answers there: ``floto.launch.connect``); when neither is set, starts floto's
    local engine in a process of its own, stopped by
    :meth:`close`, by leaving ``with Lab() as lab:``, or when the kernel exits. Registers the
    domain and runs ``workers`` activity workers as threads of the kernel, serving floto's
    default registry: ``@floto.activity`` functions defined in cells just work, and a
    function redefined in a later cell is the one that runs next.

    Shows as a one-line badge: endpoint, domain, workers, open runs.

    Args:
        domain: the SWF domain (registered if needed).
        endpoint_url: the SWF endpoint (e.g. ``http://127.0.0.1:4588``).
        workers: activity worker threads per activity task list.
        task_list: the activity task list (default: one of the lab's own).
        time_skipping: the engine the lab starts runs on a virtual clock that jumps over
            waits (timers, back-offs, timeouts) when nothing is being worked on: a one-hour
            timer takes a moment (docs/testing.md). To attach to such an engine instead, start
            it with ``floto local --time-skipping`` and leave this out.

    Example::

        lab = Lab()
        run = lab.run(a >> [b, c] >> d, input={"n": 3})
        run            # the live widget
        run.wait()     # the result, or RunFailed
    """

    def __init__(
        self,
        domain: str = "floto_notebook",
        *,
        endpoint_url: str | None = None,
        workers: int = 2,
        task_list: str | None = None,
        time_skipping: bool = False,
    ) -> None:
        self._connection = connect(
            endpoint_url,
            options=EngineOptions(poll_wait=LAB_POLL_WAIT, time_skipping=time_skipping),
        )
        # The engine the lab started (None when it attached to one).
        self.engine = self._connection.engine if self._connection.started else None
        url = self._connection.endpoint_url or ""
        self.endpoint_url: str = url
        self.domain = domain
        self.swf = self._connection.swf
        try:
            self.launcher = Launcher(
                domain, endpoint_url=url, swf=self.swf, workers=workers, task_list=task_list,
                workflow_type=("floto_notebook", "1"),
            ).start()  # fmt: skip
        except BaseException:
            self._stop_engine()
            raise
        echo_task_output(False)  # each task's output shows with the task, not in a cell
        self._runs: list[Run] = []
        self._tables: list[Any] = []
        self._closed = False
        atexit.register(self.close)  # a strong reference: the engine must stop at exit

    # -- runs ------------------------------------------------------------------------------------
    def run(
        self,
        workflow: Any,
        input: Any = None,
        *,
        workflow_id: str | None = None,
        workflow_type: Any = None,
        failure_policy: str | None = None,
    ) -> Run:
        """Check, register, serve and start ``workflow``; returns its :class:`Run` at once.

        Args:
            workflow: a ``floto.dsl.Workflow``, a ``DeciderSpec`` or its JSON, a task or a list
                of tasks.
            input: the workflow input.
            workflow_id: the run's workflow id (default: ``floto_notebook-<time>-<random>``).
            workflow_type: a ``floto.api.WorkflowType``, ``(name, version)`` or a name.
            failure_policy: ``"continue"`` (every task not depending on a failure still
                runs) or ``"fail_fast"``; default: the workflow's own (docs/decider.md).

        Raises:
            SpecError: not a workflow, a bad graph (GraphError), activities no function serves
                (UnservedTaskError).
            DuplicateWorkflowIdError: an open run already has this workflow id (a
                ``WorkflowAlreadyStartedError``; one line in a notebook).
            SwfError: SWF refused.
        """
        self._check_open()
        try:
            launched = self.launcher.launch(
                workflow, input, workflow_id=workflow_id, workflow_type=workflow_type,
                failure_policy=failure_policy,
            )  # fmt: skip
        except WorkflowAlreadyStartedError:
            raise self._duplicate(str(workflow_id)) from None
        handle = self.launcher.handle(launched)
        return self._follow(launched.workflow_id, launched.run_id, launched.spec, handle)

    def _duplicate(self, workflow_id: str) -> DuplicateWorkflowIdError:
        try:
            run_id: str | None = self.swf.latest_run_id(self.domain, workflow_id)
        except Exception:  # the one line must still come
            run_id = None
        return DuplicateWorkflowIdError(self.domain, workflow_id, run_id)

    def watch(self, workflow_id: str, run_id: str | None = None) -> Run:
        """A :class:`Run` for any run of the domain (the latest of ``workflow_id`` by default),
        including one started elsewhere: read-only, except ``terminate``."""
        self._check_open()
        return self._follow(workflow_id, run_id)

    def _follow(
        self, workflow_id: str, run_id: str | None, spec: Any = None, handle: Any = None
    ) -> Run:
        run = Run(self.swf, self.domain, workflow_id, run_id, spec=spec, lab=self, handle=handle)
        self._runs.append(run)
        return run

    def _rerun(self, run: Run, input: Any) -> Run:
        """``run.rerun()`` for runs of this lab: serve the workflow again, then rerun."""
        self._check_open()
        if run.spec is not None:
            self.launcher.ensure_decider(run.spec)  # restarted if it ended
        again = run.handle.rerun(input)
        return self._follow(again.workflow_id, again.run_id, spec=run.spec, handle=again)

    def runs(self, limit: int = 20) -> Any:
        """A table widget of the domain's most recent runs, open and closed: the run a rerun
        came from, status, counts, first failure; read again while runs are open; a click on
        a row opens that run's widget."""
        from floto.notebook._runs import RunsTable

        self._check_open()
        table = RunsTable(self.swf, self.domain, limit=limit, lab=self)
        self._tables.append(table)
        return table

    # -- life cycle ----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop watching, stop the workers and deciders, and stop the lab's own engine."""
        if self._closed:
            return
        self._closed = True
        for run in self._runs:
            run.stop_watching()
        for table in self._tables:
            table.stop()
        self.launcher.stop(timeout=0)  # pollers end when their poll returns...
        self._stop_engine()  # ...at once when the engine they poll is the lab's own

    def _stop_engine(self) -> None:
        self._connection.close()

    def _check_open(self) -> None:
        if self._closed:
            from floto.launch import LaunchError

            raise LaunchError("this Lab is closed; make a new one")

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- display -------------------------------------------------------------------------------
    @property
    def open_runs(self) -> int:
        """How many runs of the domain are open now."""
        return self.swf.count_workflow_executions(self.domain, status="open")

    def _describe(self) -> dict[str, str]:
        where = "local engine" if self.engine is not None else "attached"
        try:
            open_runs = str(self.open_runs)
        except Exception as error:  # a badge must still show when SWF cannot be reached
            open_runs = f"? ({_render.first_line(error, 80)})"
        return {
            "endpoint": f"{self.endpoint_url} ({where})",
            "domain": self.domain,
            "workers": f"{self.launcher.workers} on {self.launcher.task_list}",
            "open runs": "closed" if self._closed else open_runs,
        }

    def _repr_html_(self) -> str:
        parts = " · ".join(
            f'<span style="color:#6c757d">{name}</span> {_render.esc(value)}'
            for name, value in self._describe().items()
        )
        return f'<div class="floto-lab"><b>floto Lab</b> · {parts}</div>'

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}: {value}" for name, value in self._describe().items())
        return f"<floto Lab {parts}>"
