"""Readable task labels: a short name, and what tells look-alike tasks apart.

A task id such as ``ingest_file:1:3e774b6f38`` is exact but unreadable. Every view (graph,
timeline, tables, task picker, command line, ``repr``) shows :func:`task_labels` instead: the
task's name, and for tasks that share a name the input values that differ between them
(``ingest_file[file=13]``), with the id one click (or tooltip) away.
"""

from __future__ import annotations

import json
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from floto.ids import split_default_id, task_name

if TYPE_CHECKING:
    from floto.history._state import ExecutionState

MAX_VALUE_CHARS = 24
"""An input value in a label is cut to this many characters."""
MAX_KEYS = 3
"""At most this many input keys tell look-alike tasks apart; past that, the id's hash does."""
_cache: dict[int, tuple[weakref.ref[Any], int, dict[str, str]]] = {}
"""By ``id(state)`` (a state is not hashable): its weak reference, task count and labels."""


def base_name(task_id: str, task: Any = None) -> str:
    """The name a task is known by: its activity name, a child's workflow type, a timer's id."""
    if task is None:
        return task_name(task_id)
    kind = getattr(task, "kind", None) or type(task).__name__.lower()
    if kind == "timer":
        return task_id
    name = getattr(task, "workflow_type_name", None) or getattr(task, "name", None)
    return str(name) if name else task_name(task_id)


def _short(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _differing_keys(shorts: list[dict[str, str]]) -> list[str]:
    """Keys of dict inputs whose values are not all equal, in order of first appearance."""
    keys: dict[str, None] = {}
    for value in shorts:
        keys.update(dict.fromkeys(value))
    return [key for key in keys if len({value.get(key, "\0") for value in shorts}) > 1]


def _group_labels(name: str, members: list[tuple[str, Any]]) -> dict[str, str]:
    """Labels of the tasks that share ``name``: the input values that differ between them."""
    inputs: list[Any] = [getattr(task, "input", None) for _, task in members]
    labels: dict[str, str] = {}
    if all(isinstance(value, dict) for value in inputs):
        shorts = [{key: _short(item) for key, item in value.items()} for value in inputs]
        chosen: list[str] = []
        for key in _differing_keys(shorts)[:MAX_KEYS]:
            chosen.append(key)
            if len({tuple(v.get(k) for k in chosen) for v in shorts}) == len(shorts):
                break
        for (task_id, _), short in zip(members, shorts, strict=True):
            shown = [f"{key}={short[key]}" for key in chosen if key in short]
            labels[task_id] = f"{name}[{', '.join(shown)}]" if shown else name
    else:
        for (task_id, _), value in zip(members, inputs, strict=True):
            labels[task_id] = name if value is None else f"{name}[{_short(value)}]"
    return _unique(labels)


def _unique(labels: dict[str, str]) -> dict[str, str]:
    """Labels that two tasks would share: a default id's short hash is added; a task whose id
    its author chose (``broken-a``) is labelled by that id, already unique and readable."""
    counts: dict[str, int] = defaultdict(int)
    for label in labels.values():
        counts[label] += 1
    return {
        task_id: label if counts[label] == 1 else _apart(label, task_id)
        for task_id, label in labels.items()
    }


def _apart(label: str, task_id: str) -> str:
    parts = split_default_id(task_id)
    return f"{label} #{parts[2][:6]}" if parts else task_id


def task_labels(tasks: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> dict[str, str]:
    """``{task id: short label}`` for a set of tasks (id → task spec, or None when unknown).

    A task whose name no other task has is labelled by its name (``fetch``); tasks that share
    a name add the input values that differ between them (``ingest_file[file=13]``; a
    non-dict input is shown whole, cut to 24 characters); tasks still alike (same input,
    other requirements) add the id's short hash (``clean #963bdf``). Labels are unique.
    """
    items = list(tasks.items() if isinstance(tasks, Mapping) else tasks)
    groups: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for task_id, task in items:
        groups[base_name(task_id, task)].append((task_id, task))
    labels: dict[str, str] = {}
    for name, members in groups.items():
        if len(members) == 1:
            labels[members[0][0]] = name
        else:
            labels.update(_group_labels(name, members))
    if len(set(labels.values())) < len(labels):  # a name equal to another group's label
        labels = _unique(labels)
    return {task_id: labels[task_id] for task_id, _ in items}


def state_labels(state: ExecutionState) -> dict[str, str]:
    """:func:`task_labels` of a run's tasks, computed again only when tasks were added."""
    cached = _cache.get(id(state))
    count = len(state.tasks)
    if cached is not None and cached[0]() is state and cached[1] == count:
        return cached[2]
    labels = task_labels((task_id, ts.task) for task_id, ts in state.tasks.items())
    key = id(state)
    _cache[key] = (weakref.ref(state, lambda _: _cache.pop(key, None)), count, labels)
    return labels


def task_label(state: ExecutionState, task_id: str) -> str:
    """The label of one task of ``state`` (its id when the state does not know it)."""
    return state_labels(state).get(task_id, task_id)


def find_task(state: ExecutionState, key: Any) -> str:
    """The id of the task ``key`` names: its id, its label (``ingest_file[file=13]``) or a
    name only one task has (a task spec or TaskState is taken by its id).

    Raises:
        KeyError: no such task, or a name several tasks share (the message lists labels).
    """
    key = getattr(key, "task_id", None) or getattr(key, "id_", None) or key
    if not isinstance(key, str):
        raise TypeError(f"a task is named by its id, label or name, got {key!r}")
    if key in state.tasks:
        return key
    labels = state_labels(state)
    by_label = [task_id for task_id, label in labels.items() if label == key]
    if len(by_label) == 1:
        return by_label[0]
    named = [task_id for task_id, label in labels.items() if label.split("[")[0].split(" #")[0]
             == key]  # fmt: skip
    if len(named) == 1:
        return named[0]
    if named:
        listed = ", ".join(labels[task_id] for task_id in named[:8])
        more = f" and {len(named) - 8:,} more" if len(named) > 8 else ""
        raise KeyError(f"{len(named):,} tasks are named {key!r}: {listed}{more}; name one")
    raise KeyError(f"no task {key!r} in this run ({len(state.tasks):,} tasks)")
