"""Workflow: the tasks reachable from some tasks, checked, ordered and compiled to a spec."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

import networkx as nx

from floto.dsl._payloads import warn_about_payloads
from floto.errors import SpecError
from floto.specs import DeciderSpec, TaskGraph, check_failure_policy, check_tasks
from floto.specs.task import Task


class ServesTasks(Protocol):
    """What can say whether it serves tasks (``floto.ActivityRegistry``)."""

    def check_serves(self, tasks: Sequence[Task]) -> None:
        """Raise UnservedTaskError naming the tasks it cannot run."""


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

    Checking it (reading ``tasks``, ``graph``, ``check()``, ``decider_spec()``) warns
    (:class:`PayloadSizeWarning`) about a literal task input over SWF's 32,768 characters
    when this environment configures no payload store.

    >>> a, b = ActivityTask("a", "v1"), ActivityTask("b", "v1")
    >>> flow = Workflow(a >> b)
    >>> [task.id_ for task in flow.tasks]  # a first: b requires it

    ``failure_policy`` (keyword): ``"continue"`` (default) or ``"fail_fast"``, what its
    specs do when a task fails for good (see :class:`~floto.specs.DeciderSpec`).
    """

    def __init__(self, *tasks: Task | Iterable[Task], failure_policy: str = "continue") -> None:
        self._roots = _flatten(tasks)
        try:
            self.failure_policy = check_failure_policy(failure_policy)
        except SpecError as error:
            raise SpecError(error.reason, path="Workflow", field="failure_policy") from None
        self._checked: TaskGraph | None = None

    def _compile(self) -> TaskGraph:
        """The checked graph of the tasks in topological order (checked again only after a
        task changed)."""
        if self._checked is None or not self._checked.is_current:
            discovered = check_tasks(collect_upstream(self._roots), path="tasks")
            ordered = discovered.topological_order()
            # The same check, in topological order: no need to run it twice.
            self._checked = TaskGraph(tuple(ordered), discovered.graph, discovered.generation)
            warn_about_payloads(ordered)
        return self._checked

    @property
    def tasks(self) -> list[Task]:
        """Every task, in a stable topological order (requirements first).

        Raises:
            GraphError: empty workflow, duplicate ids, an unknown requirement, or a cycle.
        """
        return list(self._compile().tasks)

    @property
    def graph(self) -> nx.DiGraph:
        """The dependency graph: nodes are task ids (attribute ``task``), edges required -> task."""
        return self._compile().graph

    @property
    def task_graph(self) -> TaskGraph:
        """The checked :class:`~floto.specs.TaskGraph` (tasks in topological order)."""
        return self._compile()

    def check(self, registry: ServesTasks | None = None) -> Workflow:
        """Run every graph check; with a registry, also report tasks no function serves.

        Raises:
            GraphError: see :attr:`tasks`; UnservedTaskError (a GraphError) from the registry.
        """
        checked = self._compile()
        if registry is not None:
            registry.check_serves(checked.tasks)
        return self

    def decider_spec(
        self,
        domain: str,
        task_list: str | None = None,
        default_activity_task_list: str | None = None,
        *,
        repeat_workflow: bool = False,
        terminate_decider_after_completion: bool = False,
        failure_policy: str | None = None,
    ) -> DeciderSpec:
        """Compile to a :class:`~floto.specs.DeciderSpec` (tasks in topological order).

        ``failure_policy``: ``"continue"`` or ``"fail_fast"`` (default: the workflow's own,
        see :class:`Workflow`)."""
        return DeciderSpec(
            domain=domain,
            task_list=task_list,
            activity_tasks=self._compile(),
            default_activity_task_list=default_activity_task_list,
            repeat_workflow=repeat_workflow,
            terminate_decider_after_completion=terminate_decider_after_completion,
            failure_policy=failure_policy or self.failure_policy,
        )

    def __len__(self) -> int:
        return len(self.tasks)

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In Jupyter: the workflow's graph (see floto.display)."""
        from floto.display import mimebundle

        return mimebundle(self, include, exclude)

    def __repr__(self) -> str:
        count = len(collect_upstream(self._roots))
        return f"<Workflow of {count} task{'' if count == 1 else 's'}>"
