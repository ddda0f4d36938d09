"""What a workflow needs before it runs: its DeciderSpec, activity types, child workflow types.

Pure: nothing here talks to SWF. :func:`to_spec` turns what a user hands over (any form
``floto.dsl.read_workflow`` reads: a Workflow, a ``DeciderSpec``, its JSON, a task...) into the
DeciderSpec a launcher's decider runs; :func:`needs_of` lists what must be registered and
served for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from floto.dsl import WORKFLOW_FORMS, read_workflow
from floto.errors import GraphError, SpecError
from floto.history import find_input_tasks
from floto.specs import DeciderSpec, decode_tasks
from floto.specs.task import ActivityTask, ChildWorkflow, Task

TASK_LIST_PREFIX = "floto-"
"""Derived decision task lists start with this."""


@dataclass(frozen=True)
class ChildType:
    """A child workflow type a workflow starts, and where its runs are decided.

    ``task_list`` is the ChildWorkflow task's own, or None (the type's default task list).
    ``has_tasks`` says whether its input carries ``activity_tasks`` (a DynamicDecider can
    decide it); a child without them needs a decider of its own, which a launcher cannot guess.
    """

    name: str
    version: str
    task_list: str | None
    has_tasks: bool


@dataclass
class Needs:
    """Everything a spec's runs need registered and served.

    Attributes:
        spec: the DeciderSpec (task list and default activity task list filled in).
        activity_types: ``(name, version)`` of every activity and generator, sorted.
        activity_task_lists: every activity task list the tasks are scheduled on, sorted.
        children: the child workflow types the tasks start (nested children included).
        activity_tasks: every activity and generator task, child workflows' included.
        activity_type_lists: ``(name, version)`` -> the task list its first task names (else
            the spec's default activity task list): a new activity type's default task list.
    """

    spec: DeciderSpec
    activity_types: list[tuple[str, str]] = field(default_factory=list)
    activity_task_lists: list[str] = field(default_factory=list)
    children: list[ChildType] = field(default_factory=list)
    activity_tasks: list[ActivityTask] = field(default_factory=list)
    activity_type_lists: dict[tuple[str, str], str | None] = field(default_factory=dict)

    @property
    def dynamic(self) -> bool:
        """Whether the spec has no tasks of its own (a DynamicDecider reads them from input)."""
        return self.spec.activity_tasks is None


def to_spec(
    workflow: Any,
    *,
    domain: str,
    default_activity_task_list: str,
    task_list: str | None = None,
    failure_policy: str | None = None,
) -> DeciderSpec:
    """The DeciderSpec a launcher runs ``workflow`` with.

    Args:
        workflow: a ``floto.dsl.Workflow``, a ``DeciderSpec``, a spec's JSON (text, bytes,
            dict or ``pathlib.Path``), a task, or a list of tasks (or of task dicts): what
            ``floto.dsl.read_workflow`` reads.
        domain: the launcher's domain; a DeciderSpec for another domain is refused.
        default_activity_task_list: used when the spec names none.
        task_list: the decision task list; by default the spec's own, else
            :func:`derive_task_list`.
        failure_policy: ``"continue"`` or ``"fail_fast"``; by default the spec's (or the
            Workflow's) own.

    Returns:
        A new spec (the one given is not changed) with a task list, a default activity task
        list and ``terminate_decider_after_completion`` off (a launcher's decider serves
        every run of the spec until the launcher stops).

    Raises:
        SpecError: a malformed document, another domain, or anything that is not a workflow;
            GraphError (a SpecError) for no tasks, a cycle, an unknown requirement or two
            tasks with one id.
    """
    given = read_workflow(workflow, path="workflow")
    if given is None:
        raise SpecError(
            f"must be {WORKFLOW_FORMS}; got {type(workflow).__name__}", path="workflow"
        )
    if given.spec is None and not given.tasks:
        raise GraphError("a workflow needs at least one task", path="workflow")
    own_policy = getattr(workflow, "failure_policy", None) or "continue"  # a Workflow's
    source = given.spec or DeciderSpec(
        domain=domain, activity_tasks=given.tasks, failure_policy=own_policy
    )
    if source.domain != domain:
        raise SpecError(
            f"the spec is for domain {source.domain!r}, but this launcher serves {domain!r} "
            f"(build the spec for {domain!r}, or launch in domain {source.domain!r})",
            path="workflow.domain",
        )
    if source.activity_tasks is not None and not source.activity_tasks:
        raise GraphError("a workflow needs at least one task", path="workflow.activity_tasks")
    spec = DeciderSpec(
        domain=domain,
        activity_tasks=source.graph if source.activity_tasks is not None else None,
        default_activity_task_list=source.default_activity_task_list or default_activity_task_list,
        repeat_workflow=source.repeat_workflow,
        failure_policy=failure_policy or source.failure_policy,
    )
    spec.task_list = task_list or source.task_list or derive_task_list(spec)
    return spec


def derive_task_list(spec: DeciderSpec) -> str:
    """A decision task list for ``spec`` that only specs with the same content share.

    ``floto-<name of the first task>-<12 hex of sha1(spec JSON without its task list)>``:
    two different workflows never share a decider, and the same workflow launched again (in
    this process or another) finds its decider's task list again.
    """
    document = spec.to_dict()
    document.pop("task_list", None)
    document.pop("terminate_decider_after_completion", None)
    digest = hashlib.sha1(json.dumps(document, sort_keys=True).encode()).hexdigest()[:12]
    first = spec.activity_tasks[0] if spec.activity_tasks else None
    name = getattr(first, "name", None) or getattr(first, "workflow_type_name", None) or "flow"
    readable = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:40]
    return f"{TASK_LIST_PREFIX}{readable}-{digest}"


def _child_tasks(task: ChildWorkflow, path: str) -> list[Task] | None:
    """The tasks a child's DynamicDecider will find in its input, or None."""
    found = find_input_tasks({"child_workflow": task.input})
    if found is None:
        return None
    return decode_tasks(found[1], path=f"{path}.input.activity_tasks")


def needs_of(spec: DeciderSpec, workflow_input: Any = None) -> Needs:
    """What ``spec``'s runs need: activity types, task lists and child workflow types.

    Child workflows are followed into the tasks their input carries (``activity_tasks``),
    nested children too (with a loop, not recursion). A spec without tasks (a
    DynamicDecider's) takes them from ``workflow_input``'s ``activity_tasks`` if there.

    Raises:
        SpecError: a child's ``activity_tasks`` (or the input's) cannot be decoded.
    """
    needs = Needs(spec=spec)
    default_list = spec.default_activity_task_list
    tasks: Sequence[Task] = spec.activity_tasks or []
    if spec.activity_tasks is None:
        found = find_input_tasks(workflow_input)
        tasks = decode_tasks(found[1], path="input.activity_tasks") if found else []
    types: set[tuple[str, str]] = set()
    lists: set[str] = set()
    children: dict[ChildType, None] = {}
    stack: list[tuple[str, Iterable[Task]]] = [("workflow", tasks)]
    while stack:
        path, batch = stack.pop()
        for position, task in enumerate(batch):
            if isinstance(task, ActivityTask):
                types.add((task.name, task.version))
                lists.add(task.task_list or default_list or "")
                needs.activity_type_lists.setdefault(
                    (task.name, task.version), task.task_list or default_list
                )
                needs.activity_tasks.append(task)
            elif isinstance(task, ChildWorkflow):
                inner = _child_tasks(task, f"{path}[{position}]")
                child = ChildType(
                    task.workflow_type_name, task.workflow_type_version, task.task_list,
                    inner is not None,
                )  # fmt: skip
                children.setdefault(child, None)
                if inner:
                    stack.append((f"{path}[{position}].input.activity_tasks", inner))
    needs.activity_types = sorted(types)
    needs.activity_task_lists = sorted(name for name in lists if name)
    needs.children = list(children)
    return needs
