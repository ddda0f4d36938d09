"""The task graph of a spec, checked once: unique ids, known requirements, no cycle.

:func:`check_tasks` returns a :class:`TaskGraph`. Whoever holds one (a Workflow, a
DeciderSpec, a Decider) passes it on instead of the bare task list, so a spec is checked
exactly once however it is built; a graph is re-checked only if some task changed since
(``Task`` keeps a generation counter that every change bumps).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from floto.errors import CycleError, GraphError
from floto.specs._tasks import Task


@dataclass(frozen=True)
class TaskGraph:
    """Tasks whose graph has been checked, and the graph.

    Attributes:
        tasks: the tasks, in the order given.
        graph: networkx DiGraph, a node per task id (attribute ``task``), edges required -> task.
        generation: ``Task``'s generation when checked; the check holds while it is current.
    """

    tasks: tuple[Task, ...]
    graph: nx.DiGraph = field(repr=False, compare=False)
    generation: int

    @property
    def is_current(self) -> bool:
        """Whether no task has changed since the check (else :meth:`recheck`)."""
        return self.generation == Task._generation

    def recheck(self, *, path: str = "tasks") -> TaskGraph:
        """This graph if still current, else the tasks checked again."""
        return self if self.is_current else check_tasks(self.tasks, path=path, allow_empty=True)

    def topological_order(self) -> list[Task]:
        """The tasks, requirements first; ties keep the given order."""
        position = {task.id_: index for index, task in enumerate(self.tasks)}
        order = nx.lexicographical_topological_sort(self.graph, key=position.__getitem__)
        return [self.graph.nodes[task_id]["task"] for task_id in order]

    def __len__(self) -> int:
        return len(self.tasks)


def build_graph(tasks: Sequence[Task], *, path: str = "tasks") -> nx.DiGraph:
    """The dependency graph: a node per task id (attribute ``task``), an edge required -> task.

    Raises:
        GraphError: two tasks share an id, or a requirement is not among ``tasks``.
    """
    graph: nx.DiGraph = nx.DiGraph()
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
    tasks: Sequence[Task] | TaskGraph, *, path: str = "tasks", allow_empty: bool = False
) -> TaskGraph:
    """Check a task list (a current TaskGraph is returned as it is).

    Raises:
        GraphError: no tasks (unless ``allow_empty``), duplicate ids, unknown requirements.
        CycleError: the graph has a cycle (the message lists the ids around it).
    """
    if isinstance(tasks, TaskGraph):
        if tasks.is_current and (tasks.tasks or allow_empty):
            return tasks
        tasks = tasks.tasks
    if not tasks and not allow_empty:
        raise GraphError("a workflow needs at least one task", path=path)
    generation = Task._generation
    graph = build_graph(tasks, path=path)
    cycle = find_cycle(graph)
    if cycle:
        raise CycleError(cycle, path=path)
    return TaskGraph(tuple(tasks), graph, generation)
