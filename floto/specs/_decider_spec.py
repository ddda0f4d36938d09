"""DeciderSpec: everything a decider needs to run a workflow."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from floto.errors import SpecError
from floto.specs._form import Field, JsonForm, as_object, decode_form, loads
from floto.specs._graph import TaskGraph, check_tasks
from floto.specs._tasks import Task, decode_task_list, iter_tasks

FAILURE_POLICIES = ("continue", "fail_fast")
"""What a run does when a task fails with no retry left: ``"continue"`` (the default) runs
every task that does not depend on the failure and fails the run once nothing more can run,
reporting every failure; ``"fail_fast"`` fails the run at once and cancels its open work."""


def check_failure_policy(value: Any, name: str = "failure_policy") -> str:
    """``value`` if it is one of :data:`FAILURE_POLICIES`, else a SpecError naming it."""
    if value not in FAILURE_POLICIES:
        raise SpecError(
            f"must be one of {', '.join(map(repr, FAILURE_POLICIES))}, got {value!r}", field=name
        )
    return str(value)


def _non_default_policy(policy: str) -> str | None:
    return None if policy == FAILURE_POLICIES[0] else policy


def _check_flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"must be true or false, got {value!r}", field=name)
    return value


def _check_optional_name(name: str, value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise SpecError(f"must be a non-empty string, got {value!r}", field=name)
    return value


def _decode_tasks(value: Any, path: str) -> TaskGraph:
    where = f"{path}.activity_tasks" if path else "activity_tasks"
    # Checked here, where errors get the document's path; DeciderSpec keeps the TaskGraph.
    return check_tasks(decode_task_list(value, where), path=where, allow_empty=True)


class DeciderSpec(JsonForm):
    """The workflow logic a decider runs, and where it runs it.

    Args:
        domain: the SWF domain.
        task_list: the decider's (decision) task list.
        activity_tasks: the tasks of the workflow (or a checked
            :class:`~floto.specs.TaskGraph` of them); their requirements must be among them.
        default_activity_task_list: task list for activities that name none.
        repeat_workflow: start the workflow again after it completes.
        terminate_decider_after_completion: stop the decider once the workflow has closed.
            ``terminate_workflow_after_completion`` (the seed README's name) is accepted too.
        failure_policy: when a task fails with no retry left, ``"continue"`` (default) runs
            every task that does not depend on it and fails the run once nothing more can
            run, listing every failure; ``"fail_fast"`` fails the run at once and cancels its
            open activities and timers (docs/decider.md). Older JSON without it decodes to
            ``"continue"``.

    Raises:
        SpecError: a field is malformed; GraphError (a SpecError) for a requirement that is not
            among ``activity_tasks``, two tasks with one id, or a cycle.
    """

    json_type: ClassVar[str] = "floto.specs.DeciderSpec"
    json_fields: ClassVar[tuple[Field, ...]] = (
        Field("domain", required=True),
        Field("task_list"),
        Field("activity_tasks", decode=_decode_tasks),
        Field("default_activity_task_list"),
        Field("repeat_workflow"),
        Field("terminate_decider_after_completion"),
        Field("terminate_workflow_after_completion", encode=lambda spec: None),
        # Left out at the default, so the seed's JSON keeps its shape.
        Field("failure_policy", encode=lambda spec: _non_default_policy(spec.failure_policy)),
    )

    def __init__(
        self,
        domain: str,
        task_list: str | None = None,
        activity_tasks: Sequence[Task] | TaskGraph | None = None,
        default_activity_task_list: str | None = None,
        repeat_workflow: bool = False,
        terminate_decider_after_completion: bool = False,
        terminate_workflow_after_completion: bool | None = None,
        failure_policy: str = "continue",
    ) -> None:
        if not isinstance(domain, str) or not domain.strip():
            raise SpecError(f"must be a non-empty string, got {domain!r}", field="domain")
        self.domain = domain
        self.task_list = _check_optional_name("task_list", task_list)
        self.default_activity_task_list = _check_optional_name(
            "default_activity_task_list", default_activity_task_list
        )
        self.repeat_workflow = _check_flag("repeat_workflow", repeat_workflow)
        terminate = _check_flag(
            "terminate_decider_after_completion", terminate_decider_after_completion
        )
        if terminate_workflow_after_completion is not None:
            terminate = terminate or _check_flag(
                "terminate_workflow_after_completion", terminate_workflow_after_completion
            )
        self.terminate_decider_after_completion = terminate
        self.failure_policy = check_failure_policy(failure_policy)
        self.activity_tasks: list[Task] | None = None
        self._graph: TaskGraph | None = None
        if activity_tasks is not None:
            if not isinstance(activity_tasks, TaskGraph):
                activity_tasks = iter_tasks(activity_tasks, "activity_tasks")
            self._graph = check_tasks(activity_tasks, path="activity_tasks", allow_empty=True)
            self.activity_tasks = list(self._graph.tasks)

    @property
    def graph(self) -> TaskGraph:
        """The checked graph of ``activity_tasks`` (checked again only if a task changed).

        Raises:
            GraphError: the tasks were changed since into a graph that cannot run.
        """
        tasks = self.activity_tasks or []
        graph = self._graph
        if graph is None or list(graph.tasks) != tasks or not graph.is_current:
            graph = self._graph = check_tasks(tasks, path="activity_tasks", allow_empty=True)
        return graph

    @property
    def terminate_workflow_after_completion(self) -> bool:
        """The seed README's name for ``terminate_decider_after_completion``."""
        return self.terminate_decider_after_completion

    def to_json(self, indent: int | None = None) -> str:
        """The spec as JSON text (keys sorted)."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=indent)

    @classmethod
    def from_json(cls, document: str | bytes | dict[str, Any]) -> DeciderSpec:
        """Build a spec from ``to_json()`` text (or its parsed dict), through the allow-list."""
        return decode_spec(document)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DeciderSpec):
            return NotImplemented
        mine, theirs = self.to_dict(), other.to_dict()
        # Task order carries no meaning; compare the tasks by id.
        mine_tasks = {t["id_"]: t for t in mine.pop("activity_tasks", [])}
        their_tasks = {t["id_"]: t for t in theirs.pop("activity_tasks", [])}
        return mine == theirs and mine_tasks == their_tasks

    __hash__ = None  # type: ignore[assignment]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In Jupyter: the graph of the spec's tasks (see floto.display)."""
        from floto.display import mimebundle

        return mimebundle(self, include, exclude)

    def __repr__(self) -> str:
        count = len(self.activity_tasks or [])
        return f"<DeciderSpec domain={self.domain!r} task_list={self.task_list!r} tasks={count}>"


def decode_spec(value: Any, path: str = "") -> DeciderSpec:
    """Build a DeciderSpec from its JSON form (a dict, or JSON text)."""
    if isinstance(value, (str, bytes)):
        value = loads(value, path or "$")
    as_object(value, path or "$")
    return decode_form({DeciderSpec.json_type: DeciderSpec}, value, path)
