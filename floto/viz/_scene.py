"""What to draw: the tasks of a spec, workflow or task list, and/or of an ExecutionState.

Everything a caller may pass to :func:`floto.viz.draw` is turned into a :class:`Scene`: one
entry per task, in a stable topological order (requirements first), with its spec, its state
and the ids it requires. This module is pure: no graphviz.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from floto.dsl import WORKFLOW_FORMS, read_workflow
from floto.history import ExecutionState, TaskState, TaskStatus
from floto.specs.task import Task

DRAWABLE = f"{WORKFLOW_FORMS}, or an ExecutionState"


@dataclass
class Entry:
    """One task to draw."""

    task_id: str
    kind: str
    task: Task | None = None
    state: TaskState | None = None
    requires: list[str] = field(default_factory=list)
    generated_by: str | None = None

    @property
    def status(self) -> TaskStatus:
        """The task's status (pending when the execution has not reached it)."""
        return self.state.status if self.state is not None else TaskStatus.PENDING


@dataclass
class Scene:
    """Tasks in topological order, and the execution they belong to (if any)."""

    entries: list[Entry]
    execution: ExecutionState | None = None
    acyclic: bool = True  # False only for recorded data with a cycle

    @property
    def is_execution(self) -> bool:
        """Whether statuses are drawn."""
        return self.execution is not None


def build_scene(obj: Any, state: ExecutionState | None = None) -> Scene:
    """Turn what :func:`floto.viz.draw` was given into a Scene.

    Raises:
        TypeError: ``obj`` (or ``state``) is of no drawable type.
        SpecError: a spec's JSON is malformed (the message names the field), or the graph
            cannot run (GraphError, CycleError).
    """
    if isinstance(obj, ExecutionState):
        if state is not None:
            raise TypeError("draw(state) takes the ExecutionState once: not also state=...")
        obj, state = None, obj
    if state is not None and not isinstance(state, ExecutionState):
        raise TypeError(f"state must be a floto.history.ExecutionState, not {type(state).__name__}")
    tasks = [] if obj is None and state is not None else tasks_of(obj)
    entries = _entries(tasks, state)
    ordered = _ordered(entries)
    if ordered is None:  # a cycle in recorded data: draw it as given, without groups
        return Scene(entries=entries, execution=state, acyclic=False)
    return Scene(entries=ordered, execution=state)


def tasks_of(obj: Any) -> list[Task]:
    """The tasks of a spec, workflow, task, task list or spec JSON (floto.dsl.read_workflow),
    checked as a graph."""
    source = read_workflow(obj)
    if source is None:
        raise TypeError(f"cannot draw a {type(obj).__name__}; draw takes {DRAWABLE}")
    return source.tasks or []


def _entries(tasks: list[Task], state: ExecutionState | None) -> list[Entry]:
    states = state.tasks if state is not None else {}
    entries: dict[str, Entry] = {}
    for task in tasks:
        entries[task.id_] = Entry(task.id_, task.kind, task, states.get(task.id_))
    for task_id, task_state in states.items():
        if task_state.is_internal:  # shards draw as their member tasks
            continue
        entry = entries.get(task_id)
        if entry is None:
            entries[task_id] = Entry(task_id, task_state.kind, task_state.task, task_state)
        if task_state.generated_by in entries or task_state.generated_by in states:
            entries[task_id].generated_by = task_state.generated_by
    declared = {task_id: _declared(entry, entries) for task_id, entry in entries.items()}
    fed = _fed_siblings(entries, declared)
    for task_id, entry in entries.items():
        entry.requires = _drawn_requirements(entry, entries, declared[task_id], fed)
    return list(entries.values())


def _declared(entry: Entry, entries: dict[str, Entry]) -> list[str]:
    """The requirements the task's spec declares (among the tasks drawn)."""
    required = entry.task.required_ids if entry.task is not None else []
    return [task_id for task_id in dict.fromkeys(required) if task_id in entries]


def _fed_siblings(entries: dict[str, Entry], declared: dict[str, list[str]]) -> set[str]:
    """Generated tasks that another task from the same generator requires."""
    fed = set()
    for task_id, entry in entries.items():
        if entry.generated_by is not None:
            for required in declared[task_id]:
                if entries[required].generated_by == entry.generated_by:
                    fed.add(required)
    return fed


def _drawn_requirements(
    entry: Entry, entries: dict[str, Entry], declared: list[str], fed: set[str]
) -> list[str]:
    """Declared requirements, plus the ones a generator added at run time, minus the implied.

    A generated task hangs from its generator only if it requires none of its siblings; a
    generator's dependent is drawn after the generated tasks no sibling requires. Other edges
    the run added (all implied by those) are left out so the picture stays legible.
    """
    requires = list(declared)
    drawn = set(requires)  # membership in a set: a fan-in task requires thousands
    as_run = entry.state.requires if entry.state is not None else []
    generator = entry.generated_by
    siblings = generator is not None and any(entries[r].generated_by == generator for r in declared)
    if generator is not None and generator not in drawn and not siblings:
        requires.insert(0, generator)
        drawn.add(generator)
    for required in as_run:
        if required in drawn or required not in entries or required == generator:
            continue
        other = entries[required]
        if other.generated_by is not None and other.generated_by in as_run and required in fed:
            continue
        requires.append(required)
        drawn.add(required)
    return requires


def _ordered(entries: list[Entry]) -> list[Entry] | None:
    """``entries`` in topological order, ties broken by id (so the order is canonical), or
    None if they form a cycle. Kahn's algorithm with a heap: networkx's lexicographical sort
    gives the same order but took a quarter of a 5,000-task redraw."""
    by_id = {entry.task_id: entry for entry in entries}
    waiting_on = dict.fromkeys(by_id, 0)
    dependents: dict[str, list[str]] = {task_id: [] for task_id in by_id}
    for entry in entries:
        for required in entry.requires:
            if required in by_id:
                waiting_on[entry.task_id] += 1
                dependents[required].append(entry.task_id)
    ready = [task_id for task_id, count in waiting_on.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        task_id = heapq.heappop(ready)
        order.append(by_id[task_id])
        for dependent in dependents[task_id]:
            waiting_on[dependent] -= 1
            if waiting_on[dependent] == 0:
                heapq.heappush(ready, dependent)
    return order if len(order) == len(by_id) else None
