"""Task specs: ActivityTask, Generator, ChildWorkflow and Timer (the base, Task, and its
default ids are in :mod:`floto.specs._task`), their JSON fields, and decoding them."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from floto.boundedjson import dumps_checked
from floto.errors import SpecError
from floto.ids import default_task_id
from floto.limits import MAX_TIMER_SECONDS, MAX_VALUE_DEPTH
from floto.specs._form import Field, JSONEncoder, decode_form, json_kind, loads
from floto.specs._retry import Strategy, decode_strategy
from floto.specs._task import Task, _brief, _check_name


def _decode_requires(value: Any, path: str) -> list[str]:
    if not isinstance(value, list):
        raise SpecError(
            f"must be an array of task ids, got {json_kind(value)}", path=path, field="requires"
        )
    for index, required in enumerate(value):
        if not isinstance(required, str) or not required:
            raise SpecError(
                f"must be a task id string, got {required!r}", path=path, field=f"requires[{index}]"
            )
    return value


def _decode_strategy(value: Any, path: str) -> Strategy:
    return decode_strategy(value, f"{path}.retry_strategy")


ID_FIELD = Field("id_")
REQUIRES_FIELD = Field(
    "requires", encode=lambda task: task.required_ids or None, decode=_decode_requires
)
WORK_FIELDS = (
    Field("input"),
    Field("retry_strategy", decode=_decode_strategy),
    Field("task_list"),
)


def _json_input(task: Task, value: Any) -> tuple[Any, int]:
    """(the input as floto sends it, the length of its JSON): checked against floto's nesting
    limit, with any floto Task, DeciderSpec or date inside it replaced by its JSON form (as
    ``floto.specs.JSONEncoder`` writes it), so that ``ChildWorkflow(input={"activity_tasks":
    [task, ...]})`` works.

    An input over SWF's limit is allowed: it travels through the payload store (floto.api);
    ``floto.dsl.oversized_inputs`` finds such inputs, so ``Workflow`` and ``floto check`` can
    warn when no store is configured."""
    path = f"{task._label()}.input"
    try:
        encoded = dumps_checked(value, MAX_VALUE_DEPTH, path, sort_keys=True)
    except SpecError:  # e.g. a Task inside: floto's encoder writes its JSON form
        encoded = dumps_checked(value, MAX_VALUE_DEPTH, path, sort_keys=True, cls=JSONEncoder)
        value = json.loads(encoded)  # floto's own text, within the limits just checked
    return value, (len(encoded) if value is not None else 0)


def _ignore_domain(task: str, domain: str | None) -> None:
    """floto 0.0.3's tasks took ``domain=``: accepted, with a DeprecationWarning, and unused (a
    task runs in its decider spec's domain)."""
    if domain is not None:
        warnings.warn(
            f"{task}(domain=...) is floto 0.0.3's form; the task runs in its DeciderSpec's "
            f"domain: write {task}(...) without domain=",
            DeprecationWarning,
            stacklevel=3,
        )


def _check_retry_strategy(task: Task, value: Any) -> None:
    if value is not None and not isinstance(value, Strategy):
        raise SpecError(
            f"must be a floto.specs.retry_strategy.Strategy, got {type(value).__name__}",
            path=task._label(),
            field="retry_strategy",
        )


class _WorkTask(Task):
    """A task that does work somewhere: an activity, generator or child workflow."""

    def __init__(
        self,
        id_: str | None,
        requires: Sequence[Task | str] | None,
        input: Any,
        retry_strategy: Strategy | None,
        task_list: str | None,
    ) -> None:
        super().__init__(id_=id_, requires=requires)
        input, self._input_chars = _json_input(self, input)
        _check_retry_strategy(self, retry_strategy)
        if task_list is not None:
            _check_name(self, "task_list", task_list)
        self._input = input
        self.retry_strategy = retry_strategy
        self.task_list = task_list

    @property
    def input(self) -> Any:
        """The task's own input, given to the activity as ``context['activity_task']``."""
        return self._input

    @input.setter
    def input(self, value: Any) -> None:
        self._input, self._input_chars = _json_input(self, value)
        Task._touch()

    @property
    def input_chars(self) -> int:
        """Characters of the input's JSON text (0 without input): over SWF's 32,768 it can
        only travel through a payload store."""
        return self._input_chars


class ActivityTask(_WorkTask):
    """Runs the activity function registered under ``name`` and ``version``.

    Args:
        name: activity type name, as the worker registers it.
        version: activity type version.
        activity_id: the task id; defaults to ``name:version:hash`` (``id_`` is accepted too).
        requires: tasks (or task ids) that must complete first.
        input: JSON-serialisable input, seen by the activity as ``context['activity_task']``.
        retry_strategy: what to do when an attempt fails or times out.
        task_list: activity task list; defaults to the decider's default activity task list.
        domain: floto 0.0.3's argument, accepted with a DeprecationWarning and unused.
    """

    kind: ClassVar[str] = "activity"
    json_type: ClassVar[str] = "floto.specs.task.ActivityTask"
    json_fields: ClassVar[tuple[Field, ...]] = (
        ID_FIELD,
        Field("name", required=True),
        Field("version", required=True),
        REQUIRES_FIELD,
        *WORK_FIELDS,
    )

    def __init__(
        self,
        name: str,
        version: str,
        activity_id: str | None = None,
        requires: Sequence[Task | str] | None = None,
        input: Any = None,
        retry_strategy: Strategy | None = None,
        task_list: str | None = None,
        *,
        id_: str | None = None,
        domain: str | None = None,
    ) -> None:
        _ignore_domain(type(self).__name__, domain)
        self.name = name
        self.version = version
        _check_name(self, "name", name)
        _check_name(self, "version", version)
        super().__init__(
            _one_id(self, activity_id, id_), requires, input, retry_strategy, task_list
        )

    def _label(self) -> str:
        return f"{type(self).__name__}({_brief(self.name)}, {_brief(self.version)})"

    def _default_id(self, required_ids: list[str]) -> str:
        return default_task_id(self.name, self.version, self._input, required_ids)


class Generator(ActivityTask):
    """An activity whose function returns more tasks, which join the graph at run time.

    The generator's dependents wait until every generated task has completed.
    """

    kind: ClassVar[str] = "generator"
    json_type: ClassVar[str] = "floto.specs.task.Generator"


class ChildWorkflow(_WorkTask):
    """Starts a child workflow execution of the given type; its result arrives under its id.

    Args:
        workflow_type_name: the child's workflow type name.
        workflow_type_version: the child's workflow type version.
        workflow_id: the task id (also the child's workflow id, encoded for SWF); defaults to
            ``workflow_type_name:workflow_type_version:hash`` (``id_`` is accepted too).
        requires, input, retry_strategy: as for :class:`ActivityTask`.
        task_list: the child's decision task list (defaults to the workflow type's).
    """

    kind: ClassVar[str] = "child_workflow"
    json_type: ClassVar[str] = "floto.specs.task.ChildWorkflow"
    json_fields: ClassVar[tuple[Field, ...]] = (
        ID_FIELD,
        Field("workflow_type_name", required=True),
        Field("workflow_type_version", required=True),
        REQUIRES_FIELD,
        *WORK_FIELDS,
    )

    def __init__(
        self,
        workflow_type_name: str,
        workflow_type_version: str,
        workflow_id: str | None = None,
        requires: Sequence[Task | str] | None = None,
        input: Any = None,
        retry_strategy: Strategy | None = None,
        task_list: str | None = None,
        *,
        id_: str | None = None,
        domain: str | None = None,
    ) -> None:
        _ignore_domain("ChildWorkflow", domain)
        self.workflow_type_name = workflow_type_name
        self.workflow_type_version = workflow_type_version
        _check_name(self, "workflow_type_name", workflow_type_name)
        _check_name(self, "workflow_type_version", workflow_type_version)
        super().__init__(
            _one_id(self, workflow_id, id_), requires, input, retry_strategy, task_list
        )

    def _label(self) -> str:
        name, version = self.workflow_type_name, self.workflow_type_version
        return f"ChildWorkflow({_brief(name)}, {_brief(version)})"

    def _default_id(self, required_ids: list[str]) -> str:
        return default_task_id(
            self.workflow_type_name, self.workflow_type_version, self._input, required_ids
        )


class Timer(Task):
    """Waits ``delay_in_seconds`` after its requirements complete; its id must be given."""

    kind: ClassVar[str] = "timer"
    json_type: ClassVar[str] = "floto.specs.task.Timer"
    json_fields: ClassVar[tuple[Field, ...]] = (
        Field("id_", required=True),
        Field("delay_in_seconds", required=True),
        REQUIRES_FIELD,
    )

    def __init__(
        self,
        id_: str,
        delay_in_seconds: int,
        requires: Sequence[Task | str] | None = None,
    ) -> None:
        if id_ is None:
            raise SpecError("a Timer needs an explicit id_", path="Timer.id_")
        super().__init__(id_=id_, requires=requires)
        if (
            isinstance(delay_in_seconds, bool)
            or not isinstance(delay_in_seconds, int)
            or not 0 <= delay_in_seconds <= MAX_TIMER_SECONDS
        ):
            raise SpecError(
                f"must be a whole number of seconds from 0 to {MAX_TIMER_SECONDS:,}, "
                f"got {_brief(delay_in_seconds)}",
                path=self._label(),
                field="delay_in_seconds",
            )
        self.delay_in_seconds = delay_in_seconds

    def _label(self) -> str:
        explicit = getattr(self, "_explicit_id", None)
        return f"Timer({_brief(explicit)})" if explicit else "Timer"


def _one_id(task: Task, specific: str | None, id_: str | None) -> str | None:
    if specific is not None and id_ is not None and specific != id_:
        raise SpecError(
            f"two different ids given: {specific!r} and id_={id_!r}",
            path=task._label(),
            field="id_",
        )
    return specific if specific is not None else id_


def iter_tasks(tasks: Iterable[Any], path: str) -> list[Task]:
    """Check that ``tasks`` is a list of Task objects and return it as a list."""
    if isinstance(tasks, (str, bytes, Task)) or not isinstance(tasks, Iterable):
        raise SpecError(f"must be a list of tasks, got {type(tasks).__name__}", path=path)
    result = list(tasks)
    for index, task in enumerate(result):
        if not isinstance(task, Task):
            raise SpecError(f"must be a Task, got {type(task).__name__}", path=f"{path}[{index}]")
    return result


TASK_TYPES: dict[str, type[Task]] = {
    cls.json_type: cls for cls in (ActivityTask, Generator, ChildWorkflow, Timer)
}
"""The task classes a document may name, by ``type``."""


def decode_task(value: Any, path: str = "task") -> Task:
    """Build one task from its JSON form (its ``requires`` stay task id strings)."""
    return decode_form(TASK_TYPES, value, path)


def decode_task_list(value: Any, path: str = "activity_tasks") -> list[Task]:
    """Build the tasks of a JSON array (or its text); their graph is not checked here."""
    if isinstance(value, (str, bytes)):
        value = loads(value, path)
    if not isinstance(value, list):
        raise SpecError(f"must be an array of tasks, got {json_kind(value)}", path=path)
    return [decode_task(item, f"{path}[{index}]") for index, item in enumerate(value)]
