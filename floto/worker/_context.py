"""ActivityContext: the dict an activity function receives, with readers by task name."""

from __future__ import annotations

from typing import Any

from floto.ids import task_name

WORKFLOW_KEY = "workflow"
INPUT_KEYS = ("activity_task", "child_workflow")
_RESERVED = frozenset({WORKFLOW_KEY, *INPUT_KEYS})


class ActivityContext(dict[str, Any]):
    """The context an activity receives: the seed's dict (keys: the ids of required tasks
    that returned a result, ``"workflow"`` for tasks that require nothing, and the task's own
    input as ``"activity_task"``, or ``"child_workflow"``), plus readers by task name.

    A name matches the tasks whose default id ``name:version:hash`` has that name, and a task
    whose own id is exactly the name. Example::

        @floto.activity(name="report", version="1")
        def report(context):
            rows = context.result("fetch")        # the one required task named fetch
            total = sum(context.results("clean"))  # every look-alike clean task
            return {"day": context.input["day"], "rows": rows, "total": total}
    """

    def _matching(self, name: str) -> list[tuple[str, Any]]:
        if not isinstance(name, str) or not name:
            raise TypeError(f"a task name must be a non-empty string, got {name!r}")
        return [
            (key, value)
            for key, value in self.items()
            if key not in _RESERVED and (key == name or task_name(key) == name)
        ]

    def result(self, name: str) -> Any:
        """The result of the one required task named ``name`` (or with that id).

        Raises:
            KeyError: no required task of that name returned a result, or several did (use
                :meth:`results`); the message lists the tasks the context has.
        """
        found = self._matching(name)
        if len(found) == 1:
            return found[0][1]
        if not found:
            raise KeyError(f"no result of a task named {name!r} in this context; {self._has()}")
        ids = ", ".join(key for key, _ in found[:5])
        raise KeyError(
            f"{len(found)} required tasks are named {name!r} ({ids}): use "
            f"context.results({name!r}) for all of them"
        )

    def results(self, name: str) -> list[Any]:
        """The results of every required task named ``name``, in the context's order (empty
        when none returned one)."""
        return [value for _, value in self._matching(name)]

    def results_by_id(self, name: str) -> dict[str, Any]:
        """``{task id: result}`` of every required task named ``name``."""
        return dict(self._matching(name))

    @property
    def input(self) -> Any:
        """The task's own input (``activity_task``, or ``child_workflow``), None without one."""
        for key in INPUT_KEYS:
            if key in self:
                return self[key]
        return None

    @property
    def workflow_input(self) -> Any:
        """The workflow's input (``"workflow"``), which only tasks that require nothing get;
        None for the others or without one. A dict comes as an ActivityContext: a child
        workflow's input is the context its parent built, read by name the same way."""
        return as_context(self.get(WORKFLOW_KEY))

    def _has(self) -> str:
        names = sorted({task_name(key) for key in self if key not in _RESERVED})
        return "it has " + (", ".join(names) if names else "no results of required tasks")


def as_context(value: Any) -> Any:
    """``value`` as an :class:`ActivityContext` when it is a dict (other JSON as it is)."""
    if isinstance(value, dict) and not isinstance(value, ActivityContext):
        return ActivityContext(value)
    return value
