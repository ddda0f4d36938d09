"""Environment: an engine, a domain, workers and deciders, and runs taken to their end."""

from __future__ import annotations

import contextlib
import logging
import uuid
from datetime import datetime
from typing import Any

from floto.api import Swf, SwfError, WorkflowType
from floto.errors import SpecError
from floto.history import ExecutionState
from floto.launch import (
    Connection,
    Launched,
    Launcher,
    RunHandle,
    check_connection,
    connect,
    result_of,
)
from floto.local import EngineOptions, LocalEngine
from floto.local.testing import TEST_POLL_WAIT
from floto.specs import DeciderSpec
from floto.worker import ActivityRegistry

log = logging.getLogger("floto.testing")

DEFAULT_TIMEOUT = 120.0
"""Real seconds :meth:`Environment.run` waits for a run to close, unless told otherwise."""

DEFAULT_WORKFLOW_TYPE = ("floto_test", "1")
"""The workflow type an environment starts runs as."""


class Environment:
    """A place to run workflows in tests: an engine, a domain, workers and a decider.

    Starts floto's local engine in a process of its own (or uses ``engine``, or attaches to
    ``endpoint_url``), registers a domain of its own, and serves every workflow it runs
    through a :class:`floto.launch.Launcher`: ``workers`` activity workers (threads, or
    processes) for the activities of ``registry`` and a decider per workflow, all stopped
    when the environment closes. With ``time_skipping=True`` the engine it starts runs on a
    virtual clock: whenever nothing is being worked on, it jumps to the next timer, retry
    back-off or timeout, so a workflow that waits an hour runs in a moment; activities still
    take their real time.

    Use it as a context manager::

        with floto.testing.Environment(time_skipping=True) as env:
            result = env.run(a >> Timer(id_="hour", delay_in_seconds=3600) >> b)
            state = env.state()                  # the run's ExecutionState

    Args:
        time_skipping: start the engine with time skipping (with ``engine``: check that it
            was started so; not with ``endpoint_url``).
        registry: where workers find activity functions (default: floto's default registry,
            which ``@floto.activity`` fills).
        domain: the SWF domain (default: ``floto-test-<random>``; registered if needed).
        endpoint_url: attach to the SWF endpoint there instead of starting an engine.
        engine: use this started :class:`floto.local.LocalEngine` (left running on close).
        workers: activity workers per activity task list.
        worker_processes: run workers as forked processes instead of threads (POSIX); they
            see the registry as it was when they started.
        heartbeat_in_seconds: the workers' heartbeat interval (0: none).
        decision_timeout: seconds a decision task may take.
        timeout: real seconds :meth:`run` and :meth:`wait` wait for a run to close.
        poll_wait: seconds an idle poll waits on an engine started here.

    Raises:
        ConnectError: (a SpecError) ``time_skipping`` with ``endpoint_url`` or a real-time
            ``engine``, both ``engine`` and ``endpoint_url`` (floto.launch.connect's checks).
    """

    def __init__(
        self,
        *,
        time_skipping: bool = False,
        registry: ActivityRegistry | None = None,
        domain: str | None = None,
        endpoint_url: str | None = None,
        engine: LocalEngine | None = None,
        workers: int = 2,
        worker_processes: bool = False,
        heartbeat_in_seconds: float = 90,
        decision_timeout: int = 30,
        timeout: float = DEFAULT_TIMEOUT,
        poll_wait: float = TEST_POLL_WAIT,
    ) -> None:
        check_connection(
            endpoint_url, engine=engine, options=EngineOptions(time_skipping=time_skipping)
        )
        if engine is not None:
            time_skipping = engine.time_skipping
        self._time_skipping = time_skipping
        self.registry = registry
        self._own_domain = domain is None
        self.domain = domain or f"floto-test-{uuid.uuid4().hex[:10]}"
        self.workers, self.worker_processes = workers, worker_processes
        self.heartbeat_in_seconds, self.decision_timeout = heartbeat_in_seconds, decision_timeout
        self.timeout, self.poll_wait = timeout, poll_wait
        self._given_engine, self._endpoint_url = engine, endpoint_url
        self._engine: LocalEngine | None = None
        self._connection: Connection | None = None
        self._launcher: Launcher | None = None
        self._runs: list[Launched] = []
        self._closed = False

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> Environment:
        """Start (or attach to) the engine, register the domain, start the workers."""
        if self._closed:
            raise RuntimeError("this environment was closed; make a new one")
        if self._launcher is not None:
            return self
        self._connection = connect(
            self._endpoint_url, engine=self._given_engine, from_environment=False,
            options=EngineOptions(poll_wait=self.poll_wait, time_skipping=self._time_skipping),
        )  # fmt: skip
        self._engine = self._connection.engine
        try:
            url = self._connection.endpoint_url
            self._launcher = Launcher(
                self.domain, endpoint_url=url, swf=self._connection.swf,
                registry=self.registry, workers=self.workers,
                worker_processes=self.worker_processes,
                heartbeat_in_seconds=self.heartbeat_in_seconds, workflow_type=DEFAULT_WORKFLOW_TYPE,
                decision_timeout=self.decision_timeout,
            ).start()  # fmt: skip
        except BaseException:
            self._stop_engine()
            raise
        return self

    def close(self) -> None:
        """Terminate the runs this environment started that are still open (in a domain of
        its own: every open run), stop its workers and deciders, and stop the engine if it
        started it. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._launcher is not None:
                self._terminate_open_runs()
                # Pollers end when their poll returns (at most poll_wait seconds): not waited for.
                self._launcher.stop(timeout=0)
        finally:
            self._stop_engine()

    def _terminate_open_runs(self) -> None:
        """Open runs would keep timers due on a shared engine (and draw its clock on): those
        this environment started, and in a domain of its own every open run."""
        assert self._launcher is not None
        ids = [launched.workflow_id for launched in self._runs]
        if self._own_domain:
            with contextlib.suppress(SwfError):
                infos = self._launcher.swf.list_workflow_executions(self.domain, status="open")
                ids += [info["execution"]["workflowId"] for info in infos]
        for workflow_id in dict.fromkeys(ids):
            # No run id: the open run of the id, also one a repeating run continued as.
            with contextlib.suppress(SwfError):  # none open (UnknownResourceError)...
                self._launcher.swf.terminate_workflow_execution(
                    self.domain, workflow_id, reason="the test environment closed"
                )

    def _stop_engine(self) -> None:
        if self._connection is not None:
            self._connection.close()  # the engine, if it was started here

    def __enter__(self) -> Environment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what it runs on -------------------------------------------------------------------
    @property
    def engine(self) -> LocalEngine:
        """The engine (a :class:`floto.local.LocalEngine`; attached, for an endpoint URL)."""
        return self._started()[0]

    @property
    def launcher(self) -> Launcher:
        """The :class:`floto.launch.Launcher` that registers, serves and starts runs."""
        return self._started()[1]

    @property
    def swf(self) -> Swf:
        """The :class:`floto.api.Swf` client of the environment."""
        return self.launcher.swf

    @property
    def endpoint_url(self) -> str:
        """The SWF endpoint the environment runs on."""
        return self.launcher.swf.endpoint_url

    @property
    def time_skipping(self) -> bool:
        """Whether the engine skips time (False for an ``endpoint_url``: not known here)."""
        return self._time_skipping

    def _started(self) -> tuple[LocalEngine, Launcher]:
        if self._engine is None or self._launcher is None:
            raise RuntimeError("the environment is not started: use `with Environment() as env`")
        return self._engine, self._launcher

    # -- the engine's clock ---------------------------------------------------------------
    def now(self) -> datetime:
        """The engine's time (virtual under time skipping), an aware UTC datetime."""
        return self.engine.now()

    def skip(self, seconds: float) -> datetime:
        """Move a time-skipping engine's clock ``seconds`` ahead now, firing the timers and
        timeouts that fall due on the way; returns the engine's new time.

        Raises:
            EngineClockError: the engine runs on real time.
        """
        return self.engine.skip(seconds)

    # -- runs ------------------------------------------------------------------------------
    def launch(
        self,
        workflow: Any,
        input: Any = None,
        *,
        workflow_id: str | None = None,
        execution_timeout: int | None = None,
    ) -> Launched:
        """Check, register, serve and start ``workflow``; returns the started run at once.

        Args:
            workflow: a ``floto.dsl.Workflow``, a ``DeciderSpec`` or its JSON, a task or a list
                of tasks.
            input: the workflow input.
            workflow_id: the run's workflow id (default: ``floto_test-<time>-<random>``).
            execution_timeout: seconds the run may take before SWF times it out (engine time:
                virtual under time skipping; default 24 hours).

        Raises:
            SpecError: not a workflow, a bad graph, activities no function of the registry
                serves (UnservedTaskError).
            SwfError: SWF refused (e.g. an open run already has this workflow id).
        """
        launched = self.launcher.launch(
            workflow, input, workflow_id=workflow_id, execution_timeout=execution_timeout
        )
        self._runs.append(launched)
        return launched

    def run(
        self,
        workflow: Any,
        input: Any = None,
        *,
        workflow_id: str | None = None,
        execution_timeout: int | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Run ``workflow`` to its end and return its result (``{task id: result}`` of its
        last tasks; for a repeating workflow, its first run's, once it continued as new). The
        run is :meth:`state`'s default afterwards.

        Args: as :meth:`launch`, and ``timeout``: real seconds to wait for the run to close
            (default: the environment's ``timeout``).

        Raises:
            RunFailed: the run failed, timed out, was terminated or canceled; carries
                ``status``, ``failures`` (``{task id: error}``) and ``reason``.
            WaitTimeoutError: the run was still open after ``timeout`` seconds.
        """
        launched = self.launch(
            workflow, input, workflow_id=workflow_id, execution_timeout=execution_timeout
        )
        return result_of(self.wait(launched, timeout=timeout))

    def wait(
        self,
        run: Launched | str | None = None,
        run_id: str | None = None,
        *,
        timeout: float | None = None,
    ) -> ExecutionState:
        """Wait until a run has closed; its :class:`ExecutionState` (``run`` and ``run_id`` as
        in :meth:`state`).

        Raises:
            WaitTimeoutError: still open after ``timeout`` real seconds.
        """
        wait = self.timeout if timeout is None else timeout
        return self.handle(run, run_id).wait(timeout=wait)

    def state(self, run: Launched | str | None = None, run_id: str | None = None) -> ExecutionState:
        """The :class:`floto.history.ExecutionState` of a run, as its history tells it now.

        Args:
            run: a run :meth:`launch` returned; a workflow id (its latest run, e.g. the run a
                repeating workflow continued as, or ``run_id``); or None: the last run this
                environment started.
            run_id: which run of the workflow id.
        """
        return self.handle(run, run_id).state()

    def history(self, run: Launched | str | None = None, run_id: str | None = None) -> list[Any]:
        """A run's history events, oldest first, as SWF returns them (``run`` and ``run_id``
        as in :meth:`state`). The helpers of floto.testing read :meth:`state` instead."""
        return self.handle(run, run_id).history()

    def handle(self, run: Launched | str | None = None, run_id: str | None = None) -> RunHandle:
        """The :class:`floto.launch.RunHandle` of a run (``run`` and ``run_id`` as in
        :meth:`state`): ``follow()``, ``terminate()``, ``rerun()``..."""
        return self.launcher.handle(self._resolve(run, run_id))

    @property
    def runs(self) -> list[Launched]:
        """The runs this environment started, oldest first."""
        return list(self._runs)

    def _resolve(self, run: Launched | str | None, run_id: str | None) -> Launched:
        """The run ``run`` (and ``run_id``) names, with the spec it runs where known."""
        if isinstance(run, Launched):
            return run
        if run is None:
            if not self._runs:
                raise SpecError("no run yet: launch() or run() one, or name a workflow id")
            return self._runs[-1]
        if not isinstance(run, str):
            raise SpecError(f"must be a run launch() returned or a workflow id, got {run!r}")
        described = self.swf.describe_workflow_execution(self.domain, run, run_id)
        info = described["executionInfo"]
        execution, kind = info["execution"], info["workflowType"]
        known = [launched for launched in self._runs if launched.workflow_id == run]
        if known:  # the same workflow, perhaps continued as new: the same spec
            spec, swf_type = known[-1].spec, known[-1].workflow_type
        else:  # started elsewhere (a child run...): its tasks come from its history alone
            spec = DeciderSpec(domain=self.domain)
            swf_type = WorkflowType(domain=self.domain, name=kind["name"], version=kind["version"])
        return Launched(self.domain, execution["workflowId"], execution["runId"], spec, swf_type)

    def __repr__(self) -> str:
        if self._launcher is None:
            return "<floto.testing.Environment (not started)>"
        clock = ", time skipping" if self._time_skipping else ""
        return f"<floto.testing.Environment {self.domain} at {self.endpoint_url}{clock}>"
