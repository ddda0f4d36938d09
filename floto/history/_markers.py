"""Reading the ``floto.tasks`` markers: the run's tasks as the decider recorded them.

Version 1 (floto before compact records): the details are a JSON list of task forms.
Version 2 (:func:`floto.wire.pack_task_records`): ``{"v": 2, "at", "tasks", "more",
"extend"}`` with requirements as positions among the tasks recorded so far, and a task's
requirements possibly continued over several markers.
"""

from __future__ import annotations

from typing import Any

from floto import wire
from floto.errors import SpecError
from floto.history._state import ExecutionState, StateIndex
from floto.specs import decode_tasks
from floto.specs.task import Task

_PATH = wire.TASKS_MARKER


def read_tasks_marker(state: ExecutionState, value: Any) -> list[Task]:
    """The tasks one marker completes (decoded through the allow-list, graph not checked).

    Raises:
        SpecError: the details are not a task record floto wrote.
    """
    index = state.index
    if isinstance(value, list):
        tasks = decode_tasks(value, path=_PATH, check_graph=False)
        index.recorded.extend(task.id_ for task in tasks)
        _keep_forms(index, value)
        return tasks
    if not isinstance(value, dict) or value.get("v") != wire.RECORDS_VERSION:
        raise SpecError("not a floto task record", path=_PATH)
    forms, at, more = value.get("tasks"), value.get("at"), value.get("more") is True
    if not isinstance(forms, list) or not isinstance(at, int) or isinstance(at, bool):
        raise SpecError("a task record needs 'at' and a list of 'tasks'", path=_PATH)
    try:
        complete = _continue(index, value, more) + _new_forms(index, forms, at, more)
    except ValueError as error:
        raise SpecError(str(error), path=_PATH) from None
    tasks = decode_tasks(complete, path=_PATH, check_graph=False)
    _keep_forms(index, complete)
    return tasks


def _keep_forms(index: StateIndex, forms: list[Any]) -> None:
    """Keep the recorded forms for a decider comparing them with its spec's (see
    floto.history._workflow); nothing is kept for other readers."""
    if index.record_forms is not None:
        for form in forms:
            index.record_forms[form["id_"]] = form


def _continue(index: StateIndex, value: dict[str, Any], more: bool) -> list[dict[str, Any]]:
    """The continued task, if this record extends it and finishes it."""
    partial = index.partial_record
    if "extend" not in value:
        index.partial_record = None
        return [partial] if partial is not None else []  # a record cut short: keep what came
    if partial is None:
        raise ValueError("continues a task record that did not begin")
    partial["requires"].extend(wire.expand_ids(value["extend"], index.recorded))
    if more:
        return []
    index.partial_record = None
    return [partial]


def _new_forms(index: StateIndex, forms: list[Any], at: int, more: bool) -> list[dict[str, Any]]:
    complete = []
    for offset, form in enumerate(forms):
        if not isinstance(form, dict) or not isinstance(form.get("id_"), str):
            raise ValueError(f"tasks[{offset}] is not a task form with an id_")
        position = at + offset
        if position < len(index.recorded):
            continue  # recorded before (the same record again)
        if position > len(index.recorded):
            raise ValueError(f"task record at {position} leaves a gap after {len(index.recorded)}")
        form = dict(form)
        form["requires"] = wire.expand_ids(form.pop("r", []), index.recorded)
        index.recorded.append(form["id_"])
        if more and offset == len(forms) - 1:
            index.partial_record = form
        else:
            complete.append(form)
    return complete
