"""Workflow: the tasks reachable from some tasks, checked, ordered and compiled to a spec."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from floto.dsl._checks import check_tasks
from floto.errors import SpecError
from floto.specs._decider_spec import DeciderSpec
from floto.specs._tasks import Task

if TYPE_CHECKING:
    from floto.worker._registry import ActivityRegistry


def _flatten(items: Iterable[Any]) -> list[Task]:
    flat: list[Task] = []
    stack = [iter(items)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, (list, tuple, set, frozenset)):
                stack.append(iter(item))
                break
            if not isinstance(item, Task):
                raise SpecError(
                    f"a workflow is built from tasks, got {type(item).__name__}", path="Workflow"
                )
            flat.append(item)
        else:
            stack.pop()
    return flat


def collect_upstream(tasks: Iterable[Task]) -> list[Task]:
    """``tasks`` and every Task object they require, directly or not, in discovery order."""
    seen: dict[int, Task] = {}
    queue = list(tasks)
    position = 0
    for task in queue:
        seen.setdefault(id(task), task)
    while position < len(queue):
        task = queue[position]
        position += 1
        for required in task.requires:
            if isinstance(required, Task) and id(required) not in seen:
                seen[id(required)] = required
                queue.append(required)
    return list(seen.values())


class Workflow:
    """The workflow made of the given tasks and everything upstream of them.

    >>> a, b = ActivityTask("a", "v1"), ActivityTask("b", "v1")
    >>> flow = Workflow(a >> b)
    >>> [task.id_ for task in flow.tasks]  # a first: b requires it
    """

    def __init__(self, *tasks: Task | Iterable[Task]) -> None:
        self._roots = _flatten(tasks)
        self._cache_generation = -1
        self._tasks: list[Task] = []
        self._graph: nx.DiGraph = nx.DiGraph()

    def _compile(self) -> None:
        if self._cache_generation == Task._generation:
            return
        discovered = collect_upstream(self._roots)
        graph = check_tasks(discovered, path="tasks")
        order = {task.id_: index for index, task in enumerate(discovered)}
        self._tasks = [
            graph.nodes[task_id]["task"]
            for task_id in nx.lexicographical_topological_sort(graph, key=order.__getitem__)
        ]
        self._graph = graph
        self._cache_generation = Task._generation

    @property
    def tasks(self) -> list[Task]:
        """Every task, in a stable topological order (requirements first).

        Raises:
            GraphError: empty workflow, duplicate ids, an unknown requirement, or a cycle.
        """
        self._compile()
        return list(self._tasks)

    @property
    def graph(self) -> nx.DiGraph:
        """The dependency graph: nodes are task ids (attribute ``task``), edges required -> task."""
        self._compile()
        return self._graph

    def check(self, registry: ActivityRegistry | None = None) -> Workflow:
        """Run every graph check; with a registry, also report tasks no function serves."""
        self._compile()
        if registry is not None:
            check_tasks(self._tasks, path="tasks", registry=registry)
        return self

    def decider_spec(
        self,
        domain: str,
        task_list: str | None = None,
        default_activity_task_list: str | None = None,
        *,
        repeat_workflow: bool = False,
        terminate_decider_after_completion: bool = False,
    ) -> DeciderSpec:
        """Compile to a :class:`~floto.specs.DeciderSpec` (tasks in topological order)."""
        return DeciderSpec(
            domain=domain,
            task_list=task_list,
            activity_tasks=self.tasks,
            default_activity_task_list=default_activity_task_list,
            repeat_workflow=repeat_workflow,
            terminate_decider_after_completion=terminate_decider_after_completion,
        )

    def __len__(self) -> int:
        return len(self.tasks)

    def __iter__(self):
        return iter(self.tasks)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In Jupyter: the workflow's graph (see floto.display)."""
        from floto.display import mimebundle

        return mimebundle(self, include, exclude)

    def __repr__(self) -> str:
        count = len(collect_upstream(self._roots))
        return f"<Workflow of {count} task{'' if count == 1 else 's'}>"
