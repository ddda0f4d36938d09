"""Decoding any floto document by its allow-listed ``type``.

Workflow input, generator results and signals come from outside, so a document's ``type``
never chooses what gets imported or instantiated: only the classes in :data:`TYPES` are
built (each declares its own fields, see :mod:`floto.specs._form`). Every bad document
raises :class:`floto.errors.SpecError` whose message names the field path and the reason,
e.g. ``activity_tasks[2].requires[0]: unknown task id 'x'``.
"""

from __future__ import annotations

from typing import Any

from floto.specs._decider_spec import DeciderSpec, decode_spec
from floto.specs._form import as_object, loads, lookup_type
from floto.specs._graph import check_tasks
from floto.specs._retry import STRATEGY_TYPES, decode_strategy
from floto.specs._tasks import TASK_TYPES, Task, decode_task, decode_task_list

SPEC_TYPE = DeciderSpec.json_type
TYPES = frozenset([*TASK_TYPES, *STRATEGY_TYPES, SPEC_TYPE])
"""Every ``type`` value the decoder accepts."""


def decode_tasks(
    value: Any, path: str = "activity_tasks", *, check_graph: bool = True
) -> list[Task]:
    """Build a task list; with ``check_graph`` every requirement must be one of the tasks."""
    tasks = decode_task_list(value, path)
    if check_graph:
        check_tasks(tasks, path=path, allow_empty=True)
    return tasks


def decode(value: Any, path: str = "") -> Any:
    """Build whatever floto object a JSON document describes, by its allow-listed ``type``."""
    if isinstance(value, (str, bytes)):
        value = loads(value, path or "$")
    document = as_object(value, path or "$")
    type_ = lookup_type(document, {name: name for name in TYPES}, path)
    if type_ == SPEC_TYPE:
        return decode_spec(document, path)
    if type_ in TASK_TYPES:
        return decode_task(document, path or "task")
    return decode_strategy(document, path or "retry_strategy")
