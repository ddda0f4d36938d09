"""Tasks a generator returned: decoded through the allow-list, checked against the graph, and
joined to it (each requires the generator; the generator's dependents wait for all of them).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import networkx as nx

from floto.errors import PayloadError, SpecError
from floto.history._book import add_requirements, add_tasks
from floto.history._payloads import StoredPayload
from floto.history._state import ExecutionState, TaskState
from floto.ids import wire_id_problem
from floto.specs import decode_tasks
from floto.specs.task import Task

_MAX_SHOWN = 5


def expand_generator(state: ExecutionState, generator: TaskState, result: Any) -> None:
    """Join the generator's tasks to the graph, or record why the run must fail.

    A task list stored outside SWF is read now (not kept: the tasks are what matters).
    """
    try:
        if isinstance(result, StoredPayload):
            result = result.load()
    except PayloadError as error:
        if error.transient:
            raise
        state.problems[generator.task_id] = f"the generator's task list cannot be read: {error}"
        return
    try:
        tasks = _decode(result)
        _check(state, generator.task_id, tasks)
    except SpecError as error:
        state.problems[generator.task_id] = f"generator returned bad tasks: {error}"
        return
    index = state.index
    dependents = list(index.dependents.get(generator.task_id, ()))
    added = add_tasks(state, tasks, generated_by=generator.task_id)
    for dependent_id in dependents:
        dependent = state.tasks.get(dependent_id)
        if dependent is not None:
            add_requirements(state, dependent, added)


def _decode(result: Any) -> list[Task]:
    if result is None:
        raise SpecError("got no result; a generator must return a list of tasks (maybe empty)")
    return decode_tasks(result, path="result", check_graph=False)


def _check(state: ExecutionState, generator_id: str, tasks: list[Task]) -> None:
    """Raise SpecError naming every generated task that cannot join the graph."""
    batch: dict[str, Task] = {}
    for position, task in enumerate(tasks):
        task_id = task.id_
        if task_id in batch:
            raise SpecError(
                f"two generated tasks have the id {task_id!r}", path=f"result[{position}]"
            )
        if task_id in state.tasks:
            raise SpecError(
                f"task id {task_id!r} is already in the workflow", path=f"result[{position}]"
            )
        problem = wire_id_problem(task.id_)
        if problem:
            raise SpecError(problem, path=f"result[{position}]")
        batch[task_id] = task
    downstream: set[str] | None = None
    for position, task in enumerate(tasks):
        for number, required in enumerate(task.required_ids):
            where = f"result[{position}].requires[{number}]"
            if required in batch or required == generator_id:
                continue
            other = state.tasks.get(required)
            if other is None:
                raise SpecError(f"unknown task id {required!r}", path=where)
            if not other.status.is_done:
                if downstream is None:
                    downstream = _downstream(state, generator_id)
                if required in downstream:
                    raise SpecError(
                        f"{required!r} waits for the generator, so requiring it makes a cycle",
                        path=where,
                    )
    _check_acyclic(batch)


def _downstream(state: ExecutionState, start: str) -> set[str]:
    """Every task that waits, directly or not, for ``start``."""
    dependents = state.index.dependents
    seen: set[str] = set()
    queue = deque([start])
    while queue:
        for dependent in dependents.get(queue.popleft(), ()):
            if dependent not in seen:
                seen.add(dependent)
                queue.append(dependent)
    return seen


def _check_acyclic(batch: dict[str, Task]) -> None:
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(batch)
    for task_id, task in batch.items():
        graph.add_edges_from((r, task_id) for r in task.required_ids if r in batch)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = [edge[0] for edge in nx.find_cycle(graph)][:_MAX_SHOWN]
        raise SpecError("cycle among generated tasks: " + " -> ".join([*cycle, cycle[0]]))
