"""read_workflow(): the one reading of "a workflow" that launch, viz and every command share.

A workflow is given as a :class:`floto.dsl.Workflow`, a ``DeciderSpec``, a spec's JSON (text,
bytes, a dict or a ``pathlib.Path`` to a file), a task (or a task's JSON), a DynamicDecider's
input (``{"activity_tasks": [...]}``), or a list of tasks (or of task dicts). JSON is read
only through floto's bounded reader and allow-listed decoder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from floto.dsl._workflow import Workflow
from floto.errors import SpecError
from floto.limits import MAX_DOCUMENT_CHARS
from floto.specs import SPEC_TYPE, TASK_TYPES, DeciderSpec, decode_spec, decode_task, decode_tasks
from floto.specs import loads as load_json
from floto.specs.task import Task

WORKFLOW_FORMS = (
    "a floto.dsl.Workflow, a DeciderSpec or its JSON (text, dict or a pathlib.Path to a file), "
    "a task, or a list of tasks (or of task dicts)"
)
"""What :func:`read_workflow` accepts, for error messages."""


@dataclass(frozen=True)
class WorkflowSource:
    """A workflow as given: its tasks (checked as one graph) and its spec if it was one.

    ``tasks`` is None for a spec without tasks (a DynamicDecider's: they come with each run).
    """

    tasks: list[Task] | None
    spec: DeciderSpec | None = None


def read_workflow(obj: Any, *, path: str = "$") -> WorkflowSource | None:
    """What ``obj`` says the workflow is; None if it is none of :data:`WORKFLOW_FORMS`.

    Args:
        obj: the workflow, in any of its forms.
        path: names ``obj`` in error messages (``workflow``, a file name...).

    Raises:
        SpecError: a malformed document or file (the message names the field), a list
            mixing tasks and other things; GraphError for a bad graph.
    """
    if isinstance(obj, DeciderSpec):
        return WorkflowSource(list(obj.activity_tasks) if obj.activity_tasks is not None else None,
                              obj)  # fmt: skip
    if isinstance(obj, Workflow):
        return WorkflowSource(obj.tasks)
    if isinstance(obj, Task):
        return WorkflowSource(Workflow(obj).tasks)
    if isinstance(obj, os.PathLike):
        return from_document(_read(obj), os.fspath(obj))
    if isinstance(obj, (str, bytes)):
        return from_document(_parse(obj, path), path)
    if isinstance(obj, dict):
        return from_document(obj, path)
    if isinstance(obj, (list, tuple)):
        return WorkflowSource(_from_list(obj))
    return None


def from_document(document: Any, path: str = "$") -> WorkflowSource:
    """A parsed JSON document's workflow: a spec, a task, a DynamicDecider input or a list of
    task dicts (decoded through floto's allow-list).

    Raises:
        SpecError: anything else, or a malformed document (naming the field).
    """
    if isinstance(document, list):
        return WorkflowSource(decode_tasks(document, "activity_tasks") if document else [])
    if not isinstance(document, dict):
        kind = type(document).__name__.replace("str", "a string").replace("NoneType", "null")
        raise SpecError(f"must be a JSON object (a spec) or an array (a task list), got {kind}",
                        path=path)  # fmt: skip
    type_ = document.get("type")
    if type_ == SPEC_TYPE:
        spec = decode_spec(document)
        assert isinstance(spec, DeciderSpec)
        tasks = spec.activity_tasks
        return WorkflowSource(list(tasks) if tasks is not None else None, spec)
    if type_ in TASK_TYPES:
        return WorkflowSource([decode_task(document, "task")])
    if type_ is None and "activity_tasks" in document:  # a DynamicDecider's workflow input
        return WorkflowSource(decode_tasks(document["activity_tasks"], "activity_tasks"))
    if type_ is None:
        raise SpecError(
            f"expected a {SPEC_TYPE}, a task, or an object with 'activity_tasks'", path=path
        )
    raise SpecError(
        f"type {type_!r} is not allowed (expected a {SPEC_TYPE}, a task, or an object with "
        "'activity_tasks')",
        path=f"{path}.type" if path else "type",
    )


def _read(file: os.PathLike[str]) -> Any:
    try:
        with open(file, encoding="utf-8") as stream:
            text = stream.read(MAX_DOCUMENT_CHARS + 1)  # loads refuses anything longer
    except OSError as error:
        raise SpecError(f"cannot read the file: {error.strerror}", path=os.fspath(file)) from None
    except UnicodeDecodeError as error:
        raise SpecError(f"not UTF-8 text (byte {error.start})", path=os.fspath(file)) from None
    return load_json(text, os.fspath(file))


def _parse(text: str | bytes, path: str) -> Any:
    try:
        return load_json(text, path)
    except SpecError as error:
        raise SpecError(
            f"{error.reason} (a str is read as JSON text; pass a pathlib.Path to read a file)",
            path=path,
        ) from None


def _from_list(items: Sequence[Any]) -> list[Task]:
    if not items:
        return []
    if all(isinstance(item, Task) for item in items):
        return Workflow(*items).tasks
    if all(isinstance(item, dict) for item in items):
        return decode_tasks(list(items), "activity_tasks")
    for index, item in enumerate(items):
        if not isinstance(item, (Task, dict)):
            raise SpecError(
                f"must be a task (or a task's JSON), got {type(item).__name__}",
                path=f"tasks[{index}]",
            )
    raise SpecError("mixes Task objects and JSON dicts; pass one or the other", path="tasks")
