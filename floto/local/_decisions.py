"""RespondDecisionTaskCompleted: validation first, then each decision in order.

A malformed decision list is refused whole with a ValidationException before anything is
recorded (the decision task stays started, so the decider may answer again or let it time
out). A well-formed decision that cannot be carried out records its ``*Failed`` event and a
new decision task, as SWF does: no decision ever leaves a run stuck.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.swf.exceptions import SWFValidationException

from floto.local import _activities, _children
from floto.local._clock import CLOCK
from floto.local._execution import LocalExecution
from floto.local._quotas import QUOTAS, account_of
from floto.local._state import CONFIG
from floto.local._tasks import LocalDecisionTask
from floto.local._timers import SCHEDULER

_CLOSING = {
    "CompleteWorkflowExecution": "CompleteWorkflowExecutionFailed",
    "FailWorkflowExecution": "FailWorkflowExecutionFailed",
    "CancelWorkflowExecution": "CancelWorkflowExecutionFailed",
    "ContinueAsNewWorkflowExecution": "ContinueAsNewWorkflowExecutionFailed",
}


def attributes_key(decision_type: str) -> str:
    return decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"


def validate_decisions(wfe: LocalExecution, decisions: list[dict[str, Any]]) -> None:
    """Refuse the whole list (ValidationException) if any decision is malformed."""
    for decision in decisions[:-1]:
        if decision["decisionType"] in _CLOSING:
            raise SWFValidationException("Close must be last decision in list")
    wfe.validate_decisions(decisions)


def complete_decision_task(
    wfe: LocalExecution, dt: LocalDecisionTask, decisions: list[dict[str, Any]], context: Any
) -> None:
    """DecisionTaskCompleted, then each decision in order (validated already)."""
    completed_id = wfe.record_decision_completed(dt, context)
    try:
        handle_decisions(wfe, completed_id, decisions)
    except Exception:  # an engine bug (decisions are validated first): never leave the run
        wfe.decision_after_handling = True  # without a decision task to move it on
        raise
    finally:
        wfe.decisions_handled()


def handle_decisions(wfe: LocalExecution, completed_id: int, decisions: list[dict]) -> None:
    for decision in decisions:
        if not wfe.open:
            break
        decision_type = decision["decisionType"]
        attrs = decision.get(attributes_key(decision_type)) or {}
        if decision_type in _CLOSING and wfe.new_events_since_start:
            wfe.add(
                _CLOSING[decision_type],
                cause="UNHANDLED_DECISION",
                decisionTaskCompletedEventId=completed_id,
            )
            wfe.decision_after_handling = True
            continue
        ok = HANDLERS[decision_type](wfe, completed_id, attrs)
        if ok is False:  # a *Failed event was recorded: the decider must hear of it
            wfe.decision_after_handling = True


def _complete(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    wfe.close(
        "COMPLETED",
        "WorkflowExecutionCompleted",
        result=attrs.get("result"),
        decisionTaskCompletedEventId=completed_id,
    )


def _fail(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    wfe.close(
        "FAILED",
        "WorkflowExecutionFailed",
        reason=attrs.get("reason"),
        details=attrs.get("details"),
        decisionTaskCompletedEventId=completed_id,
    )


def _cancel(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    wfe.close(
        "CANCELED",
        "WorkflowExecutionCanceled",
        details=attrs.get("details"),
        decisionTaskCompletedEventId=completed_id,
    )


def _marker(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    wfe.add(
        "MarkerRecorded",
        markerName=attrs["markerName"],
        details=attrs.get("details"),
        decisionTaskCompletedEventId=completed_id,
    )


def _timer_cause(wfe: LocalExecution, timer_id: str) -> str | None:
    if timer_id in wfe.timers:
        return "TIMER_ID_ALREADY_IN_USE"
    if len(wfe.timers) >= CONFIG.max_open_timers:
        return "OPEN_TIMERS_LIMIT_EXCEEDED"
    if not QUOTAS.take([("account:StartTimer", account_of(wfe.domain))], CLOCK.now()):
        return "TIMER_CREATION_RATE_EXCEEDED"
    return None


def _start_timer(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    timer_id = attrs["timerId"]
    cause = _timer_cause(wfe, timer_id)
    if cause is not None:
        wfe.add(
            "StartTimerFailed",
            timerId=timer_id,
            cause=cause,
            decisionTaskCompletedEventId=completed_id,
        )
        return False
    evt = wfe.add(
        "TimerStarted",
        timerId=timer_id,
        control=attrs.get("control"),
        startToFireTimeout=attrs["startToFireTimeout"],
        decisionTaskCompletedEventId=completed_id,
    )
    due = evt.timestamp + float(attrs["startToFireTimeout"])
    wfe.timers[timer_id] = (
        evt.event_id,
        SCHEDULER.at(due, _fire_timer, wfe, timer_id, evt.event_id),
    )
    return True


def _fire_timer(wfe: LocalExecution, timer_id: str, started_id: int) -> None:
    entry = wfe.timers.get(timer_id)
    if not wfe.open or entry is None or entry[0] != started_id:
        return  # cancelled, or the run closed: timers die with their run
    del wfe.timers[timer_id]
    wfe.add("TimerFired", timerId=timer_id, startedEventId=started_id)
    wfe.needs_decision()


def _cancel_timer(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    timer_id = attrs["timerId"]
    entry = wfe.timers.pop(timer_id, None)
    if entry is None:
        wfe.add(
            "CancelTimerFailed",
            timerId=timer_id,
            cause="TIMER_ID_UNKNOWN",
            decisionTaskCompletedEventId=completed_id,
        )
        return False
    entry[1].drop()
    wfe.add(
        "TimerCanceled",
        timerId=timer_id,
        startedEventId=entry[0],
        decisionTaskCompletedEventId=completed_id,
    )
    return True


def _lambda(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    wfe.add(
        "ScheduleLambdaFunctionFailed",
        id=attrs["id"],
        name=attrs["name"],
        cause="LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION",
        decisionTaskCompletedEventId=completed_id,
    )
    return False


def _schedule_activity(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    return _activities.schedule_activity(wfe, completed_id, attrs)


def _cancel_activity(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    return _activities.request_cancel(wfe, completed_id, attrs["activityId"])


HANDLERS: dict[str, Callable[[LocalExecution, int, dict[str, Any]], bool | None]] = {
    "CompleteWorkflowExecution": _complete,
    "FailWorkflowExecution": _fail,
    "CancelWorkflowExecution": _cancel,
    "ContinueAsNewWorkflowExecution": _children.continue_as_new,
    "RecordMarker": _marker,
    "StartTimer": _start_timer,
    "CancelTimer": _cancel_timer,
    "ScheduleActivityTask": _schedule_activity,
    "RequestCancelActivityTask": _cancel_activity,
    "ScheduleLambdaFunction": _lambda,
    "StartChildWorkflowExecution": _children.start_child,
    "SignalExternalWorkflowExecution": _children.signal_external,
    "RequestCancelExternalWorkflowExecution": _children.request_cancel_external,
}
