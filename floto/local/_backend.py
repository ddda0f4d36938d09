"""The SWF backend: moto's, with indexed state, task queues and real long polls.

Every method runs with the engine lock held (the response layer takes it). Each task list has
a queue (floto.local._queues) that long polls wait on. :func:`skip_allowed_at` is the idle
probe that time skipping hands to the ticker.
"""

from __future__ import annotations

import time
from typing import Any, cast

from moto.core.base_backend import BackendDict
from moto.swf.exceptions import (
    SWFDomainAlreadyExistsFault,
    SWFUnknownResourceFault,
)
from moto.swf.models import SWFBackend

from floto.local import _activities
from floto.local._clock import CLOCK
from floto.local._compat import moto_override
from floto.local._decisions import complete_decision_task, validate_decisions
from floto.local._domain import TYPE_CLASSES, LocalDomain, type_fault
from floto.local._execution import LocalExecution
from floto.local._queues import TaskQueue
from floto.local._quotas import check_call
from floto.local._state import CONFIG
from floto.local._tasks import LocalActivityTask, LocalDecisionTask


def _decision_ready(wfe: LocalExecution) -> bool:
    return wfe.open and wfe.scheduled_dt is not None and wfe.started_dt is None


def _activity_ready(task: LocalActivityTask) -> bool:
    return task.state == "SCHEDULED" and task.workflow_execution.open


def _discard(wfe: LocalExecution) -> None:
    """Undo a start that failed half-way: no task of the run is handed out (a closed run's
    tasks are never ready), no timer of it fires."""
    wfe.execution_status = "CLOSED"
    for entry in (wfe.run_timeout, getattr(wfe.scheduled_dt, "timeout_entry", None)):
        if entry is not None:
            entry.drop()
    wfe.scheduled_dt = None


BACKENDS: list[LocalSWFBackend] = []
"""Every backend of this process (one per account and region used)."""


def skip_allowed_at() -> float | None:
    """When (``time.monotonic()``) time skipping may move the clock ahead, if nothing changes;
    None while a task is worked on, or waits for a poller that is waiting for it."""
    allowed = float("-inf")
    for backend in BACKENDS:
        if backend.tokens:  # a started decision or activity task: real work
            return None
        for queue in backend.queues.values():
            expected = queue.expected_until()
            if expected is None:
                return None
            allowed = max(allowed, expected)
    return allowed


class LocalSWFBackend(SWFBackend):
    """moto's SWF backend with floto's extension (see the package docstring)."""

    moto_uses = ("tag_resource",)

    @moto_override
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.domains_by_name: dict[str, LocalDomain] = {}
        self.tokens: dict[str, Any] = {}
        self.queues: dict[tuple[str, str, str], TaskQueue] = {}
        BACKENDS.append(self)

    @moto_override
    def _process_timeouts(self) -> None:
        """Timeouts fire on their own (floto.local._timers)."""

    # domains and runs ------------------------------------------------------------------
    @moto_override
    def _get_domain(self, name: str, ignore_empty: bool = False) -> Any:
        domain = self.domains_by_name.get(name)
        if domain is None and not ignore_empty:
            raise SWFUnknownResourceFault("domain", name)
        return domain

    @moto_override
    def register_domain(
        self,
        name: str,
        workflow_execution_retention_period_in_days: Any,
        description: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> None:
        if name in self.domains_by_name:
            raise SWFDomainAlreadyExistsFault(name)
        domain = LocalDomain(
            name,
            workflow_execution_retention_period_in_days,
            account_id=self.account_id,
            region_name=self.region_name,
            description=description,
        )
        self.domains.append(domain)
        self.domains_by_name[name] = domain
        if tags:
            arn = domain.to_short_dict()["arn"]
            self.tag_resource(arn, {tag["Key"]: tag["Value"] for tag in tags})

    def domain_of_arn(self, arn: str) -> LocalDomain:
        """The domain whose ARN is ``arn`` (UnknownResourceFault if none: SWF's answer to
        tagging a resource that does not exist)."""
        for domain in self.domains_by_name.values():
            if domain.to_short_dict()["arn"] == arn:
                return domain
        raise SWFUnknownResourceFault("resource", arn)

    # types -----------------------------------------------------------------------------
    @moto_override
    def register_type(
        self, kind: str, domain_name: str, name: str, version: str, **kwargs: Any
    ) -> None:
        domain = self._get_domain(domain_name)
        existing = domain.get_type(kind, name, version, ignore_empty=True)
        if existing:
            raise type_fault("TypeAlreadyExistsFault", existing)
        new = TYPE_CLASSES[kind](name, version, **kwargs)
        new.stamp_created()
        domain.add_type(new)

    @moto_override
    def deprecate_type(self, kind: str, domain_name: str, name: str, version: str) -> None:
        self._set_status(kind, domain_name, name, version, "DEPRECATED", "TypeDeprecatedFault")

    @moto_override
    def undeprecate_type(self, kind: str, domain_name: str, name: str, version: str) -> None:
        self._set_status(kind, domain_name, name, version, "REGISTERED", "TypeAlreadyExistsFault")

    def delete_type(self, kind: str, domain_name: str, name: str, version: str) -> None:
        """Delete{Activity,Workflow}Type: only a deprecated type can be deleted."""
        domain = self._get_domain(domain_name)
        found = domain.get_type(kind, name, version)
        if found.status != "DEPRECATED":
            raise type_fault("TypeNotDeprecatedFault", found)
        del domain.types[kind][name][version]

    def _set_status(
        self, kind: str, domain_name: str, name: str, version: str, status: str, fault: str
    ) -> None:
        """(Un)deprecate a type; ``fault`` if it already has ``status``."""
        found = self._get_domain(domain_name).get_type(kind, name, version)
        if found.status == status:
            raise type_fault(fault, found)
        found.status = status
        if hasattr(found, "stamp_status"):  # types of an older data dir carry no dates
            found.stamp_status()

    @moto_override
    def start_workflow_execution(
        self,
        domain_name: str,
        workflow_id: str,
        workflow_name: str,
        workflow_version: str,
        tag_list: Any = None,
        workflow_input: str | None = None,
        **kwargs: Any,
    ) -> Any:
        domain = self._get_domain(domain_name)
        wf_type = domain.get_type("workflow", workflow_name, workflow_version)
        if wf_type.status == "DEPRECATED":
            raise type_fault("TypeDeprecatedFault", wf_type)
        wfe = LocalExecution(
            domain,
            wf_type,
            workflow_id,
            backend=self,
            tag_list=tag_list,
            workflow_input=workflow_input,
            **kwargs,
        )
        return self.add_and_start(domain, wfe)

    def add_and_start(self, domain: LocalDomain, wfe: LocalExecution) -> LocalExecution:
        """Add ``wfe`` to ``domain`` and start it; if starting fails (an engine bug: requests
        are validated first), the run never was, so its workflow id stays free."""
        domain.add_workflow_execution(wfe)
        try:
            wfe.start()
        except Exception:
            domain.forget(wfe)
            _discard(wfe)
            raise
        return wfe

    @moto_override
    def describe_workflow_execution(self, domain_name: str, run_id: str, workflow_id: str) -> Any:
        return self._get_domain(domain_name).get_workflow_execution(workflow_id, run_id=run_id)

    def on_closed(self, wfe: LocalExecution) -> None:
        cast(LocalDomain, wfe.domain).on_closed(wfe)

    # queues and long polls -------------------------------------------------------------
    def queue(self, domain_name: str, kind: str, task_list: str) -> TaskQueue:
        key = (domain_name, kind, task_list)
        queue = self.queues.get(key)
        if queue is None:
            ready = _decision_ready if kind == "decision" else _activity_ready
            queue = self.queues[key] = TaskQueue(ready)
        return queue

    def enqueue_decision(self, wfe: LocalExecution) -> None:
        self.queue(wfe.domain.name, "decision", wfe.task_list).push(wfe)

    def enqueue_activity(self, domain_name: str, task: LocalActivityTask) -> None:
        self.queue(domain_name, "activity", task.task_list).push(task)

    def wait_for_task(
        self, domain_name: str, kind: str, task_list: str, wait: float | None = None
    ) -> bool:
        """A long poll's wait, which changes nothing: True once a task of ``kind``
        ("decision" or "activity") is ready, False after ``wait`` (the poll wait) seconds.
        The poll then takes it (in the same hold of the engine lock)."""
        self._get_domain(domain_name)
        queue = self.queue(domain_name, kind, task_list)
        return queue.wait(time.monotonic() + (CONFIG.poll_wait if wait is None else wait))

    def _answered(self, task: LocalDecisionTask | LocalActivityTask) -> None:
        """``task`` was answered: the poller that took it will be back on its list soon."""
        wfe = task.workflow_execution
        if isinstance(task, LocalDecisionTask):
            queue = self.queue(wfe.domain.name, "decision", wfe.task_list)
        else:
            queue = self.queue(wfe.domain.name, "activity", task.task_list)
        queue.seen = time.monotonic()

    @moto_override
    def poll_for_decision_task(  # type: ignore[override]
        self,
        domain_name: str,
        task_list: str,
        identity: str | None = None,
    ) -> LocalDecisionTask | None:
        """Hand out the oldest ready decision task, None if none is ready (no waiting: see
        :meth:`wait_for_task`)."""
        self._get_domain(domain_name)
        wfe = self.queue(domain_name, "decision", task_list).take_ready()
        if wfe is None:
            return None
        dt = wfe.scheduled_dt
        wfe.start_decision_task(identity=identity)
        return dt

    @moto_override
    def poll_for_activity_task(  # type: ignore[override]
        self,
        domain_name: str,
        task_list: str,
        identity: str | None = None,
    ) -> LocalActivityTask | None:
        """Hand out the oldest ready activity task, None if none is ready."""
        self._get_domain(domain_name)
        task = self.queue(domain_name, "activity", task_list).take_ready()
        if task is not None:
            _activities.start_activity(task, identity)
        return task

    @moto_override
    def count_pending_decision_tasks(self, domain_name: str, task_list: str) -> int:  # type: ignore[override]
        self._get_domain(domain_name)
        return self.queue(domain_name, "decision", task_list).count_ready()

    @moto_override
    def count_pending_activity_tasks(self, domain_name: str, task_list: str) -> int:  # type: ignore[override]
        self._get_domain(domain_name)
        return self.queue(domain_name, "activity", task_list).count_ready()

    # task tokens -----------------------------------------------------------------------
    def _task(self, task_token: str, kind: type[Any]) -> Any:
        task: Any = self.tokens.get(task_token)
        if not (isinstance(task, kind) and task.workflow_execution.open):
            raise SWFUnknownResourceFault(
                "task, or it is no longer open: taskToken", task_token[:64]
            )
        return task

    @moto_override
    def respond_decision_task_completed(
        self,
        task_token: str,
        decisions: list[dict[str, Any]] | None = None,
        execution_context: str | None = None,
    ) -> None:
        dt = self._task(task_token, LocalDecisionTask)
        wfe = dt.workflow_execution
        validate_decisions(wfe, decisions or [])
        self._answered(dt)
        complete_decision_task(wfe, dt, decisions or [], execution_context)

    @moto_override
    def respond_activity_task_completed(self, task_token: str, result: Any = None) -> None:
        task = self._task(task_token, LocalActivityTask)
        self._answered(task)
        _activities.close_activity(task, "COMPLETED", "ActivityTaskCompleted", result=result)

    @moto_override
    def respond_activity_task_failed(
        self, task_token: str, reason: str | None = None, details: Any = None
    ) -> None:
        task = self._task(task_token, LocalActivityTask)
        self._answered(task)
        _activities.close_activity(
            task, "FAILED", "ActivityTaskFailed", reason=reason, details=details
        )

    def respond_activity_task_canceled(self, task_token: str, details: Any = None) -> None:
        task = self._task(task_token, LocalActivityTask)
        self._answered(task)
        _activities.close_activity(
            task,
            "CANCELED",
            "ActivityTaskCanceled",
            details=details,
            latestCancelRequestedEventId=task.cancel_requested_event_id,
        )

    @moto_override
    def record_activity_task_heartbeat(self, task_token: str, details: Any = None) -> bool:  # type: ignore[override]
        task = self._task(task_token, LocalActivityTask)
        check_call("RecordActivityTaskHeartbeat", task.workflow_execution.run_id, CLOCK.now())
        return _activities.heartbeat(task, details)

    # run-level calls -------------------------------------------------------------------
    def _open_run(self, domain_name: str, workflow_id: str, run_id: str | None) -> Any:
        domain = self._get_domain(domain_name)
        return domain.get_workflow_execution(workflow_id, run_id=run_id, raise_if_closed=True)

    @moto_override
    def terminate_workflow_execution(
        self,
        domain_name: str,
        workflow_id: str,
        child_policy: Any = None,
        details: Any = None,
        reason: str | None = None,
        run_id: str | None = None,
    ) -> None:
        wfe = self._open_run(domain_name, workflow_id, run_id)
        wfe.terminate(child_policy=child_policy, details=details, reason=reason)

    @moto_override
    def signal_workflow_execution(
        self,
        domain_name: str,
        signal_name: str,
        workflow_id: str,
        workflow_input: Any = None,
        run_id: str | None = None,
    ) -> None:
        wfe = self._open_run(domain_name, workflow_id, run_id)
        check_call("SignalWorkflowExecution", wfe.run_id, CLOCK.now())
        wfe.signal(signal_name, workflow_input)

    def request_cancel_workflow_execution(
        self, domain_name: str, workflow_id: str, run_id: str | None = None
    ) -> None:
        wfe = self._open_run(domain_name, workflow_id, run_id)
        check_call("RequestCancelWorkflowExecution", wfe.run_id, CLOCK.now())
        wfe.request_cancel()


swf_backends: BackendDict[LocalSWFBackend] = BackendDict(LocalSWFBackend, "swf")
