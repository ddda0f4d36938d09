"""What a history recorded, for replay: its events from a saved file, its decision tasks, and
each task's decisions (as SWF decision dicts, rebuilt from the events they caused).

Saved histories come as the AWS CLI writes them (``get-workflow-execution-history``:
``{"events": [...]}``), as a bare JSON list of events, or as ``floto history --json`` writes
them (one event object per line); timestamps as ISO text or epoch seconds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from floto import wire
from floto.errors import SpecError
from floto.history._book import attributes
from floto.history._markers import read_tasks_marker
from floto.history._payloads import parse_json
from floto.history._state import ExecutionState
from floto.specs.task import Task

Event = dict[str, Any]

# event type -> (decision type, the attributes the decision had)
_DECISIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ActivityTaskScheduled": (
        "ScheduleActivityTask",
        ("activityType", "activityId", "input", "taskList", "control"),
    ),
    "ScheduleActivityTaskFailed": ("ScheduleActivityTask", ("activityType", "activityId")),
    "TimerStarted": ("StartTimer", ("timerId", "startToFireTimeout", "control")),
    "StartTimerFailed": ("StartTimer", ("timerId",)),
    "MarkerRecorded": ("RecordMarker", ("markerName", "details")),
    "RecordMarkerFailed": ("RecordMarker", ("markerName",)),
    "StartChildWorkflowExecutionInitiated": (
        "StartChildWorkflowExecution",
        ("workflowType", "workflowId", "input", "taskList", "control"),
    ),
    "StartChildWorkflowExecutionFailed": (
        "StartChildWorkflowExecution",
        ("workflowType", "workflowId", "control"),
    ),
    "WorkflowExecutionCompleted": ("CompleteWorkflowExecution", ("result",)),
    "CompleteWorkflowExecutionFailed": ("CompleteWorkflowExecution", ()),
    "WorkflowExecutionFailed": ("FailWorkflowExecution", ("reason", "details")),
    "FailWorkflowExecutionFailed": ("FailWorkflowExecution", ()),
    "WorkflowExecutionCanceled": ("CancelWorkflowExecution", ("details",)),
    "CancelWorkflowExecutionFailed": ("CancelWorkflowExecution", ()),
    "WorkflowExecutionContinuedAsNew": ("ContinueAsNewWorkflowExecution", ("input",)),
    "ContinueAsNewWorkflowExecutionFailed": ("ContinueAsNewWorkflowExecution", ()),
    "TimerCanceled": ("CancelTimer", ("timerId",)),
    "CancelTimerFailed": ("CancelTimer", ("timerId",)),
    "ActivityTaskCancelRequested": ("RequestCancelActivityTask", ("activityId",)),
    "RequestCancelActivityTaskFailed": ("RequestCancelActivityTask", ("activityId",)),
}


@dataclass
class DecisionTask:
    """One decision task of a history that was answered.

    Attributes:
        number: 1 for the run's first decision task.
        started_event_id: its DecisionTaskStarted event (what the decider had seen).
        completed_event_id: its DecisionTaskCompleted event.
        decisions: the decisions it answered with, as SWF decision dicts rebuilt from the
            events they caused (in event order); a decision SWF refused has ``"refused":
            cause``.
    """

    number: int
    started_event_id: int
    completed_event_id: int
    decisions: list[dict[str, Any]] = field(default_factory=list)


def decision_tasks(events: Sequence[Event]) -> list[DecisionTask]:
    """The answered decision tasks of a history, in order (timed-out ones left out)."""
    tasks: dict[int, DecisionTask] = {}
    for event in sorted(events, key=lambda event: event["eventId"]):
        attrs = attributes(event)
        if event["eventType"] == "DecisionTaskCompleted":
            number = len(tasks) + 1
            completed = event["eventId"]
            tasks[completed] = DecisionTask(
                number, int(attrs.get("startedEventId") or 0), completed
            )
            continue
        owner = tasks.get(attrs.get("decisionTaskCompletedEventId"))  # type: ignore[arg-type]
        if owner is not None:
            owner.decisions.append(_decision(event, attrs))
    return list(tasks.values())


def _decision(event: Event, attrs: dict[str, Any]) -> dict[str, Any]:
    event_type = event["eventType"]
    decision_type, keys = _DECISIONS.get(event_type, (event_type, ()))
    key = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    decision: dict[str, Any] = {
        "decisionType": decision_type,
        key: {name: attrs[name] for name in keys if attrs.get(name) is not None},
    }
    if event_type.endswith("Failed") and event_type != "WorkflowExecutionFailed":
        decision["refused"] = attrs.get("cause") or "UNKNOWN"
    return decision


def recorded_tasks_of(details: Sequence[Any], recorded: Sequence[str] = ()) -> list[Task]:
    """The tasks a series of ``floto.tasks`` markers record (their details, in order);
    ``recorded``: the ids the run's earlier markers recorded (compact records refer to them).

    Raises:
        SpecError: a marker is not a task record floto wrote.
    """
    scratch = ExecutionState()
    scratch.index.recorded = list(recorded)
    tasks: list[Task] = []
    for text in details:
        tasks += read_tasks_marker(scratch, parse_json(text))
    return tasks


def marker_entries(decisions: Sequence[dict[str, Any]], name: str) -> list[Any]:
    """The entries of the list markers named ``name`` among ``decisions``, in order."""
    entries: list[Any] = []
    for decision in decisions:
        attrs = decision.get("recordMarkerDecisionAttributes") or {}
        if decision.get("decisionType") == "RecordMarker" and attrs.get("markerName") == name:
            value = parse_json(attrs.get("details"))
            entries += value if isinstance(value, list) else [value]
    return entries


def reused_entries_of(decisions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reuse entries (``floto.reused`` markers) a decision task recorded."""
    entries = marker_entries(decisions, wire.REUSED_MARKER)
    return [entry for entry in entries if isinstance(entry, dict)]


def load_events(value: Any, *, source: str = "history") -> list[Event]:
    """The events of a saved history: JSON text (``{"events": [...]}``, a list of events,
    or one event per line) or the parsed value.

    Raises:
        SpecError: not JSON, or not a history's events; the message names the problem and
            where (``source``, a line or ``events[i]``).
    """
    if isinstance(value, (str, bytes)):
        value = _parse(value.decode("utf-8") if isinstance(value, bytes) else value, source)
    if isinstance(value, dict) and "events" in value:
        value = value["events"]
    if isinstance(value, dict) and "eventId" in value:
        value = [value]
    if not isinstance(value, list):
        raise SpecError(
            'expected a list of events, {"events": [...]} (aws swf get-workflow-execution-'
            f"history) or one event per line (floto history --json); got {type(value).__name__}",
            path=source,
        )
    for position, event in enumerate(value):
        _check_event(event, f"{source}: events[{position}]")
    if not value:
        raise SpecError("holds no events", path=source)
    return sorted(value, key=lambda event: event["eventId"])


def _parse(text: str, source: str) -> Any:
    stripped = text.strip()
    if not stripped:
        raise SpecError("is empty; expected a history's events as JSON", path=source)
    try:
        return json.loads(stripped, parse_constant=_refuse)
    except ValueError as whole_error:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) < 2 or not lines[0].lstrip().startswith("{"):
            raise SpecError(f"not JSON: {whole_error}", path=source) from None
    events = []
    for number, line in enumerate(stripped.splitlines(), 1):
        if line.strip():
            try:
                events.append(json.loads(line, parse_constant=_refuse))
            except ValueError as error:
                raise SpecError(f"line {number}: not JSON: {error}", path=source) from None
    return events


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _check_event(event: Any, where: str) -> None:
    if not isinstance(event, dict):
        raise SpecError(f"is a {type(event).__name__}, not an event object", path=where)
    event_id, event_type = event.get("eventId"), event.get("eventType")
    if not isinstance(event_id, int) or isinstance(event_id, bool) or event_id < 1:
        raise SpecError(f"needs a whole eventId >= 1, got {event_id!r}", path=where)
    if not isinstance(event_type, str) or not event_type:
        raise SpecError(f"needs an eventType, got {event_type!r}", path=where)
