"""Hand-made SWF histories: events with consecutive ids, shaped as SWF and botocore give them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from floto import wire
from floto.ids import to_swf_id

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


class H:
    """Builds a history; each method appends one event and returns its id.

    ``same_time=True`` gives every event the same timestamp (derivation must not care).
    """

    def __init__(self, *, same_time: bool = False) -> None:
        self.events: list[dict[str, Any]] = []
        self.same_time = same_time

    def add(self, event_type: str, **attrs: Any) -> int:
        event_id = len(self.events) + 1
        offset = 0 if self.same_time else event_id
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append(
            {
                "eventId": event_id,
                "eventType": event_type,
                "eventTimestamp": T0 + dt.timedelta(seconds=offset),
                key: {k: v for k, v in attrs.items() if v is not None},
            }
        )
        return event_id

    # workflow --------------------------------------------------------------------------
    def start(self, input: Any = None, *, raw: str | None = None, task_list: str = "d") -> int:
        text = raw if raw is not None else (None if input is None else json.dumps(input))
        return self.add(
            "WorkflowExecutionStarted",
            input=text,
            taskList={"name": task_list},
            workflowType={"name": "wf", "version": "1"},
            executionStartToCloseTimeout="300",
            taskStartToCloseTimeout="5",
            childPolicy="TERMINATE",
        )

    def decision(self) -> int:
        """A decision task scheduled, started and completed; returns the completed id."""
        scheduled = self.add("DecisionTaskScheduled", taskList={"name": "d"})
        started = self.add("DecisionTaskStarted", scheduledEventId=scheduled)
        return self.add("DecisionTaskCompleted", scheduledEventId=scheduled, startedEventId=started)

    def decision_started(self) -> int:
        scheduled = self.add("DecisionTaskScheduled", taskList={"name": "d"})
        return self.add("DecisionTaskStarted", scheduledEventId=scheduled)

    # activities ------------------------------------------------------------------------
    def scheduled(self, task_id: str, name: str = "a") -> int:
        return self.add(
            "ActivityTaskScheduled",
            activityId=to_swf_id(task_id),
            activityType={"name": name, "version": "1"},
        )

    def started(self, scheduled: int) -> int:
        return self.add("ActivityTaskStarted", scheduledEventId=scheduled, identity="w1")

    def completed(self, scheduled: int, result: Any = None, *, raw: str | None = None) -> int:
        text = raw if raw is not None else (None if result is None else json.dumps(result))
        return self.add("ActivityTaskCompleted", scheduledEventId=scheduled, result=text)

    def failed(self, scheduled: int, reason: str = "boom", details: str | None = None) -> int:
        return self.add(
            "ActivityTaskFailed", scheduledEventId=scheduled, reason=reason, details=details
        )

    def timed_out(self, scheduled: int, kind: str = "START_TO_CLOSE") -> int:
        return self.add("ActivityTaskTimedOut", scheduledEventId=scheduled, timeoutType=kind)

    def run(self, task_id: str, result: Any = None, name: str = "a") -> int:
        """Schedule, start and complete ``task_id``; returns the scheduled event id."""
        scheduled = self.scheduled(task_id, name)
        self.started(scheduled)
        self.completed(scheduled, result)
        return scheduled

    # timers ----------------------------------------------------------------------------
    def timer(self, timer_id: str, seconds: int = 1, control: str | None = None) -> int:
        return self.add(
            "TimerStarted", timerId=timer_id, startToFireTimeout=str(seconds), control=control
        )

    def fired(self, started: int, timer_id: str) -> int:
        return self.add("TimerFired", timerId=timer_id, startedEventId=started)

    def retry_timer(self, task_id: str, failures: int, seconds: int = 2) -> int:
        return self.timer(
            wire.retry_timer_id(task_id, failures), seconds, wire.control(retry=task_id)
        )

    # children --------------------------------------------------------------------------
    def child(self, task_id: str, parent: str = "parent") -> int:
        return self.add(
            "StartChildWorkflowExecutionInitiated",
            workflowId=wire.child_workflow_id(parent, task_id),
            workflowType={"name": "child", "version": "1"},
            control=wire.control(task=task_id),
        )

    def child_started(self, initiated: int, workflow_id: str = "c", run_id: str = "r") -> int:
        return self.add(
            "ChildWorkflowExecutionStarted",
            initiatedEventId=initiated,
            workflowExecution={"workflowId": workflow_id, "runId": run_id},
        )

    def child_closed(self, initiated: int, event_type: str, **attrs: Any) -> int:
        return self.add(
            event_type, initiatedEventId=initiated, workflowExecution={"workflowId": "c"}, **attrs
        )

    # markers and signals ---------------------------------------------------------------
    def marker(self, name: str, details: str | None) -> int:
        return self.add("MarkerRecorded", markerName=name, details=details)

    def signal(self, name: str, input: Any = None, *, raw: str | None = None) -> int:
        text = raw if raw is not None else json.dumps(input)
        return self.add("WorkflowExecutionSignaled", signalName=name, input=text)
