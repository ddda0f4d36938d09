"""Activity tasks of a run: scheduling, hand-out, the four timeouts, cancellation, closing.

A closed activity id can be scheduled again (SWF allows it; retries need it): only open
activities are indexed by id.
"""

from __future__ import annotations

from typing import Any

from moto.core.utils import camelcase_to_underscores

from floto.local._clock import CLOCK
from floto.local._events import type_dict
from floto.local._execution import LocalExecution, seconds
from floto.local._quotas import QUOTAS, account_of
from floto.local._state import CONFIG
from floto.local._tasks import LocalActivityTask
from floto.local._timers import SCHEDULER

_TIMEOUTS = (
    "scheduleToStartTimeout",
    "scheduleToCloseTimeout",
    "startToCloseTimeout",
    "heartbeatTimeout",
)


def _resolve(wfe: LocalExecution, attrs: dict[str, Any]) -> tuple[Any, str | None, Any]:
    """(activity type, failure cause or None, resolved settings)."""
    name, version = attrs["activityType"]["name"], attrs["activityType"]["version"]
    atype = wfe.domain.get_type("activity", name, version, ignore_empty=True)
    if atype is None:
        return _UnknownType(name, version), "ACTIVITY_TYPE_DOES_NOT_EXIST", None
    if atype.status == "DEPRECATED":
        return atype, "ACTIVITY_TYPE_DEPRECATED", None
    if attrs["activityId"] in wfe.open_activities:
        return atype, "ACTIVITY_ID_ALREADY_IN_USE", None
    task_list = (attrs.get("taskList") or {}).get("name") or atype.task_list
    if not task_list:
        return atype, "DEFAULT_TASK_LIST_UNDEFINED", None
    settings: dict[str, Any] = {"taskList": task_list}
    for key in _TIMEOUTS:
        default = getattr(atype, "default_task_" + camelcase_to_underscores(key))
        settings[key] = attrs.get(key) or default
        if not settings[key]:
            return atype, f"DEFAULT_{camelcase_to_underscores(key).upper()}_UNDEFINED", None
    cause = _quota_cause(wfe, task_list)
    return (atype, cause, None) if cause else (atype, None, settings)


def _quota_cause(wfe: LocalExecution, task_list: str) -> str | None:
    """SWF's open-activity limit, then its creation rates (account, task list): checked last,
    so that only an activity that is scheduled takes a token."""
    if len(wfe.open_activities) >= CONFIG.max_open_activities:
        return "OPEN_ACTIVITIES_LIMIT_EXCEEDED"
    account = account_of(wfe.domain)
    wanted = [
        ("account:ScheduleActivityTask", account),
        ("task-list:ScheduleActivityTask", (*account, wfe.domain.name, task_list)),
    ]
    return None if QUOTAS.take(wanted, CLOCK.now()) else "ACTIVITY_CREATION_RATE_EXCEEDED"


class _UnknownType:
    """Stands in for an activity type that is not registered."""

    def __init__(self, name: str, version: str) -> None:
        self.name, self.version = name, version

    def to_short_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


def schedule_activity(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    """ScheduleActivityTask; False (and a ScheduleActivityTaskFailed event) if refused."""
    atype, cause, settings = _resolve(wfe, attrs)
    if cause is not None:
        wfe.add(
            "ScheduleActivityTaskFailed",
            activityType=type_dict(atype),
            activityId=attrs["activityId"],
            cause=cause,
            decisionTaskCompletedEventId=completed_id,
        )
        return False
    assert settings is not None
    evt = wfe.add(
        "ActivityTaskScheduled",
        activityType=type_dict(atype),
        activityId=attrs["activityId"],
        input=attrs.get("input"),
        control=attrs.get("control"),
        taskList={"name": settings["taskList"]},
        taskPriority=attrs.get("taskPriority"),
        decisionTaskCompletedEventId=completed_id,
        **{key: settings[key] for key in _TIMEOUTS},
    )
    task = LocalActivityTask(
        activity_id=attrs["activityId"],
        activity_type=atype,
        workflow_input=attrs.get("input"),
        scheduled_event_id=evt.event_id,
        workflow_execution=wfe,
        timeouts={key: settings[key] for key in _TIMEOUTS},
        task_list=settings["taskList"],
        control=attrs.get("control"),
    )
    wfe.open_activities[task.activity_id] = task
    wfe.latest_activity_task_timestamp = CLOCK.now()
    _arm(task, "scheduleToStartTimeout", task.scheduled_timestamp, "SCHEDULE_TO_START")
    _arm(task, "scheduleToCloseTimeout", task.scheduled_timestamp, "SCHEDULE_TO_CLOSE")
    wfe.backend.enqueue_activity(wfe.domain.name, task)
    return True


def _arm(task: LocalActivityTask, key: str, since: float, kind: str) -> None:
    limit = seconds(task.timeouts.get(key))
    if limit is not None:
        entry = SCHEDULER.at(since + limit, _timeout, task, kind, task.started_event_id)
        task.timeouts_due.append(entry)


def start_activity(task: LocalActivityTask, identity: str | None) -> None:
    wfe = task.workflow_execution
    evt = wfe.add(
        "ActivityTaskStarted", scheduledEventId=task.scheduled_event_id, identity=identity
    )
    task.start(evt.event_id)
    task.identity = identity
    wfe.backend.tokens[task.task_token] = task
    assert task.started_timestamp is not None
    _arm(task, "startToCloseTimeout", task.started_timestamp, "START_TO_CLOSE")
    _arm(task, "heartbeatTimeout", task.started_timestamp, "HEARTBEAT")


def _timeout(task: LocalActivityTask, kind: str, started_id: int | None) -> None:
    wfe = task.workflow_execution
    if not wfe.open or wfe.open_activities.get(task.activity_id) is not task:
        return
    if kind == "SCHEDULE_TO_START" and task.state != "SCHEDULED":
        return
    if kind in ("START_TO_CLOSE", "HEARTBEAT") and task.started_event_id != started_id:
        return
    if kind == "HEARTBEAT":
        due = task.last_heartbeat_timestamp + float(task.timeouts["heartbeatTimeout"])
        if due > CLOCK.now():  # a heartbeat came in: wait for the next deadline
            task.timeouts_due.append(SCHEDULER.at(due, _timeout, task, kind, started_id))
            return
    close_activity(
        task, "TIMED_OUT", "ActivityTaskTimedOut", timeoutType=kind, details=task.details
    )


def close_activity(task: LocalActivityTask, state: str, event_type: str, **attrs: Any) -> None:
    """Record the activity's closing event and ask for a decision."""
    wfe = task.workflow_execution
    wfe.add(
        event_type,
        scheduledEventId=task.scheduled_event_id,
        startedEventId=task.started_event_id or 0,
        **attrs,
    )
    task.state = state
    task.cancel_timeouts()
    wfe.open_activities.pop(task.activity_id, None)
    wfe.backend.tokens.pop(task.task_token, None)
    wfe.needs_decision()


def heartbeat(task: LocalActivityTask, details: Any) -> bool:
    """Reset the heartbeat clock; True if cancellation was requested."""
    task.last_heartbeat_timestamp = CLOCK.now()
    if details is not None:
        task.details = details
    return task.cancel_requested_event_id is not None


def request_cancel(wfe: LocalExecution, completed_id: int, activity_id: str) -> bool:
    """RequestCancelActivityTask; a task not yet started is canceled at once."""
    task = wfe.open_activities.get(activity_id)
    if task is None:
        wfe.add(
            "RequestCancelActivityTaskFailed",
            activityId=activity_id,
            cause="ACTIVITY_ID_UNKNOWN",
            decisionTaskCompletedEventId=completed_id,
        )
        return False
    evt = wfe.add(
        "ActivityTaskCancelRequested",
        activityId=activity_id,
        decisionTaskCompletedEventId=completed_id,
    )
    task.cancel_requested_event_id = evt.event_id
    if task.state == "SCHEDULED":
        close_activity(
            task, "CANCELED", "ActivityTaskCanceled", latestCancelRequestedEventId=evt.event_id
        )
    return True
