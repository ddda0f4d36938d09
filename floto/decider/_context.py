"""The context a task receives: the activity's ``context`` dict, or a child's workflow input.

Rules (the seed README's "Activity Context"; details in docs/decider.md):

* ``workflow``: the workflow input, only for tasks that require nothing. Falsy values are
  kept; only the key a DynamicDecider read its tasks from is removed.
* ``<required task id>``: the result of each required task that returned one (0, "", [],
  {} and False are results). Timers and generators pass nothing on.
* ``activity_task`` (activities, generators) or ``child_workflow`` (child workflows): the
  task's own input, when it has one.
"""

from __future__ import annotations

from typing import Any

from floto.history._book import index_of
from floto.history._state import ExecutionState, TaskState

_SILENT_KINDS = frozenset({"timer", "generator"})


def workflow_value(state: ExecutionState) -> Any:
    """The workflow input as roots see it (the DynamicDecider's task list removed)."""
    value = state.workflow_input
    path = index_of(state).stripped_input_path
    if not path or not isinstance(value, dict):
        return value
    value = dict(value)
    if len(path) == 1:
        value.pop(path[0], None)
        return value
    inner = value.get(path[0])
    if isinstance(inner, dict):
        value[path[0]] = {key: item for key, item in inner.items() if key != path[1]}
    return value


def build_context(state: ExecutionState, ts: TaskState) -> dict[str, Any]:
    """The context dict of ``ts``'s next attempt."""
    context: dict[str, Any] = {}
    requires = ts.requires
    if not requires and state.input_text is not None:
        context["workflow"] = workflow_value(state)
    for required_id in requires:
        required = state.tasks.get(required_id)
        if required is None or required.kind in _SILENT_KINDS or not required.has_result:
            continue
        context[required_id] = required.result
    task_input = getattr(ts.task, "input", None)
    if task_input is not None:
        key = "child_workflow" if ts.kind == "child_workflow" else "activity_task"
        context[key] = task_input
    return context
