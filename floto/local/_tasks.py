"""Decision and activity tasks: moto's classes with the state the engine needs."""

from __future__ import annotations

from typing import Any

from moto.swf.models import ActivityTask, DecisionTask

from floto.local._clock import CLOCK
from floto.local._compat import moto_override
from floto.local._events import type_dict
from floto.local._oplog import OPLOG
from floto.local._timers import Entry


class Untracked:
    """Mixin: skip moto's ``BaseModel`` instance tracking, which keeps every object forever."""

    @moto_override
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return object.__new__(cls)


class LocalDecisionTask(Untracked, DecisionTask):
    """A decision task; ``previous_started_event_id`` is 0 on a run's first task."""

    workflow_execution: Any  # the run (floto.local._execution, a layer above), set by moto

    @moto_override
    def __init__(self, workflow_execution: Any, scheduled_event_id: int) -> None:
        super().__init__(workflow_execution, scheduled_event_id)
        self.task_token = OPLOG.new_token()  # an operation's ids are recorded, for its replay
        self.previous_started_event_id = 0
        self.timeout_entry: Entry | None = None  # its start-to-close timeout, once started

    @moto_override
    def start(self, started_event_id: int, previous_started_event_id: int | None = None) -> None:
        self.state = "STARTED"
        self.started_timestamp = CLOCK.now()
        self.started_event_id = started_event_id
        self.previous_started_event_id = previous_started_event_id or 0

    def response_head(self) -> dict[str, Any]:
        """The poll response without its events."""
        wfe = self.workflow_execution
        return {
            "taskToken": self.task_token,
            "startedEventId": self.started_event_id,
            "previousStartedEventId": self.previous_started_event_id,
            "workflowExecution": wfe.to_short_dict(),
            "workflowType": type_dict(wfe.workflow_type),
        }


class LocalActivityTask(Untracked, ActivityTask):
    """An activity task with its task list, control, and cancellation and timing state."""

    workflow_execution: Any  # the run (floto.local._execution, a layer above), set by moto

    @moto_override
    def __init__(self, *, task_list: str, control: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.task_token = OPLOG.new_token()
        self.task_list = task_list
        self.control = control
        self.scheduled_timestamp = CLOCK.now()
        self.started_timestamp: float | None = None
        self.timeouts_due: list[Entry] = []
        self.cancel_requested_event_id: int | None = None
        self.identity: str | None = None

    @moto_override
    def to_full_dict(self) -> dict[str, Any]:
        hsh: dict[str, Any] = {
            "activityId": self.activity_id,
            "activityType": type_dict(self.activity_type),
            "taskToken": self.task_token,
            "startedEventId": self.started_event_id,
            "workflowExecution": self.workflow_execution.to_short_dict(),
        }
        if self.input is not None:
            hsh["input"] = self.input
        return hsh

    @moto_override
    def start(self, started_event_id: int) -> None:
        self.state = "STARTED"
        self.started_event_id = started_event_id
        self.started_timestamp = self.last_heartbeat_timestamp = CLOCK.now()

    def cancel_timeouts(self) -> None:
        """The task closed: its timeouts will not fire, and draw no time skip."""
        for entry in self.timeouts_due:
            entry.drop()
        self.timeouts_due.clear()
