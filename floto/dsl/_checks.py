"""Graph checks run before anything reaches SWF: ids, requirements, cycles, served activities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import networkx as nx

from floto.errors import CycleError, GraphError, UnservedTaskError
from floto.specs._tasks import ActivityTask, Task

if TYPE_CHECKING:
    from floto.worker._registry import ActivityRegistry


def build_graph(tasks: Sequence[Task], *, path: str = "tasks") -> nx.DiGraph:
    """The dependency graph: a node per task id (attribute ``task``), an edge required -> task.

    Raises:
        GraphError: two tasks share an id, or a requirement is not among ``tasks``.
    """
    graph = nx.DiGraph()
    first_index: dict[str, int] = {}
    for index, task in enumerate(tasks):
        task_id = task.id_
        if task_id in first_index:
            raise GraphError(
                f"two tasks have the id {task_id!r} ({path}[{first_index[task_id]}] and "
                f"{path}[{index}])",
                path=f"{path}[{index}]",
            )
        first_index[task_id] = index
        graph.add_node(task_id, task=task)
    for index, task in enumerate(tasks):
        for position, required_id in enumerate(task.required_ids):
            if required_id not in first_index:
                raise GraphError(
                    f"unknown task id {required_id!r}",
                    path=f"{path}[{index}].requires[{position}]",
                )
            graph.add_edge(required_id, task.id_)
    return graph


def find_cycle(graph: nx.DiGraph) -> list[str] | None:
    """The task ids around one cycle in dependency order, or None if the graph is acyclic."""
    if nx.is_directed_acyclic_graph(graph):
        return None
    return [edge[0] for edge in nx.find_cycle(graph)]


def check_tasks(
    tasks: Sequence[Task],
    *,
    path: str = "tasks",
    allow_empty: bool = False,
    registry: ActivityRegistry | None = None,
) -> nx.DiGraph:
    """Check a task list and return its graph.

    Raises:
        GraphError: no tasks (unless ``allow_empty``), duplicate ids, unknown requirements.
        CycleError: the graph has a cycle (the message lists the ids around it).
        UnservedTaskError: with a ``registry``, activities or generators no function serves.
    """
    if not tasks and not allow_empty:
        raise GraphError("a workflow needs at least one task", path=path)
    graph = build_graph(tasks, path=path)
    cycle = find_cycle(graph)
    if cycle:
        raise CycleError(cycle, path=path)
    if registry is not None:
        check_served(tasks, registry)
    return graph


def check_served(tasks: Sequence[Task], registry: ActivityRegistry) -> None:
    """Raise UnservedTaskError naming every activity or generator ``registry`` cannot run."""
    problems: list[str] = []
    unserved: list[str] = []
    for task in tasks:
        if not isinstance(task, ActivityTask):
            continue
        definition = registry.get(task.name, task.version)
        if definition is None:
            problems.append(
                f"{task.id_} (no function registered as {task.name!r} version {task.version!r})"
            )
        elif definition.kind != task.kind:
            problems.append(
                f"{task.id_} (is a {task.kind} but {task.name!r} "
                f"{task.version!r} is registered as a {definition.kind})"
            )
        else:
            continue
        unserved.append(task.id_)
    if problems:
        raise UnservedTaskError(
            "tasks no registered function serves: " + "; ".join(problems), task_ids=unserved
        )
