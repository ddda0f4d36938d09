"""Launcher: register what a workflow needs, serve it with workers and deciders, start runs."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider, DynamicDecider
from floto.errors import SpecError
from floto.history import ExecutionState
from floto.launch._failure import LaunchError
from floto.launch._handle import RunHandle
from floto.launch._resolve import ChildType, Needs, needs_of, to_spec
from floto.launch._services import ProcessService, Service, wait_for_first_polls
from floto.specs import DeciderSpec
from floto.worker import ActivityRegistry, ActivityWorker, default_registry

log = logging.getLogger("floto.launch")

DEFAULT_WORKFLOW_TYPE = ("floto_workflow", "1")
"""The workflow type runs are started as unless told otherwise."""


@dataclass(frozen=True)
class Launched:
    """A run a launcher started.

    Attributes:
        domain, workflow_id, run_id: which run.
        spec: the DeciderSpec its decider runs (task lists filled in).
        workflow_type: the WorkflowType it was started as.
    """

    domain: str
    workflow_id: str
    run_id: str
    spec: DeciderSpec
    workflow_type: WorkflowType

    @property
    def task_list(self) -> str:
        """The run's decision task list."""
        return self.spec.task_list or ""


def _workflow_type_pair(value: Any, default: tuple[str, str]) -> tuple[str, str]:
    if value is None:
        return default
    if isinstance(value, WorkflowType):
        return value.name, value.version  # type: ignore[return-value]
    if isinstance(value, str) and value.strip():
        return value, "1"
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(part, str) and part.strip() for part in value)
    ):
        return value[0], value[1]
    raise SpecError(
        f"must be a floto.api.WorkflowType, a (name, version) pair or a name; got {value!r}",
        path="workflow_type",
    )


def _child_task_list(domain: str, child: ChildType) -> str:
    """Where a child type's runs go when its ChildWorkflow task names no task list."""
    key = f"{domain}\0{child.name}\0{child.version}".encode()
    return f"floto-children-{hashlib.sha1(key).hexdigest()[:12]}"


class Launcher:
    """Registers what workflows need and runs the workers and deciders that serve them.

    On :meth:`start` it registers the domain and starts ``workers`` activity workers on its
    activity task list. :meth:`launch` takes a workflow (a ``floto.dsl.Workflow``, a
    ``DeciderSpec``, its JSON, a task or a list of tasks), checks its graph, registers the
    workflow type and every activity type its tasks need (and every function in the
    registry, so that generated tasks find their types), makes sure a decider serves its
    task list, starts workers on any other activity task list its tasks name, and starts the
    run. Registration is idempotent. :meth:`stop` stops everything.

    Each distinct spec gets a decider thread of its own on a task list derived from the
    spec's content (:func:`floto.launch.derive_task_list`), so different workflows never
    share a decider. Child workflows whose input carries ``activity_tasks`` are decided by a
    DynamicDecider on their task list.

    Workers are threads by default: they look each task's function up in the registry when
    the task arrives, so a function redefined (re-registered) later is the one that runs
    next. ``worker_processes=True`` forks processes instead (POSIX), which see the registry
    as it was when they started.

    Args:
        domain: the SWF domain (registered on start).
        endpoint_url: the SWF endpoint (default: boto3's, e.g. ``AWS_ENDPOINT_URL_SWF``).
        swf: the :class:`floto.api.Swf` for registrations and starts (default: a new one).
        registry: where workers find functions (default: floto's default registry).
        workers: activity workers per activity task list.
        task_list: the default activity task list (default: ``floto-activities-<random>``,
            so that two launchers on one domain never take each other's tasks).
        worker_processes: run workers as forked processes instead of threads.
        heartbeat_in_seconds: the workers' heartbeat interval (0: none).
        workflow_type: the type runs are started as by default: a WorkflowType, a
            ``(name, version)`` pair or a name.
        decision_timeout: seconds a decision task may take (registered with the types).
        check_served: refuse a workflow whose activities the registry has no function for.
        retention_days: how long SWF keeps closed runs of a domain registered here.
        swf_factory: makes the :class:`floto.api.Swf` of each poller, in the poller's own
            thread (default: one on the launcher's endpoint). A client of its own per poller,
            because a long poll holds a pooled connection for up to a minute.
        ready_timeout: seconds :meth:`launch` waits for the run's decider and workers to be
            polling before it starts the run (0: start at once). A run started before its
            pollers arrive is only picked up later on SWF; on a time-skipping local engine,
            a decision task nobody is there to take lets the clock jump, possibly to the
            run's own timeout.

    Example::

        with Launcher("floto_test", workers=2) as launcher:
            launched = launcher.launch(a >> b, input={"day": "2024-01-02"})
            state = launcher.wait(launched, timeout=60)
    """

    def __init__(
        self,
        domain: str,
        *,
        endpoint_url: str | None = None,
        swf: Swf | None = None,
        registry: ActivityRegistry | None = None,
        workers: int = 2,
        task_list: str | None = None,
        worker_processes: bool = False,
        heartbeat_in_seconds: float = 90,
        workflow_type: Any = DEFAULT_WORKFLOW_TYPE,
        decision_timeout: int = 30,
        check_served: bool = True,
        retention_days: int = 1,
        swf_factory: Callable[[], Swf] | None = None,
        ready_timeout: float = 10.0,
    ) -> None:
        if not isinstance(domain, str) or not domain.strip():
            raise SpecError(f"must be a non-empty string, got {domain!r}", field="domain")
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
            raise SpecError(f"must be a whole number >= 0, got {workers!r}", field="workers")
        self.domain = domain
        self.endpoint_url = endpoint_url
        self.swf = swf if swf is not None else Swf(endpoint_url=endpoint_url)
        self.swf_factory = swf_factory or self._default_swf_factory
        self.registry = registry if registry is not None else default_registry
        self.workers = workers
        self.task_list = task_list or f"floto-activities-{uuid.uuid4().hex[:8]}"
        self.worker_processes = worker_processes
        self.heartbeat_in_seconds = heartbeat_in_seconds
        self.workflow_type = _workflow_type_pair(workflow_type, DEFAULT_WORKFLOW_TYPE)
        self.decision_timeout = decision_timeout
        self.check_served = check_served
        self.retention_days = retention_days
        self.ready_timeout = ready_timeout
        self.services: list[Service] = []
        self._deciders: dict[str, tuple[dict[str, Any], Service]] = {}
        self._registered: set[tuple[str, str, str]] = set()
        self._lock = threading.RLock()
        self._started = self._stopped = False

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> Launcher:
        """Register the domain and start the workers of the default activity task list."""
        with self._lock:
            if self._stopped:
                raise LaunchError("this launcher was stopped; make a new one")
            if not self._started:
                self.swf.domains.register_domain(
                    self.domain, retention_period=str(self.retention_days)
                )
                self._started = True
                self.ensure_workers(self.task_list)
        return self

    def stop(self, timeout: float = 5.0) -> list[str]:
        """Stop every worker and decider; wait up to ``timeout`` seconds for them.

        A poller ends when its current poll returns (at once if a task arrives, else after
        the engine's poll wait: 60 s on SWF) and after finishing the task in hand, so
        threads still polling are left to end on their own (they are daemon threads and
        take no new task). Worker processes still alive at the deadline are killed.

        Returns:
            The names of the pollers still running.
        """
        with self._lock:
            self._stopped = True
            services = list(self.services)
        for service in services:
            service.stop()
        deadline = time.monotonic() + timeout
        for service in services:
            service.join(max(0.0, deadline - time.monotonic()))
        for service in services:
            if isinstance(service, ProcessService) and service.alive:
                service.kill()
        return [service.name for service in services if service.alive]

    def __enter__(self) -> Launcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def stopped(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stopped

    # -- preparing -----------------------------------------------------------------------
    def prepare(self, workflow: Any, *, input: Any = None) -> Needs:
        """Resolve and check ``workflow`` and register what it needs (not its workflow type).

        Raises:
            SpecError: not a workflow, another domain, a bad graph (GraphError); with
                ``check_served``, UnservedTaskError naming the activities no function serves.
            SwfError: a registration failed for another reason than "already exists".
        """
        spec = to_spec(workflow, domain=self.domain, default_activity_task_list=self.task_list)
        needs = needs_of(spec, input)
        if self.check_served and needs.activity_tasks:
            self.registry.check_serves(needs.activity_tasks)
        self.start()
        self._register_activity_types(needs)
        for child in needs.children:
            task_list = child.task_list or _child_task_list(self.domain, child)
            self.register_workflow_type((child.name, child.version), task_list=task_list)
        return needs

    def _register_activity_types(self, needs: Needs) -> None:
        types = set(needs.activity_types)
        types.update((d.name, d.version) for d in self.registry)  # generated tasks need them
        for name, version in sorted(types):
            if self._once("activity", name, version):
                self.swf.register_activity_type(
                    ActivityType(
                        domain=self.domain, name=name, version=version,
                        default_task_list=self.task_list,
                    )
                )  # fmt: skip

    def register_workflow_type(self, workflow_type: Any = None, *, task_list: str) -> WorkflowType:
        """Register a workflow type (idempotent); returns it.

        Args:
            workflow_type: a WorkflowType (registered as it is), a ``(name, version)`` pair or
                a name (default: the launcher's ``workflow_type``).
            task_list: the type's default decision task list, for a type registered here.
        """
        if isinstance(workflow_type, WorkflowType):
            if workflow_type.domain != self.domain:
                raise SpecError(
                    f"is for domain {workflow_type.domain!r}, not {self.domain!r}",
                    path="workflow_type",
                )
            swf_type = workflow_type
        else:
            name, version = _workflow_type_pair(workflow_type, self.workflow_type)
            swf_type = WorkflowType(
                domain=self.domain, name=name, version=version, default_task_list=task_list,
                default_task_start_to_close_timeout=self.decision_timeout,
            )  # fmt: skip
        if self._once("workflow", swf_type.name or "", swf_type.version or ""):
            self.swf.register_workflow_type(swf_type)
        return swf_type

    def _once(self, kind: str, name: str, version: str) -> bool:
        with self._lock:
            key = (kind, name, version)
            if key in self._registered:
                return False
            self._registered.add(key)
            return True

    # -- serving ---------------------------------------------------------------------------
    def serve(self, needs: Needs) -> None:
        """Make sure deciders and workers serve everything ``needs`` lists (idempotent).

        Raises:
            LaunchError: the spec's task list is already served for a different spec.
        """
        self.start()
        self.ensure_decider(needs.spec)
        for task_list in needs.activity_task_lists:
            self.ensure_workers(task_list)
        for child in needs.children:
            if not child.has_tasks:
                log.info("child workflow %s/%s has no activity_tasks in its input: it needs a "
                         "decider of its own", child.name, child.version)  # fmt: skip
                continue
            task_list = child.task_list or _child_task_list(self.domain, child)
            self.ensure_decider(
                DeciderSpec(domain=self.domain, task_list=task_list,
                            default_activity_task_list=self.task_list)
            )  # fmt: skip

    def ensure_decider(self, spec: DeciderSpec) -> Service:
        """The decider thread serving ``spec`` (started now if none runs; restarted if it ended).

        A spec without tasks is served by a DynamicDecider (its runs carry their tasks).

        Raises:
            LaunchError: its task list is served for a different spec.
        """
        task_list = spec.task_list
        if not task_list:
            raise SpecError("a served spec needs a task_list", path="spec.task_list")
        document = spec.to_dict()
        with self._lock:
            self._check_open()
            known = self._deciders.get(task_list)
            if known is not None and known[0] != document:
                raise LaunchError(
                    f"decision task list {task_list!r} is already served for another workflow; "
                    "give this one another task_list (or leave it out to derive one)"
                )
            if known is not None and known[1].alive:
                return known[1]
            cls = DynamicDecider if spec.activity_tasks is None else Decider
            decider = cls(spec, swf=self.swf)  # checks the spec now; its own client comes later
            service = Service(f"decider {task_list}", "decider", task_list, decider,
                              self.swf_factory).start()  # fmt: skip
            self._deciders[task_list] = (document, service)
            self.services.append(service)
            return service

    def wait_until_polling(self, needs: Needs, timeout: float | None = None) -> bool:
        """Wait until every task list ``needs`` uses (its decider's, its children's where this
        launcher decides them, its activity lists) has a poller that sent its first poll.

        Returns:
            Whether they all did within ``timeout`` seconds (default: ``ready_timeout``).
        """
        lists = {("decider", needs.spec.task_list or "")}
        lists.update(("worker", task_list) for task_list in needs.activity_task_lists)
        for child in needs.children:
            if child.has_tasks:
                lists.add(("decider", child.task_list or _child_task_list(self.domain, child)))
        with self._lock:
            services = [s for s in self.services if (s.kind, s.task_list) in lists and s.alive]
        return wait_for_first_polls(services, self.ready_timeout if timeout is None else timeout)

    def ensure_workers(self, task_list: str) -> list[Service]:
        """The workers polling ``task_list`` (``workers`` of them, started now if missing)."""
        with self._lock:
            self._check_open()
            running = [s for s in self.services if s.kind == "worker" and s.task_list == task_list]
            running = [s for s in running if s.alive]
            for number in range(len(running) + 1, self.workers + 1):
                name = f"worker {task_list} #{number}"
                if self.worker_processes:
                    service: Service = ProcessService(
                        name, task_list, functools.partial(self._new_worker, task_list)
                    )
                else:  # built with the launcher's client, given its own in its thread
                    worker = self._worker(task_list, self.swf)
                    service = Service(name, "worker", task_list, worker, self.swf_factory)
                running.append(service.start())
                self.services.append(service)
            return running

    def _new_worker(self, task_list: str) -> ActivityWorker:
        """A worker with a client of its own (built in the process that runs it)."""
        return self._worker(task_list, self.swf_factory())

    def _worker(self, task_list: str, swf: Swf) -> ActivityWorker:
        return ActivityWorker(
            self.domain, task_list, heartbeat_in_seconds=self.heartbeat_in_seconds, swf=swf,
            registry=self.registry,
        )  # fmt: skip

    def _default_swf_factory(self) -> Swf:
        return Swf(endpoint_url=self.endpoint_url or self.swf.endpoint_url)

    def _check_open(self) -> None:
        if self._stopped:
            raise LaunchError("this launcher was stopped; make a new one")

    # -- runs --------------------------------------------------------------------------------
    def launch(
        self,
        workflow: Any,
        input: Any = None,
        *,
        workflow_id: str | None = None,
        workflow_type: Any = None,
        tag_list: list[str] | None = None,
        execution_timeout: int | None = None,
    ) -> Launched:
        """Check, register, serve and start ``workflow``; returns once the run has started.

        Args:
            workflow: a ``floto.dsl.Workflow``, a ``DeciderSpec`` or its JSON, a task or a list
                of tasks.
            input: the workflow input (JSON-serialisable, or a str sent as it is).
            workflow_id: the run's workflow id (default: ``<type name>-<UTC time>-<random>``).
            workflow_type: a WorkflowType, ``(name, version)`` or a name (default: the
                launcher's).
            tag_list: SWF tags of the run.
            execution_timeout: seconds the run may take before SWF times it out (default:
                its workflow type's, 24 hours for types registered here).

        Raises:
            SpecError: a bad workflow (see :meth:`prepare`), a bad workflow type.
            LaunchError: the launcher was stopped, or the task list is taken.
            SwfError: SWF refused (e.g. WorkflowAlreadyStartedError: the id has an open run).
        """
        needs = self.prepare(workflow, input=input)
        swf_type = self.register_workflow_type(workflow_type, task_list=needs.spec.task_list or "")
        self.serve(needs)
        if self.ready_timeout > 0:
            self.wait_until_polling(needs)
        workflow_id = workflow_id or new_workflow_id(swf_type.name or "run")
        response = self.swf.start_workflow_execution(
            domain=self.domain, workflow_type_name=swf_type.name or "",
            workflow_type_version=swf_type.version or "", workflow_id=workflow_id,
            task_list=needs.spec.task_list, input=input, tag_list=tag_list,
            execution_start_to_close_timeout=execution_timeout,
        )  # fmt: skip
        log.info("started %s (run %s) on %s", workflow_id, response["runId"], needs.spec.task_list)
        return Launched(self.domain, workflow_id, response["runId"], needs.spec, swf_type)

    def handle(self, launched: Launched) -> RunHandle:
        """The :class:`RunHandle` of a run this launcher started (its spec's graph)."""
        return RunHandle(
            self.swf, launched.domain, launched.workflow_id, launched.run_id, spec=launched.spec
        )

    def wait(self, launched: Launched, timeout: float | None = None) -> ExecutionState:
        """Wait until the run has closed; its ExecutionState (``self.handle(launched).wait``).

        Raises:
            WaitTimeoutError: still open after ``timeout`` seconds.
        """
        return self.handle(launched).wait(timeout)

    def __repr__(self) -> str:
        alive = sum(service.alive for service in self.services)
        return f"<Launcher {self.domain} at {self.swf.endpoint_url}: {alive} pollers running>"


def new_workflow_id(prefix: str) -> str:
    """``<prefix>-<UTC yyyymmddThhmmss>-<6 hex>``: unique, readable, sortable by start."""
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{prefix}-{now}-{uuid.uuid4().hex[:6]}"
