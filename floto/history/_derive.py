"""Deriving an ExecutionState from history events: pure (events in, state out), by event ids
(never timestamps), and incremental (new events fold into an existing state).

Each event type has a small handler; :func:`fold_events` feeds events in id order and
checks that they follow the state's ``last_event_id`` without a gap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from floto import wire
from floto.errors import FlotoError, PayloadError, SpecError
from floto.history._book import add_tasks, attributes, close_with_run, event_time
from floto.history._events import TASK_HANDLERS
from floto.history._markers import read_tasks_marker
from floto.history._payloads import (
    Resolver,
    StoredPayload,
    load_payload,
    parse_json,
    payload_value,
    raw,
    read_payload,
    shallow_value,
)
from floto.history._reuse import reused_marker_folded
from floto.history._shards import load_shard_input, shards_marker_folded
from floto.history._state import ExecutionState, WorkflowStatus
from floto.ids import wire_id_problem
from floto.specs import decode_tasks
from floto.specs.task import Task

log = logging.getLogger("floto.history")

Event = dict[str, Any]
Attrs = dict[str, Any]

_CLOSED = {
    "WorkflowExecutionCompleted": WorkflowStatus.COMPLETED,
    "WorkflowExecutionFailed": WorkflowStatus.FAILED,
    "WorkflowExecutionTimedOut": WorkflowStatus.TIMED_OUT,
    "WorkflowExecutionCanceled": WorkflowStatus.CANCELED,
    "WorkflowExecutionTerminated": WorkflowStatus.TERMINATED,
    "WorkflowExecutionContinuedAsNew": WorkflowStatus.CONTINUED_AS_NEW,
}
_CLOSE_REJECTED = {
    "CompleteWorkflowExecutionFailed": "CompleteWorkflowExecution",
    "FailWorkflowExecutionFailed": "FailWorkflowExecution",
    "CancelWorkflowExecutionFailed": "CancelWorkflowExecution",
    "ContinueAsNewWorkflowExecutionFailed": "ContinueAsNewWorkflowExecution",
}
_CONFIG_KEYS = (
    "executionStartToCloseTimeout",
    "taskStartToCloseTimeout",
    "childPolicy",
    "taskPriority",
    "tagList",
    "lambdaRole",
)


class HistoryError(FlotoError):
    """A history cannot be folded: events are missing, out of order, or malformed."""


class HistoryGapError(HistoryError):
    """The events do not continue the state: ``expected`` was the next id, ``got`` came."""

    def __init__(self, expected: int, got: int) -> None:
        self.expected, self.got = expected, got
        super().__init__(f"history gap: expected event {expected}, got event {got}")


def new_state(
    tasks: Sequence[Task] | None = None,
    *,
    domain: str | None = None,
    tasks_from_input: bool = False,
    record_tasks: bool = True,
    resolver: Resolver | None = None,
) -> ExecutionState:
    """A state before any event: every task pending, roots ready.

    Args:
        tasks: the spec's tasks (checked already), or None.
        domain: the run's domain, for display.
        tasks_from_input: take the tasks from the workflow input's ``activity_tasks``
            (DynamicDecider) when WorkflowExecutionStarted is folded.
        record_tasks: the tasks still need their ``floto.tasks`` marker (the decider writes it).
        resolver: reads payloads stored outside SWF (``floto.api.Swf.resolve_payload``).
    """
    state = ExecutionState(domain=domain, resolver=resolver)
    index = state.index
    index.tasks_from_input = tasks_from_input
    if tasks is not None:
        add_tasks(state, tasks, record=record_tasks)
        index.base_loaded = True
    return state


def fold_events(state: ExecutionState, events: Iterable[dict[str, Any]]) -> ExecutionState:
    """Fold events (in any order) that follow ``state.last_event_id`` into ``state``.

    Events already folded are skipped, so overlapping pages are fine.

    Raises:
        HistoryGapError: the events skip an id after ``state.last_event_id``.
    """
    ordered = sorted(events, key=lambda event: event["eventId"])
    for event in ordered:
        event_id = event["eventId"]
        if event_id <= state.last_event_id:
            continue
        if event_id != state.last_event_id + 1:
            raise HistoryGapError(state.last_event_id + 1, event_id)
        fold_event(state, event)
    return state


def fold_event(state: ExecutionState, event: dict[str, Any]) -> None:
    """Fold one event (the next by id) into ``state``."""
    event_type = event["eventType"]
    handler = _HANDLERS.get(event_type) or TASK_HANDLERS.get(event_type)
    if handler is not None:
        handler(state, event, attributes(event))
    elif event_type in _CLOSE_REJECTED:
        _close_rejected(state, event, attributes(event))
    state.last_event_id = event["eventId"]
    state.last_event_type = event_type


def state_from_events(
    events: Iterable[dict[str, Any]],
    spec: Any = None,
    *,
    domain: str | None = None,
    workflow_id: str | None = None,
    run_id: str | None = None,
    resolver: Resolver | None = None,
) -> ExecutionState:
    """Build the ExecutionState of a run from its whole history (e.g. a finished run's).

    The task graph comes from ``spec`` (a DeciderSpec or a task list) if given, else from
    the run's ``floto.tasks`` markers, the ``activity_tasks`` of its input (DynamicDecider
    runs) and its generators' results. Tasks seen only in events appear too.

    ``resolver`` (``floto.api.Swf().resolve_payload``) reads payloads that SWF holds as
    references to the payload store; without one, reading such a value raises PayloadError.
    """
    tasks = getattr(spec, "activity_tasks", spec)
    state = new_state(
        list(tasks) if tasks is not None else None,
        domain=domain,
        tasks_from_input=tasks is None,
        record_tasks=False,
        resolver=resolver,
    )
    state.index.strict_input = False
    state.workflow_id, state.run_id = workflow_id, run_id
    return fold_events(state, events)


# -- workflow events ------------------------------------------------------------------------
def _started(state: ExecutionState, event: Event, attrs: Attrs) -> None:
    state.started_at = event_time(event)
    state.rerun_of, state.input_text = wire.read_rerun_input(attrs.get("input"))
    state.workflow_input, input_problem = read_payload(state.input_text, state.resolver)
    workflow_type = attrs.get("workflowType") or {}
    if workflow_type:
        state.workflow_type = (workflow_type.get("name", ""), workflow_type.get("version", ""))
    state.task_list = (attrs.get("taskList") or {}).get("name")
    state.execution_config = {key: attrs[key] for key in _CONFIG_KEYS if key in attrs}
    state.parent = attrs.get("parentWorkflowExecution")
    state.continued_from = attrs.get("continuedExecutionRunId")
    index = state.index
    if index.tasks_from_input and not index.base_loaded:
        _tasks_from_input(state, input_problem)


def find_input_tasks(workflow_input: Any) -> tuple[tuple[str, ...], Any] | None:
    """Where a DynamicDecider finds its tasks in a workflow input, and the raw list.

    ``activity_tasks`` at the top, else ``child_workflow.activity_tasks`` (a child started
    by a DynamicDecider). None if neither is there.
    """
    if not isinstance(workflow_input, dict):
        return None
    if "activity_tasks" in workflow_input:
        return ("activity_tasks",), workflow_input["activity_tasks"]
    child = workflow_input.get("child_workflow")
    if isinstance(child, dict) and "activity_tasks" in child:
        return ("child_workflow", "activity_tasks"), child["activity_tasks"]
    return None


def _tasks_from_input(state: ExecutionState, input_problem: str | None = None) -> None:
    index = state.index
    if input_problem is not None:  # JSON floto does not read (too deep, NaN...)
        if index.strict_input:
            state.problems[""] = (
                f"bad task list in the workflow input: the input is not JSON floto reads: "
                f"{input_problem}"
            )
        return
    try:
        shallow = shallow_value(raw(state, "workflow_input"))  # stored results stay unread
        shard = shallow.get(wire.SHARD_KEY) if isinstance(shallow, dict) else None
        workflow_input = None if isinstance(shard, dict) else state.workflow_input
    except PayloadError as error:
        if error.transient:
            raise
        state.problems[""] = f"the workflow input cannot be read: {error}"
        return
    if isinstance(shard, dict):
        try:
            load_shard_input(state, shard)
        except (SpecError, ValueError) as error:
            state.problems[""] = f"bad shard input: {error}"
        return
    found = find_input_tasks(workflow_input)
    if found is None:
        if index.strict_input:
            state.problems[""] = (
                "the workflow input has no 'activity_tasks' (a DynamicDecider reads its tasks "
                "from input['activity_tasks'] or input['child_workflow']['activity_tasks'])"
            )
        return
    path, listed = found
    try:
        tasks = decode_tasks(listed, path=".".join(path))
        if not tasks:
            raise SpecError("is empty; the workflow needs at least one task", path=".".join(path))
        for task in tasks:
            problem = wire_id_problem(task.id_)
            if problem:
                raise SpecError(problem, path=".".join(path))
    except SpecError as error:
        if index.strict_input:
            state.problems[""] = f"bad task list in the workflow input: {error}"
        return
    index.stripped_input_path = path
    index.base_loaded = True
    add_tasks(state, tasks, record=index.strict_input)


def _closed(state: ExecutionState, event: Event, attrs: Attrs) -> None:
    event_type = event["eventType"]
    state.status = _CLOSED[event_type]
    state.closed_at = event_time(event)
    if event_type == "WorkflowExecutionCompleted":
        state.result = payload_value(attrs.get("result"), state.resolver)
    elif event_type in ("WorkflowExecutionFailed", "WorkflowExecutionTerminated"):
        state.failure_reason = attrs.get("reason")
        state.failure_details = payload_value(attrs.get("details"), state.resolver)
    elif event_type == "WorkflowExecutionContinuedAsNew":
        state.new_run_id = attrs.get("newExecutionRunId")
    close_with_run(state, state.closed_at, event)


def _close_rejected(state: ExecutionState, event: Event, attrs: Attrs) -> None:
    decision = _CLOSE_REJECTED[event["eventType"]]
    cause = attrs.get("cause") or "UNKNOWN"
    state.close_rejections.append(
        {"decision": decision, "cause": cause, "event_id": event["eventId"]}
    )
    log.info("run %s: SWF refused %s (%s)", state.run_id, decision, cause)


def _cancel_requested(state: ExecutionState, event: Event, attrs: Attrs) -> None:
    state.cancel_requested = True


def _signaled(state: ExecutionState, event: Event, attrs: Attrs) -> None:
    value, problem = read_payload(attrs.get("input"), state.resolver)
    if isinstance(value, StoredPayload) and state.resolver is not None:
        try:  # signals are few, and read by whoever decides them: read a stored one now
            value = value.value
        except PayloadError as error:
            if error.transient:
                raise
            problem = str(error)
    state.signals.append(
        {
            "name": attrs.get("signalName"),
            "input": value,
            "event_id": event["eventId"],
            "input_error": problem,  # why floto did not read JSON input, or None
        }
    )


def _marker(state: ExecutionState, event: Event, attrs: Attrs) -> None:
    name, details = attrs.get("markerName"), attrs.get("details")
    if name == wire.TASKS_MARKER:
        _tasks_marker(state, details)
    elif name == wire.SHARDS_MARKER:
        shards_marker_folded(state, parse_json(details))
    elif name == wire.REUSED_MARKER:
        reused_marker_folded(state, parse_json(details))
    elif name == wire.RESULT_MARKER:
        state.result = payload_value(details, state.resolver)
    elif name == wire.SIGNAL_REJECTED_MARKER:
        value = parse_json(details)
        if isinstance(value, dict) and isinstance(value.get("signal"), int):
            state.index.handled_signals.add(value["signal"])


def _tasks_marker(state: ExecutionState, details: Any) -> None:
    try:
        tasks = read_tasks_marker(state, load_payload(details or "[]", state.resolver))
    except (SpecError, PayloadError) as error:
        if isinstance(error, PayloadError) and error.transient:
            raise
        log.warning("run %s: unreadable %s marker ignored: %s", state.run_id, wire.TASKS_MARKER,
                    error)  # fmt: skip
        return
    index = state.index
    for task in tasks:
        index.unrecorded.pop(task.id_, None)
    add_tasks(state, [task for task in tasks if _unknown_spec(state, task.id_)])


def _unknown_spec(state: ExecutionState, task_id: str) -> bool:
    known = state.tasks.get(task_id)
    return known is None or known.task is None


def _record_marker_failed(state: ExecutionState, event: Event, attrs: Attrs) -> None:
    name, cause = attrs.get("markerName"), attrs.get("cause") or "UNKNOWN"
    state.problems[""] = f"SWF refused RecordMarker {name!r}: {cause}"


_Handler = Callable[[ExecutionState, dict[str, Any], dict[str, Any]], None]
_HANDLERS: dict[str, _Handler] = {
    "WorkflowExecutionStarted": _started,
    **{event_type: _closed for event_type in _CLOSED},
    "WorkflowExecutionCancelRequested": _cancel_requested,
    "WorkflowExecutionSignaled": _signaled,
    "MarkerRecorded": _marker,
    "RecordMarkerFailed": _record_marker_failed,
}

__all__ = [
    "HistoryError",
    "HistoryGapError",
    "attributes",
    "event_time",
    "find_input_tasks",
    "fold_event",
    "fold_events",
    "new_state",
    "state_from_events",
]
