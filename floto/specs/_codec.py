"""The JSON form of tasks, retry strategies and decider specs, decoded from an allow-list.

Workflow input, generator results and signals come from outside, so a document's ``type``
never chooses what gets imported or instantiated: only the classes in :data:`TYPES` are
built. Every bad document raises :class:`floto.errors.SpecError` whose message names the
field path and the reason, e.g. ``activity_tasks[2].requires[0]: unknown task id 'x'``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from floto.errors import SpecError
from floto.specs._retry import DelayedRetry, InstantRetry, Strategy
from floto.specs._tasks import ActivityTask, ChildWorkflow, Generator, Task, Timer

if TYPE_CHECKING:
    from floto.specs._decider_spec import DeciderSpec

TASK_TYPES: dict[str, type[Task]] = {
    "floto.specs.task.ActivityTask": ActivityTask,
    "floto.specs.task.Generator": Generator,
    "floto.specs.task.ChildWorkflow": ChildWorkflow,
    "floto.specs.task.Timer": Timer,
}
STRATEGY_TYPES: dict[str, type[Strategy]] = {
    "floto.specs.retry_strategy.InstantRetry": InstantRetry,
    "floto.specs.retry_strategy.DelayedRetry": DelayedRetry,
}
SPEC_TYPE = "floto.specs.DeciderSpec"
TYPES = frozenset([*TASK_TYPES, *STRATEGY_TYPES, SPEC_TYPE])
"""Every ``type`` value the decoder accepts."""

_TYPE_NAMES = {cls: name for name, cls in {**TASK_TYPES, **STRATEGY_TYPES}.items()}

# Fields of each JSON form: name -> required?
_ACTIVITY_FIELDS = {
    "id_": False,
    "name": True,
    "version": True,
    "input": False,
    "requires": False,
    "retry_strategy": False,
    "task_list": False,
}
_CHILD_FIELDS = {
    "id_": False,
    "workflow_type_name": True,
    "workflow_type_version": True,
    "input": False,
    "requires": False,
    "retry_strategy": False,
    "task_list": False,
}
_TIMER_FIELDS = {"id_": True, "delay_in_seconds": True, "requires": False}
_TASK_FIELDS: dict[type[Task], dict[str, bool]] = {
    ActivityTask: _ACTIVITY_FIELDS,
    Generator: _ACTIVITY_FIELDS,
    ChildWorkflow: _CHILD_FIELDS,
    Timer: _TIMER_FIELDS,
}
_STRATEGY_FIELDS: dict[type[Strategy], dict[str, bool]] = {
    InstantRetry: {"retries": True},
    DelayedRetry: {
        "retries": False,
        "initial_delay_in_seconds": False,
        "backoff_factor": False,
        "max_delay_in_seconds": False,
    },
}
_SPEC_FIELDS = {
    "domain": True,
    "task_list": False,
    "activity_tasks": False,
    "default_activity_task_list": False,
    "repeat_workflow": False,
    "terminate_decider_after_completion": False,
    "terminate_workflow_after_completion": False,
}


def type_name(obj: Any) -> str:
    """The ``type`` value of a floto task or strategy (only floto's own classes have one)."""
    try:
        return _TYPE_NAMES[type(obj)]
    except KeyError:
        raise SpecError(
            f"{type(obj).__module__}.{type(obj).__qualname__} has no JSON form; only floto's "
            "own task and strategy classes can be encoded"
        ) from None


# -- encoding ------------------------------------------------------------------------------
def _dropping_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: fields[key] for key in sorted(fields) if fields[key] is not None}


def strategy_to_dict(strategy: Strategy) -> dict[str, Any]:
    """The JSON form of a retry strategy."""
    name = type_name(strategy)  # a SpecError for strategies without a JSON form
    fields = {field: getattr(strategy, field) for field in _STRATEGY_FIELDS[type(strategy)]}
    return _dropping_none({**fields, "type": name})


def task_to_dict(task: Task) -> dict[str, Any]:
    """The JSON form of a task: sorted keys, ``None`` fields and empty ``requires`` omitted."""
    fields: dict[str, Any] = {"id_": task.id_, "type": type_name(task)}
    if task.requires:
        fields["requires"] = task.required_ids
    if isinstance(task, Timer):
        fields["delay_in_seconds"] = task.delay_in_seconds
        return _dropping_none(fields)
    if isinstance(task, ChildWorkflow):
        fields["workflow_type_name"] = task.workflow_type_name
        fields["workflow_type_version"] = task.workflow_type_version
    else:
        assert isinstance(task, ActivityTask)
        fields["name"] = task.name
        fields["version"] = task.version
    fields["input"] = task.input
    fields["task_list"] = task.task_list
    if task.retry_strategy is not None:
        fields["retry_strategy"] = strategy_to_dict(task.retry_strategy)
    return _dropping_none(fields)


class JSONEncoder(json.JSONEncoder):
    """Encodes floto tasks, strategies and specs by their JSON form, and dates as ISO text."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (Task, Strategy)) or type(o).__name__ == "DeciderSpec":
            return o.to_dict()
        if isinstance(o, (dt.datetime, dt.date, dt.time)):
            return o.isoformat()
        return super().default(o)


# -- decoding ------------------------------------------------------------------------------
def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SpecError(f"must be a JSON object, got {_json_kind(value)}", path=path)
    return value


def _json_kind(value: Any) -> str:
    kinds = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return kinds.get(type(value), type(value).__name__)


def _lookup_type(document: dict[str, Any], allowed: dict[str, Any], path: str) -> Any:
    type_ = document.get("type")
    if not isinstance(type_, str):
        raise SpecError(f"needs a string 'type', got {type_!r}", path=path, field="type")
    if type_ not in allowed:
        raise SpecError(
            f"type {type_!r} is not allowed here (allowed: {', '.join(sorted(allowed))})",
            path=path,
            field="type",
        )
    return allowed[type_]


def _fields(document: dict[str, Any], spec: dict[str, bool], type_: str, path: str) -> dict:
    for key in document:
        if key != "type" and key not in spec:
            raise SpecError(f"unknown field {key!r} for {type_}", path=path)
    for key, required in spec.items():
        if required and document.get(key) is None:
            raise SpecError(f"required field of {type_} is missing", path=path, field=key)
    return {key: value for key, value in document.items() if key != "type" and value is not None}


def _construct(factory: Callable[..., Any], kwargs: dict[str, Any], path: str) -> Any:
    try:
        return factory(**kwargs)
    except SpecError as error:
        raise SpecError(error.reason, path=path, field=error.field) from None


def decode_strategy(value: Any, path: str = "retry_strategy") -> Strategy:
    """Build a retry strategy from its JSON form."""
    document = _object(value, path)
    cls = _lookup_type(document, STRATEGY_TYPES, path)
    return _construct(cls, _fields(document, _STRATEGY_FIELDS[cls], document["type"], path), path)


def decode_task(value: Any, path: str = "task") -> Task:
    """Build one task from its JSON form (its ``requires`` stay task id strings)."""
    document = _object(value, path)
    cls = _lookup_type(document, TASK_TYPES, path)
    kwargs = _fields(document, _TASK_FIELDS[cls], document["type"], path)
    requires = kwargs.get("requires", [])
    if not isinstance(requires, list):
        raise SpecError(
            f"must be an array of task ids, got {_json_kind(requires)}", path=path, field="requires"
        )
    for index, required in enumerate(requires):
        if not isinstance(required, str) or not required:
            raise SpecError(
                f"must be a task id string, got {required!r}", path=path, field=f"requires[{index}]"
            )
    if "retry_strategy" in kwargs:
        kwargs["retry_strategy"] = decode_strategy(
            kwargs["retry_strategy"], f"{path}.retry_strategy"
        )
    return _construct(cls, kwargs, path)


def decode_tasks(value: Any, path: str = "activity_tasks", *, check_graph: bool = True) -> list:
    """Build a task list; with ``check_graph`` every requirement must be one of the tasks."""
    if isinstance(value, str):
        value = loads(value, path)
    if not isinstance(value, list):
        raise SpecError(f"must be an array of tasks, got {_json_kind(value)}", path=path)
    tasks = [decode_task(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if check_graph:
        from floto.dsl._checks import check_tasks

        check_tasks(tasks, path=path, allow_empty=True)
    return tasks


def decode_spec(value: Any, path: str = "") -> DeciderSpec:
    """Build a DeciderSpec from its JSON form (a dict, or JSON text)."""
    from floto.specs._decider_spec import DeciderSpec

    if isinstance(value, (str, bytes)):
        value = loads(value, path or "$")
    document = _object(value, path or "$")
    _lookup_type(document, {SPEC_TYPE: DeciderSpec}, path)
    kwargs = _fields(document, _SPEC_FIELDS, SPEC_TYPE, path)
    if "activity_tasks" in kwargs:
        prefix = f"{path}.activity_tasks" if path else "activity_tasks"
        kwargs["activity_tasks"] = decode_tasks(kwargs["activity_tasks"], prefix)
    return _construct(DeciderSpec, kwargs, path)


def decode(value: Any, path: str = "") -> Any:
    """Build whatever floto object a JSON document describes, by its allow-listed ``type``."""
    if isinstance(value, (str, bytes)):
        value = loads(value, path or "$")
    document = _object(value, path or "$")
    allowed = {name: name for name in TYPES}
    type_ = _lookup_type(document, allowed, path)
    if type_ == SPEC_TYPE:
        return decode_spec(document, path)
    if type_ in TASK_TYPES:
        return decode_task(document, path or "task")
    return decode_strategy(document, path or "retry_strategy")


def loads(text: str | bytes, path: str = "$") -> Any:
    """``json.loads`` whose errors are SpecErrors naming where the text is broken."""
    try:
        return json.loads(text)
    except (TypeError, ValueError) as error:
        raise SpecError(f"not valid JSON: {error}", path=path) from None
