"""Comparing a replayed decision task's decisions with the recorded ones, in words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from floto import wire
from floto.history import ExecutionState, compare_tasks, marker_entries, recorded_tasks_of
from floto.ids import from_swf_id

Decision = dict[str, Any]
Found = tuple[str, str | None, str]  # kind, subject, message

_CLOSING = {
    "CompleteWorkflowExecution": "complete",
    "FailWorkflowExecution": "fail",
    "CancelWorkflowExecution": "cancel",
    "ContinueAsNewWorkflowExecution": "continue as new",
}
_DONE = {
    "complete": "completed",
    "fail": "failed",
    "cancel": "canceled",
    "continue as new": "continued as new",
}
_KEYS = {
    "ScheduleActivityTask": "activityId",
    "StartTimer": "timerId",
    "StartChildWorkflowExecution": "workflowId",
    "RecordMarker": "markerName",
}
_SHOWN = 120


def _attrs(decision: Decision) -> dict[str, Any]:
    kind = decision["decisionType"]
    return decision.get(kind[0].lower() + kind[1:] + "DecisionAttributes") or {}


def _key(decision: Decision) -> tuple[str, str]:
    kind = decision["decisionType"]
    if kind in _CLOSING:
        return "close", ""
    if kind in _KEYS:
        return kind, str(_attrs(decision).get(_KEYS[kind]))
    return kind, json.dumps(_attrs(decision), sort_keys=True, default=str)


def _group(decisions: Sequence[Decision]) -> dict[tuple[str, str], list[Decision]]:
    groups: dict[tuple[str, str], list[Decision]] = {}
    for decision in decisions:
        groups.setdefault(_key(decision), []).append(decision)
    return groups


def compare_decisions(
    state: ExecutionState, planned: Sequence[Decision], recorded: Sequence[Decision]
) -> list[Found]:
    """The differences between ``planned`` and ``recorded`` (one decision task's), each as
    (kind, subject, message); ``state`` is what the replayed decider decided from."""
    mine, theirs = _group(planned), _group(recorded)
    found: list[Found] = []
    for key in [*mine, *(key for key in theirs if key not in mine)]:
        kind, name = key
        new, old = mine.get(key, []), theirs.get(key, [])
        if kind == "close":
            found += _close(new, old)
        elif kind == "RecordMarker":
            found += _markers(state, name, new, old)
        elif kind == "ScheduleActivityTask":
            found += _scheduled(state, from_swf_id(name), new, old, "activityType")
        elif kind == "StartChildWorkflowExecution":
            task_id = wire.read_control((_attrs((new or old)[0])).get("control")).get("task")
            found += _scheduled(state, task_id or name, new, old, "workflowType")
        elif kind == "StartTimer":
            found += _timer(name, new, old)
        elif bool(new) != bool(old):
            found.append(("other", None, f"{_would(bool(new))} {kind} {name}"))
    return found


def _would(made: bool) -> str:
    return "would decide" if made else "would not decide"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _value(text: Any) -> Any:
    """A payload's text as a comparable value: parsed JSON; a stored one by its digest."""
    ref = wire.payload_ref_of_text(text)
    if ref is not None:
        return {"stored payload": ref.sha256}
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _close(new: list[Decision], old: list[Decision]) -> list[Found]:
    if not new and not old:
        return []
    if not old:
        verb = _CLOSING[new[0]["decisionType"]]
        why = _attrs(new[0]).get("reason")
        reason = f": {_short(why)}" if why else ""
        return [("close", None, f"would {verb} the run here, earlier than recorded{reason}")]
    verb_old = _CLOSING[old[0]["decisionType"]]
    if not new:
        return [("close", None, f"would not {verb_old} the run here (recorded: it did; the "
                                "new decider would go on, later or never)")]  # fmt: skip
    verb_new = _CLOSING[new[0]["decisionType"]]
    if verb_new != verb_old:
        return [("close", None, f"would {verb_new} the run where it was {_DONE[verb_old]}")]
    for field in ("result", "reason"):
        mine, theirs = _attrs(new[0]).get(field), _attrs(old[0]).get(field)
        if field in _attrs(old[0]) and _value(mine) != _value(theirs):
            return [("close", None, f"would {verb_new} the run with another {field}: "
                                    f"{_short(mine)} (recorded: {_short(theirs)})")]  # fmt: skip
    return []


def _markers(
    state: ExecutionState, name: str, new: list[Decision], old: list[Decision]
) -> list[Found]:
    if name == wire.TASKS_MARKER:
        mine, theirs = (
            recorded_tasks_of([_attrs(d).get("details") for d in side], state.recorded_ids)
            for side in (new, old)
        )
        change = compare_tasks(theirs, mine)
        if change:
            return [("tasks", None, f"would record other tasks: {change.describe()}")]
        return []
    mine, theirs = marker_entries(new, name), marker_entries(old, name)
    if mine == theirs:
        return []
    if name == wire.MIGRATED_MARKER and mine:
        return [("migrate", None, f"would migrate the run onto its spec: {_migration(mine)}")]
    if not theirs:
        return [("marker", name, f"would record {name} {_short(mine)} (recorded: none)")]
    if not mine:
        return [("marker", name, f"would not record {name} (recorded: {_short(theirs)})")]
    return [("marker", name, f"would record {name} {_short(mine)} (recorded: {_short(theirs)})")]


def _migration(entries: list[Any]) -> str:
    removed = [e["remove"] for e in entries if isinstance(e, dict) and "remove" in e]
    changed = [
        e["change"].get("id_")
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("change"), dict)
    ]
    parts = [f"remove {', '.join(map(str, removed))}"] if removed else []
    parts += [f"redefine {', '.join(map(str, changed))}"] if changed else []
    return "; ".join(parts)


def _scheduled(
    state: ExecutionState, task_id: str, new: list[Decision], old: list[Decision], type_key: str
) -> list[Found]:
    ts = state.tasks.get(task_id)
    attempts = ts.attempt_count if ts is not None else 0
    what = f"retry {task_id} (attempt {attempts + 1})" if attempts else f"schedule {task_id}"
    kind = "retry" if attempts else "schedule"
    if not old:
        return [(kind, task_id, f"would {what}; recorded: not here")]
    if not new:
        return [("not_scheduled" if kind == "schedule" else kind, task_id,
                 f"would not {what} here; recorded: it did")]  # fmt: skip
    mine, theirs = _attrs(new[0]), _attrs(old[0])
    if mine.get(type_key) != theirs.get(type_key):
        return [("input", task_id, f"would {what} as {_short(mine.get(type_key))} "
                                   f"(recorded: {_short(theirs.get(type_key))})")]  # fmt: skip
    given, was = _value(mine.get("input")), _value(theirs.get("input"))
    if "input" in theirs and given != was:
        return [("input", task_id, f"would {what} with another input: {_short(given)} "
                                   f"(recorded: {_short(was)})")]  # fmt: skip
    task_list = (mine.get("taskList") or {}).get("name")
    if task_list and task_list != (theirs.get("taskList") or {}).get("name"):
        return [("input", task_id, f"would {what} on task list {task_list!r} (recorded: "
                                   f"{(theirs.get('taskList') or {}).get('name')!r})")]  # fmt: skip
    return []


def _timer(timer_id: str, new: list[Decision], old: list[Decision]) -> list[Found]:
    retry = wire.is_retry_timer(timer_id)
    subject = timer_id
    what = f"wait before retrying (timer {timer_id})" if retry else f"start timer {timer_id}"
    kind = "retry" if retry else "timer"
    if not old:
        delay = _attrs(new[0]).get("startToFireTimeout")
        return [(kind, subject, f"would {what}, {delay} s; recorded: not here")]
    if not new:
        return [(kind, subject, f"would not {what} here; recorded: it did")]
    mine = _attrs(new[0]).get("startToFireTimeout")
    theirs = _attrs(old[0]).get("startToFireTimeout")
    if str(mine) != str(theirs):
        return [(kind, subject, f"would {what} for {mine} s (recorded: {theirs} s)")]
    return []
