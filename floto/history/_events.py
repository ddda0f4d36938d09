"""Handlers of the events that concern tasks: activities, timers and child workflows.

Every handler finds its task by event id (``scheduledEventId``, ``startedEventId``,
``initiatedEventId``) through the owners index, or by the id floto put on the wire; never by
timestamps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from floto import wire
from floto.history._book import (
    attributes,
    close_attempt,
    error_text,
    event_time,
    mark_canceled,
    mark_completed,
    mark_failed,
    mark_scheduled,
    mark_throttled,
    new_attempt,
    release_throttled,
    task_state,
)
from floto.history._generated import expand_generator
from floto.history._payloads import payload_value
from floto.history._shards import (
    SHARD_KIND,
    shard_attempt_opened,
    shard_completed,
    shard_failed,
)
from floto.history._state import AttemptOutcome, ExecutionState, TaskState, TaskStatus
from floto.ids import from_swf_id

log = logging.getLogger("floto.history")

Event = dict[str, Any]

THROTTLE_CAUSES = frozenset(
    {
        "OPEN_ACTIVITIES_LIMIT_EXCEEDED",
        "ACTIVITY_CREATION_RATE_EXCEEDED",
        "OPEN_TIMERS_LIMIT_EXCEEDED",
        "TIMER_CREATION_RATE_EXCEEDED",
        "OPEN_CHILDREN_LIMIT_EXCEEDED",
        "OPEN_WORKFLOWS_LIMIT_EXCEEDED",
        "CHILD_CREATION_RATE_EXCEEDED",
    }
)
"""Causes of a refused Schedule/Start decision that pass with time: the task is retried."""


def _owner(state: ExecutionState, event_id: Any) -> tuple[str, TaskState | None]:
    role, task_id = state.index.owners.get(event_id, ("", ""))
    return role, state.tasks.get(task_id)


def _attempt_of(ts: TaskState, event_id: Any) -> Any:
    for attempt in reversed(ts.attempts):
        if attempt.scheduled_event_id == event_id:
            return attempt
    return None


def _opened(state: ExecutionState, ts: TaskState, event: Event, **fields: Any) -> None:
    new_attempt(ts, event["eventId"], event_time(event), **fields)
    state.index.owners[event["eventId"]] = ("task", ts.task_id)
    if not ts.status.is_done:
        mark_scheduled(state, ts)


def _rejected(
    state: ExecutionState, ts: TaskState, event: Event, decision: str, attempt: Any = None
) -> None:
    """SWF refused to start an attempt: fail the run, or retry soon for a passing limit."""
    cause = attributes(event).get("cause") or "UNKNOWN"
    message = f"SWF refused {decision}: {cause}"
    if attempt is None:
        attempt = new_attempt(ts, event["eventId"], event_time(event))
    close_attempt(attempt, AttemptOutcome.REJECTED, event, event_time(event), message)
    if cause in THROTTLE_CAUSES:
        mark_throttled(state, ts, message)
        return
    mark_failed(state, ts, AttemptOutcome.REJECTED, message)
    state.problems[ts.task_id] = message


# -- activities ------------------------------------------------------------------------------
def _activity_scheduled(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    ts = task_state(state, from_swf_id(attrs.get("activityId", "")), "activity")
    _opened(state, ts, event)
    state.index.open_activities += 1


def _activity_refused(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    ts = task_state(state, from_swf_id(attrs.get("activityId", "")), "activity")
    _rejected(state, ts, event, "ScheduleActivityTask")


def _activity_started(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    _, ts = _owner(state, attrs.get("scheduledEventId"))
    if ts is None:
        return
    attempt = _attempt_of(ts, attrs.get("scheduledEventId"))
    if attempt is not None:
        attempt.started_at, attempt.identity = event_time(event), attrs.get("identity")
        attempt.started_event_id = event.get("eventId")
    if ts.status is TaskStatus.SCHEDULED:
        ts.status = TaskStatus.RUNNING


def _activity_closed(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    scheduled = attrs.get("scheduledEventId")
    _, ts = _owner(state, scheduled)
    if ts is None:
        log.warning("run %s: %s for unknown event %s ignored", state.run_id, event["eventType"],
                    scheduled)  # fmt: skip
        return
    state.index.open_activities -= 1
    attempt = _attempt_of(ts, scheduled)
    event_type, when = event["eventType"], event_time(event)
    if event_type == "ActivityTaskCompleted":
        has_result = "result" in attrs
        result = payload_value(attrs.get("result"), state.resolver)
        close_attempt(attempt, AttemptOutcome.COMPLETED, event, when)
        if ts.kind == "generator":
            expand_generator(state, ts, result if has_result else None)
        mark_completed(state, ts, result, has_result)
        return
    details = payload_value(attrs.get("details"), state.resolver)
    if event_type == "ActivityTaskFailed":
        outcome, error = AttemptOutcome.FAILED, error_text(attrs.get("reason"), details, "failed")
    elif event_type == "ActivityTaskTimedOut":
        outcome, error = AttemptOutcome.TIMED_OUT, f"timed out ({attrs.get('timeoutType')})"
    else:  # only a decider asks for an activity's cancellation: not a failure of its own
        close_attempt(attempt, AttemptOutcome.CANCELED, event, when, "canceled", details)
        mark_canceled(state, ts, "canceled")
        return
    close_attempt(attempt, outcome, event, when, error, details)
    mark_failed(state, ts, outcome, error)


def _activity_cancel_requested(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    """RequestCancelActivityTask was recorded (or refused): not to be asked again."""
    state.index.cancel_requested.add(from_swf_id(attrs.get("activityId", "")))


# -- timers ----------------------------------------------------------------------------------
def _retry_task(state: ExecutionState, timer_id: str, control: Any) -> TaskState | None:
    task_id = wire.read_control(control).get("retry")
    if isinstance(task_id, str) and task_id in state.tasks:
        return state.tasks[task_id]
    for ts in state.tasks.values():  # a timer without floto's control: match the id
        if ts.status is TaskStatus.WAITING_TO_RETRY and (
            wire.retry_timer_id(ts.task_id, ts.failures) == timer_id
        ):
            return ts
    return None


def _timer_started(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    timer_id = attrs.get("timerId", "")
    state.index.open_timers += 1
    state.index.open_timer_ids[event["eventId"]] = timer_id
    if wire.is_wake_timer(timer_id):
        return
    if wire.is_backoff_timer(timer_id):
        state.index.owners[event["eventId"]] = ("backoff", "")
        state.index.backoff_open = True
        return
    if wire.is_retry_timer(timer_id):
        ts = _retry_task(state, timer_id, attrs.get("control"))
        if ts is not None:
            state.index.owners[event["eventId"]] = ("retry", ts.task_id)
            ts.retry_timer = timer_id
            ts.retry_at = _plus_seconds(event_time(event), attrs.get("startToFireTimeout"))
            state.ready.discard(ts.task_id)
        return
    _opened(state, task_state(state, from_swf_id(timer_id), "timer"), event)


def _plus_seconds(when: Any, seconds: Any) -> Any:
    try:
        return when + timedelta(seconds=int(seconds))
    except (TypeError, ValueError, OverflowError):  # not SWF's 8 digits of seconds
        return None


def _timer_refused(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    timer_id = attrs.get("timerId", "")
    if wire.is_wake_timer(timer_id) or wire.is_backoff_timer(timer_id):
        return  # the refusal wakes the decider just as well (which starts another back-off)
    if wire.is_retry_timer(timer_id):
        ts = _retry_task(state, timer_id, None)
        if ts is not None:
            cause = attrs.get("cause") or "UNKNOWN"
            message = f"SWF refused StartTimer for a retry: {cause}"
            if cause in THROTTLE_CAUSES:
                mark_throttled(state, ts, message)
            else:
                state.problems[ts.task_id] = message
        return
    _rejected(state, task_state(state, from_swf_id(timer_id), "timer"), event, "StartTimer")


def _cancel_timer_refused(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    """SWF knows no such open timer (it fired meanwhile): no use asking again."""
    timer_id = attrs.get("timerId")
    ids = state.index.open_timer_ids
    for started in [key for key, value in ids.items() if value == timer_id]:
        del ids[started]


def _timer_closed(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    state.index.open_timers = max(0, state.index.open_timers - 1)
    state.index.open_timer_ids.pop(attrs.get("startedEventId"), None)  # type: ignore[arg-type]
    role, ts = _owner(state, attrs.get("startedEventId"))
    if role == "backoff":
        state.index.backoff_open = False
        release_throttled(state)
        return
    if ts is None:
        return
    fired = event["eventType"] == "TimerFired"
    if role == "retry":
        ts.retry_timer = None
        if fired and ts.status is TaskStatus.WAITING_TO_RETRY:
            ts.retry_due = True
            state.ready.add(ts)
        return
    attempt = _attempt_of(ts, attrs.get("startedEventId"))
    if fired:
        close_attempt(attempt, AttemptOutcome.COMPLETED, event, event_time(event))
        mark_completed(state, ts, None, False)
    else:  # only the decider cancels a timer (a run failing fast, or canceled)
        close_attempt(attempt, AttemptOutcome.CANCELED, event, event_time(event), "canceled")
        mark_canceled(state, ts, "timer canceled")


# -- child workflows -------------------------------------------------------------------------
def _child_task_id(attrs: dict[str, Any]) -> str:
    task_id = wire.read_control(attrs.get("control")).get("task")
    if isinstance(task_id, str) and task_id:
        return task_id
    return wire.task_id_from_child_workflow_id(attrs.get("workflowId", ""))


def _note_signal(state: ExecutionState, attrs: dict[str, Any]) -> None:
    signal = wire.read_control(attrs.get("control")).get("signal")
    if isinstance(signal, int):
        state.index.handled_signals.add(signal)


def _child_initiated(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    _note_signal(state, attrs)
    ts = task_state(state, _child_task_id(attrs), "child_workflow")
    _opened(state, ts, event)
    state.index.open_children += 1
    if ts.kind == SHARD_KIND:
        shard_attempt_opened(state, ts, TaskStatus.SCHEDULED)


def _child_refused(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    _note_signal(state, attrs)
    initiated = attrs.get("initiatedEventId")
    _, ts = _owner(state, initiated)
    attempt = None
    if ts is not None:
        state.index.open_children -= 1
        attempt = _attempt_of(ts, initiated)
    else:
        ts = task_state(state, _child_task_id(attrs), "child_workflow")
    _rejected(state, ts, event, "StartChildWorkflowExecution", attempt)


def _child_started(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    _, ts = _owner(state, attrs.get("initiatedEventId"))
    if ts is None:
        return
    attempt = _attempt_of(ts, attrs.get("initiatedEventId"))
    if attempt is not None:
        attempt.started_at = event_time(event)
        attempt.workflow_execution = attrs.get("workflowExecution")
    if ts.status is TaskStatus.SCHEDULED:
        ts.status = TaskStatus.RUNNING
    if ts.kind == SHARD_KIND:
        shard_attempt_opened(state, ts, TaskStatus.RUNNING)


_CHILD_OUTCOMES = {
    "ChildWorkflowExecutionFailed": AttemptOutcome.FAILED,
    "ChildWorkflowExecutionTimedOut": AttemptOutcome.TIMED_OUT,
    "ChildWorkflowExecutionTerminated": AttemptOutcome.FAILED,
    "ChildWorkflowExecutionCanceled": AttemptOutcome.CANCELED,
}


def _child_closed(state: ExecutionState, event: Event, attrs: dict[str, Any]) -> None:
    _, ts = _owner(state, attrs.get("initiatedEventId"))
    if ts is None:
        return
    state.index.open_children -= 1
    attempt = _attempt_of(ts, attrs.get("initiatedEventId"))
    event_type, when = event["eventType"], event_time(event)
    if event_type == "ChildWorkflowExecutionCompleted":
        close_attempt(attempt, AttemptOutcome.COMPLETED, event, when)
        result = payload_value(attrs.get("result"), state.resolver)
        if ts.kind == SHARD_KIND:
            shard_completed(state, ts, result)
        mark_completed(state, ts, result, "result" in attrs)
        return
    details = payload_value(attrs.get("details"), state.resolver)
    fallbacks = {
        "ChildWorkflowExecutionFailed": "child workflow failed",
        "ChildWorkflowExecutionTimedOut": f"child workflow timed out ({attrs.get('timeoutType')})",
        "ChildWorkflowExecutionTerminated": "child workflow terminated",
        "ChildWorkflowExecutionCanceled": "child workflow canceled",
    }
    error = fallbacks[event_type]
    if event_type == "ChildWorkflowExecutionFailed":
        error = error_text(attrs.get("reason"), None, error)
    outcome = _CHILD_OUTCOMES[event_type]
    close_attempt(attempt, outcome, event, when, error, details)
    if ts.kind == SHARD_KIND:
        shard_failed(state, ts, outcome, error, details)
    mark_failed(state, ts, outcome, error)


_Handler = Callable[[ExecutionState, Event, dict[str, Any]], None]
TASK_HANDLERS: dict[str, _Handler] = {
    "ActivityTaskScheduled": _activity_scheduled,
    "ScheduleActivityTaskFailed": _activity_refused,
    "ActivityTaskStarted": _activity_started,
    "ActivityTaskCompleted": _activity_closed,
    "ActivityTaskFailed": _activity_closed,
    "ActivityTaskTimedOut": _activity_closed,
    "ActivityTaskCanceled": _activity_closed,
    "ActivityTaskCancelRequested": _activity_cancel_requested,
    "RequestCancelActivityTaskFailed": _activity_cancel_requested,
    "TimerStarted": _timer_started,
    "StartTimerFailed": _timer_refused,
    "TimerFired": _timer_closed,
    "TimerCanceled": _timer_closed,
    "CancelTimerFailed": _cancel_timer_refused,
    "StartChildWorkflowExecutionInitiated": _child_initiated,
    "StartChildWorkflowExecutionFailed": _child_refused,
    "ChildWorkflowExecutionStarted": _child_started,
    **{event_type: _child_closed for event_type in _CHILD_OUTCOMES},
    "ChildWorkflowExecutionCompleted": _child_closed,
}


_OWNING_ATTRIBUTES = ("scheduledEventId", "startedEventId", "initiatedEventId")


def event_task(state: ExecutionState, event: Event) -> str | None:
    """The id of the task an event of ``state``'s run belongs to (through the owners index:
    the event itself, or the event its attributes name), None for the run's own events."""
    owners: dict[Any, tuple[str, str]] = state.index.owners
    _, task_id = owners.get(event.get("eventId"), ("", ""))
    if task_id:
        return task_id
    attrs = attributes(event)
    for name in _OWNING_ATTRIBUTES:
        _, task_id = owners.get(attrs.get(name), ("", ""))
        if task_id:
            return task_id
    return None
