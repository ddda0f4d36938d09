"""SWF decision dicts, built from floto's tasks and the wire rules of floto.history.wire."""

from __future__ import annotations

import json
from typing import Any

from floto import wire
from floto.ids import to_swf_id
from floto.limits import MAX_PAYLOAD_CHARS, MAX_REASON_CHARS, MAX_TIMER_SECONDS, cut_reason
from floto.specs.task import ActivityTask, ChildWorkflow, Task, Timer


def dumps(value: Any) -> str:
    """JSON text as floto sends it: sorted keys, no spaces wasted."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _decision(decision_type: str, **attributes: Any) -> dict[str, Any]:
    key = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    present = {name: value for name, value in attributes.items() if value is not None}
    return {"decisionType": decision_type, key: present}


def schedule_activity(
    task_id: str, task: ActivityTask, input_text: str, default_task_list: str | None
) -> dict[str, Any]:
    """ScheduleActivityTask for an activity or generator (timeouts: the type's defaults)."""
    task_list = task.task_list or default_task_list
    return _decision(
        "ScheduleActivityTask",
        activityType={"name": task.name, "version": task.version},
        activityId=to_swf_id(task_id),
        input=input_text,
        taskList={"name": task_list} if task_list else None,
    )


def start_child(
    task_id: str, task: ChildWorkflow, workflow_id: str, input_text: str
) -> dict[str, Any]:
    """StartChildWorkflowExecution of a ChildWorkflow task; ``control`` names the task."""
    return start_child_of_type(
        task.workflow_type_name,
        task.workflow_type_version,
        workflow_id,
        task_list=task.task_list,
        input_text=input_text,
        control=wire.control(task=task_id),
    )


def start_child_of_type(
    name: str,
    version: str,
    workflow_id: str,
    *,
    task_list: str | None,
    input_text: str | None,
    control: str,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """StartChildWorkflowExecution (timeouts and child policy: ``settings``, SWF's names,
    else the type's defaults)."""
    return _decision(
        "StartChildWorkflowExecution",
        workflowType={"name": name, "version": version},
        workflowId=workflow_id,
        input=input_text,
        taskList={"name": task_list} if task_list else None,
        control=control,
        **(settings or {}),
    )


def start_timer(timer_id: str, seconds: float, control: str | None = None) -> dict[str, Any]:
    """StartTimer firing after ``seconds`` (rounded to whole seconds, at most about 3 years)."""
    duration = min(max(round(seconds), 0), MAX_TIMER_SECONDS)
    return _decision(
        "StartTimer", timerId=timer_id, startToFireTimeout=str(duration), control=control
    )


def start_user_timer(task_id: str, task: Timer) -> dict[str, Any]:
    """StartTimer for a Timer task of the graph."""
    return start_timer(to_swf_id(task_id), task.delay_in_seconds)


def start_retry_timer(task_id: str, failures: int, seconds: int) -> dict[str, Any]:
    """StartTimer for the delayed retry after the ``failures``-th failure."""
    return start_timer(wire.retry_timer_id(task_id, failures), seconds, wire.control(retry=task_id))


def wake_timer(started_event_id: int) -> dict[str, Any]:
    """A timer that fires at once, so that SWF hands out another decision task."""
    return start_timer(wire.wake_timer_id(started_event_id), 0)


def request_cancel_activity(task_id: str) -> dict[str, Any]:
    """RequestCancelActivityTask for the open attempt of an activity (or generator) task."""
    return _decision("RequestCancelActivityTask", activityId=to_swf_id(task_id))


def cancel_timer(timer_id: str) -> dict[str, Any]:
    """CancelTimer of an open timer, by its SWF id."""
    return _decision("CancelTimer", timerId=timer_id)


def record_marker(name: str, details: str | None) -> dict[str, Any]:
    """RecordMarker."""
    return _decision("RecordMarker", markerName=name, details=details)


def complete(result: str) -> dict[str, Any]:
    """CompleteWorkflowExecution with the result text."""
    return _decision("CompleteWorkflowExecution", result=result)


def fail(reason: str, details: str | None) -> dict[str, Any]:
    """FailWorkflowExecution; the reason is cut to SWF's 256 characters."""
    return _decision(
        "FailWorkflowExecution", reason=cut_reason(reason, MAX_REASON_CHARS), details=details
    )


def cancel(details: str | None = None) -> dict[str, Any]:
    """CancelWorkflowExecution (after a cancellation request)."""
    return _decision("CancelWorkflowExecution", details=details)


_CONTINUE_KEYS = (
    "executionStartToCloseTimeout",
    "taskStartToCloseTimeout",
    "childPolicy",
    "taskPriority",
    "tagList",
)


def continue_as_new(
    input_text: str | None, task_list: str | None, version: str | None, config: dict[str, Any]
) -> dict[str, Any]:
    """ContinueAsNewWorkflowExecution with this run's input, task list, type and settings.

    The run's own timeouts and child policy are passed explicitly, because SWF would
    otherwise take the workflow type's defaults, which may differ from what this run got.
    """
    settings = {key: config[key] for key in _CONTINUE_KEYS if config.get(key) not in (None, [])}
    return _decision(
        "ContinueAsNewWorkflowExecution",
        input=input_text,
        taskList={"name": task_list} if task_list else None,
        workflowTypeVersion=version,
        **settings,
    )


def tasks_markers(
    tasks: list[Task], recorded: list[str] | None = None
) -> list[list[dict[str, Any]]]:
    """RecordMarker decisions recording ``tasks`` (``floto.tasks``, compact records: see
    :func:`floto.wire.pack_task_records`), in groups that must go in one response.

    ``recorded``: the task ids the run's markers recorded before, in order.
    """
    forms = [task.to_dict() for task in tasks]
    groups = wire.pack_task_records(forms, list(recorded or []))
    return [[record_marker(wire.TASKS_MARKER, details) for details in group] for group in groups]


def reused_markers(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """RecordMarker decisions whose details, in order, hold a rerun's reuse entries (each entry
    fits in a marker: the decider reuses no task whose entry would not)."""
    return list_markers(wire.REUSED_MARKER, [dumps(entry) for entry in entries])


def list_markers(name: str, texts: list[str]) -> list[dict[str, Any]]:
    """RecordMarker decisions named ``name`` whose details are JSON lists holding ``texts``
    (JSON values), in order, each list at most 32,768 characters."""
    markers: list[dict[str, Any]] = []
    chunk: list[str] = []
    size = 2
    for text in texts:
        if chunk and size + len(text) + 1 > MAX_PAYLOAD_CHARS:
            markers.append(record_marker(name, "[" + ",".join(chunk) + "]"))
            chunk, size = [], 2
        chunk.append(text)
        size += len(text) + 1
    if chunk:
        markers.append(record_marker(name, "[" + ",".join(chunk) + "]"))
    return markers
