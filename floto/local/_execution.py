"""The run model: a workflow execution's history, its one decision task, how it closes, and
its links to its parent and children.

Subclasses moto's ``WorkflowExecution``; state that moto finds by scanning the whole domain
(tasks, timers) lives on the run itself, indexed. Handlers of decisions and calls (activities,
child workflows, decisions: the modules above this one) act on a run through its methods; the
run never calls up into them. What a run needs from its backend (queues, task tokens) it gets
as ``backend`` when it is built.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Protocol

from moto.swf.models import WorkflowExecution

from floto.local._clock import CLOCK
from floto.local._compat import moto_override
from floto.local._events import Event, new_event, type_dict
from floto.local._oplog import OPLOG
from floto.local._state import CONFIG
from floto.local._tasks import LocalActivityTask, LocalDecisionTask, Untracked
from floto.local._timers import SCHEDULER, Entry

_CHILD_CLOSED = {
    "COMPLETED": ("ChildWorkflowExecutionCompleted", ("result",)),
    "FAILED": ("ChildWorkflowExecutionFailed", ("reason", "details")),
    "CANCELED": ("ChildWorkflowExecutionCanceled", ("details",)),
    "TERMINATED": ("ChildWorkflowExecutionTerminated", ()),
    "TIMED_OUT": ("ChildWorkflowExecutionTimedOut", ("timeoutType",)),
}


class RunHost(Protocol):
    """What a run (and the handlers acting on it) needs from the backend that holds it."""

    tokens: dict[str, Any]

    def enqueue_decision(self, wfe: LocalExecution) -> None: ...

    def enqueue_activity(self, domain_name: str, task: LocalActivityTask) -> None: ...

    def add_and_start(self, domain: Any, wfe: LocalExecution) -> LocalExecution: ...

    def on_closed(self, wfe: LocalExecution) -> None: ...


@dataclass
class ChildLink:
    """What a parent knows of one open child."""

    child: LocalExecution
    initiated_event_id: int
    started_event_id: int


def seconds(value: str | None) -> float | None:
    """A duration as SWF spells it (``"30"`` or ``"NONE"``) in seconds; None for NONE."""
    if value is None or str(value).upper() == "NONE":
        return None
    return float(value)


def _drop(entry: Entry | None) -> None:
    if entry is not None:
        entry.drop()


class LocalExecution(Untracked, WorkflowExecution):
    """One run of a workflow, as SWF keeps it."""

    moto_uses = ("open", "to_short_dict", "to_list_dict", "validate_decisions")

    @moto_override
    def __init__(self, domain: Any, workflow_type: Any, workflow_id: str, **kwargs: Any) -> None:
        self.backend: RunHost = kwargs.pop("backend")
        parent: LocalExecution | None = kwargs.pop("parent", None)
        self.parent_initiated_event_id: int | None = kwargs.pop("parent_initiated_event_id", None)
        self.continued_execution_run_id: str | None = kwargs.pop("continued_run_id", None)
        self.task_priority: str | None = kwargs.pop("task_priority", None)
        super().__init__(domain, workflow_type, workflow_id, **kwargs)
        self.run_id = OPLOG.new_id()  # an operation's ids are recorded, for its replay
        self.parent_wfe = parent
        self.parent = parent.to_short_dict() if parent else None  # type: ignore[assignment]
        self.events_list: list[Event] = []
        self.open_activities: dict[str, LocalActivityTask] = {}
        self.timers: dict[str, tuple[int, Entry]] = {}  # id: (TimerStarted id, its entry)
        self.run_timeout: Entry | None = None
        self.children: dict[str, ChildLink] = {}
        self.scheduled_dt: LocalDecisionTask | None = None
        self.started_dt: LocalDecisionTask | None = None
        self.last_completed_started_id = 0
        self.new_events_since_start = False
        self.handling_decisions = False
        self.decision_after_handling = False

    # snapshots: moto's lock (used only by moto's _add_event, which floto replaces) cannot be
    # pickled; a new one comes back
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("threading_lock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.threading_lock = threading.Lock()

    # history ---------------------------------------------------------------------------
    @moto_override
    def events(self, reverse_order: bool = False) -> list[Event]:  # type: ignore[override]
        return self.events_list[::-1] if reverse_order else self.events_list

    @moto_override
    def next_event_id(self) -> int:
        return len(self.events_list) + 1

    def add(self, event_type: str, **attrs: Any) -> Event:
        """Record an event; a run that reaches SWF's event limit is terminated."""
        evt = new_event(len(self.events_list) + 1, event_type, **attrs)
        self.events_list.append(evt)
        OPLOG.changed()
        SCHEDULER.changed()
        if self.open and len(self.events_list) >= CONFIG.max_history_events - 1:
            self.terminate(cause="EVENT_LIMIT_EXCEEDED")
        return evt

    @moto_override
    def _add_event(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("floto.local records events with add()")

    # start -----------------------------------------------------------------------------
    @moto_override
    def start(self) -> None:
        self.start_timestamp = CLOCK.now()
        parent = self.parent_wfe
        self.add(
            "WorkflowExecutionStarted",
            input=self.input,
            executionStartToCloseTimeout=self.execution_start_to_close_timeout,
            taskStartToCloseTimeout=self.task_start_to_close_timeout,
            childPolicy=self.child_policy,
            taskList={"name": self.task_list},
            taskPriority=self.task_priority,
            workflowType=type_dict(self.workflow_type),
            tagList=self.tag_list or None,
            continuedExecutionRunId=self.continued_execution_run_id,
            parentWorkflowExecution=parent.to_short_dict() if parent else None,
            parentInitiatedEventId=self.parent_initiated_event_id,
        )
        limit = seconds(self.execution_start_to_close_timeout)
        if limit is not None:
            self.run_timeout = SCHEDULER.at(self.start_timestamp + limit, self._workflow_timeout)
        self.schedule_decision_task()

    def _workflow_timeout(self) -> None:
        if self.open:
            self.timeout_run()

    # decision tasks --------------------------------------------------------------------
    def needs_decision(self) -> None:
        """Something happened that the decider must see: schedule a decision task (once)."""
        if not self.open:
            return
        if self.handling_decisions:
            self.decision_after_handling = True
        elif self.started_dt is not None:
            self.new_events_since_start = True
        else:
            self.schedule_decision_task()

    @moto_override
    def schedule_decision_task(self) -> None:
        if not self.open or self.scheduled_dt is not None or self.started_dt is not None:
            return
        evt = self.add(
            "DecisionTaskScheduled",
            taskList={"name": self.task_list},
            startToCloseTimeout=self.task_start_to_close_timeout,
            taskPriority=self.task_priority,
        )
        self.scheduled_dt = LocalDecisionTask(self, evt.event_id)
        self.backend.enqueue_decision(self)

    @moto_override
    def _schedule_decision_task(self) -> None:
        self.schedule_decision_task()

    @moto_override
    def start_decision_task(self, task_token: str = "", identity: str | None = None) -> None:
        dt = self.scheduled_dt
        assert dt is not None
        self.scheduled_dt = None
        evt = self.add(
            "DecisionTaskStarted", scheduledEventId=dt.scheduled_event_id, identity=identity
        )
        dt.start(evt.event_id, self.last_completed_started_id)
        self.started_dt = dt
        self.new_events_since_start = False
        self.backend.tokens[dt.task_token] = dt
        limit = seconds(self.task_start_to_close_timeout)
        if limit is not None:
            assert dt.started_timestamp is not None  # set by dt.start()
            due = dt.started_timestamp + limit
            dt.timeout_entry = SCHEDULER.at(due, self._decision_timeout, dt)

    def _decision_timeout(self, dt: LocalDecisionTask) -> None:
        if not self.open or self.started_dt is not dt:
            return
        self.started_dt = None
        dt.state = "TIMED_OUT"
        self.backend.tokens.pop(dt.task_token, None)
        self.add(
            "DecisionTaskTimedOut",
            scheduledEventId=dt.scheduled_event_id,
            startedEventId=dt.started_event_id,
            timeoutType="START_TO_CLOSE",
        )
        self.schedule_decision_task()

    def record_decision_completed(self, dt: LocalDecisionTask, execution_context: Any) -> int:
        """Close the started decision task (DecisionTaskCompleted); decisions are handled
        next, until :meth:`decisions_handled`. Returns the completed event's id."""
        evt = self.add(
            "DecisionTaskCompleted",
            scheduledEventId=dt.scheduled_event_id,
            startedEventId=dt.started_event_id,
            executionContext=execution_context,
        )
        dt.state = "COMPLETED"
        _drop(dt.timeout_entry)
        self.started_dt = None
        self.backend.tokens.pop(dt.task_token, None)
        self.last_completed_started_id = dt.started_event_id or 0
        if execution_context is not None:
            self.latest_execution_context = execution_context
        self.handling_decisions = True
        self.decision_after_handling = self.new_events_since_start
        return evt.event_id

    def decisions_handled(self) -> None:
        """The decisions are handled: schedule the next decision task if one is due."""
        self.handling_decisions = False
        if self.decision_after_handling:
            self.schedule_decision_task()

    # signals and cancellation ----------------------------------------------------------
    @moto_override
    def signal(
        self,
        signal_name: str,
        workflow_input: Any = None,
        external: Any = None,
        external_initiated_event_id: int | None = None,
    ) -> None:
        self.add(
            "WorkflowExecutionSignaled",
            signalName=signal_name,
            input=workflow_input,
            externalWorkflowExecution=external,
            externalInitiatedEventId=external_initiated_event_id,
        )
        self.needs_decision()

    def request_cancel(
        self, external: Any = None, initiated_event_id: int | None = None, cause: str | None = None
    ) -> None:
        self.cancel_requested = True
        self.add(
            "WorkflowExecutionCancelRequested",
            externalWorkflowExecution=external,
            externalInitiatedEventId=initiated_event_id,
            cause=cause,
        )
        self.needs_decision()

    # closing ---------------------------------------------------------------------------
    def close(self, status: str, event_type: str, **attrs: Any) -> Event:
        """Close the run: record the event, drop its tasks and timers, tell its parent."""
        self.execution_status = "CLOSED"
        self.close_status = status
        self.close_timestamp = CLOCK.now()
        evt = self.add(event_type, **attrs)
        _drop(self.run_timeout)
        for task in self.open_activities.values():
            self.backend.tokens.pop(task.task_token, None)
            task.cancel_timeouts()
        for dt in (self.scheduled_dt, self.started_dt):
            if dt is not None:
                self.backend.tokens.pop(dt.task_token, None)
                _drop(dt.timeout_entry)
        for _started_id, entry in self.timers.values():
            entry.drop()
        self.open_activities.clear()
        self.timers.clear()
        self.scheduled_dt = self.started_dt = None
        self._notify_parent(evt)
        self.backend.on_closed(self)
        return evt

    @moto_override
    def terminate(
        self,
        child_policy: str | None = None,
        details: Any = None,
        reason: str | None = None,
        cause: str = "OPERATOR_INITIATED",
    ) -> None:
        policy = child_policy or self.child_policy
        self.close(
            "TERMINATED",
            "WorkflowExecutionTerminated",
            reason=reason,
            details=details,
            childPolicy=policy,
            cause=cause,
        )
        self.close_cause = cause
        self._apply_child_policy(policy)

    def timeout_run(self) -> None:
        self.timeout_type = "START_TO_CLOSE"
        self.close(
            "TIMED_OUT",
            "WorkflowExecutionTimedOut",
            timeoutType="START_TO_CLOSE",
            childPolicy=self.child_policy,
        )
        self._apply_child_policy(self.child_policy)

    # parent and children ---------------------------------------------------------------
    def _notify_parent(self, closed: Event) -> None:
        """Tell an open parent that this child closed (ContinueAsNew keeps the link instead)."""
        parent = self.parent_wfe
        if parent is None or self.close_status == "CONTINUED_AS_NEW":
            return
        link = parent.children.get(self.workflow_id)
        if link is None or link.child is not self:
            return
        del parent.children[self.workflow_id]
        if not parent.open:
            return
        event_type, keys = _CHILD_CLOSED[self.close_status or "TERMINATED"]
        parent.add(
            event_type,
            workflowExecution=self.to_short_dict(),
            workflowType=type_dict(self.workflow_type),
            initiatedEventId=link.initiated_event_id,
            startedEventId=link.started_event_id,
            **{key: closed.attributes.get(key) for key in keys},
        )
        parent.needs_decision()

    def _apply_child_policy(self, policy: str | None) -> None:
        """On termination or time-out: TERMINATE, REQUEST_CANCEL or ABANDON the open children."""
        for link in list(self.children.values()):
            child = link.child
            if not child.open:
                continue
            if policy == "TERMINATE":
                child.terminate(cause="CHILD_POLICY_APPLIED")
            elif policy == "REQUEST_CANCEL":
                child.request_cancel(cause="CHILD_POLICY_APPLIED")

    # descriptions ----------------------------------------------------------------------
    @property
    def counts(self) -> dict[str, int]:
        return {
            "openActivityTasks": len(self.open_activities),
            "openDecisionTasks": int(self.scheduled_dt is not None or self.started_dt is not None),
            "openTimers": len(self.timers),
            "openChildWorkflowExecutions": len(self.children),
            "openLambdaFunctions": 0,
        }

    @moto_override
    def to_full_dict(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "taskStartToCloseTimeout": self.task_start_to_close_timeout,
            "executionStartToCloseTimeout": self.execution_start_to_close_timeout,
            "taskList": {"name": self.task_list},
            "childPolicy": self.child_policy,
        }
        if self.task_priority is not None:
            config["taskPriority"] = self.task_priority
        hsh: dict[str, Any] = {
            "executionInfo": self.to_list_dict(),
            "executionConfiguration": config,
            "openCounts": self.counts,
        }
        if self.latest_execution_context is not None:
            hsh["latestExecutionContext"] = self.latest_execution_context
        if self.latest_activity_task_timestamp:
            hsh["latestActivityTaskTimestamp"] = self.latest_activity_task_timestamp
        return hsh

    @moto_override
    def _process_timeouts(self) -> None:
        """Timeouts fire from the ticker (floto.local._timers); nothing to do lazily."""
