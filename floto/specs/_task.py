"""Task: what every task is, and how its default id is derived.

A task's default id depends on the ids of the tasks it requires, and operators add
requirements after construction, so default ids are computed when read, never frozen. Every
change to any task's requirements or input bumps a class-wide generation counter; a cached id
is valid only for the generation it was computed in. Reading the ids of a whole graph after it
is built therefore costs one pass over the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from floto.errors import CycleError, SpecError
from floto.limits import MAX_ID_CHARS
from floto.specs._form import JsonForm
from floto.specs._operators import DependencyOperators


class Task(DependencyOperators, JsonForm):
    """Base of every task: an ``id_`` unique in its workflow and the ``requires`` list.

    ``requires`` holds Task objects (as the seed shows) or task id strings.
    """

    kind: ClassVar[str] = "task"
    _generation: ClassVar[int] = 0

    def __init__(self, id_: str | None = None, requires: Sequence[Task | str] | None = None):
        if id_ is not None:
            _check_name(self, "id_", id_)
        self._explicit_id = id_
        self._cached_id: str | None = None
        self._cached_generation = -1
        self._requires: list[Task | str] = []
        self.requires = requires

    # -- requirements -------------------------------------------------------------------
    @property
    def requires(self) -> list[Task | str]:
        """The tasks (or task ids) this task waits for. Assign a new list to change it."""
        return list(self._requires)

    @requires.setter
    def requires(self, requires: Sequence[Task | str] | None) -> None:
        if requires is None:
            requires = []
        if isinstance(requires, (str, Task)) or not isinstance(requires, (list, tuple)):
            raise SpecError(
                f"must be a list of tasks or task ids, got {type(requires).__name__}",
                path=self._label(),
                field="requires",
            )
        for index, item in enumerate(requires):
            if not isinstance(item, (Task, str)) or item == "":
                raise SpecError(
                    f"must be a Task or a non-empty task id string, got {item!r}",
                    path=self._label(),
                    field=f"requires[{index}]",
                )
        self._requires = list(requires)
        self._requirement_keys = {_requirement_key(item) for item in self._requires}
        Task._touch()

    def add_requirement(self, task: Task | str) -> None:
        """Make this task require ``task`` (a Task or an id); adding one twice is a no-op."""
        if not isinstance(task, (Task, str)):
            raise TypeError(f"a requirement must be a Task or a task id, not {type(task)!r}")
        if task is self:
            raise CycleError([self._label()], path=f"{self._label()}.requires")
        key = _requirement_key(task)
        if key in self._requirement_keys:
            return
        self._requirement_keys.add(key)
        self._requires.append(task)
        Task._touch()

    @property
    def required_ids(self) -> list[str]:
        """The ids of the required tasks, in order."""
        return [req if isinstance(req, str) else req.id_ for req in self._requires]

    # -- ids ----------------------------------------------------------------------------
    @classmethod
    def _touch(cls) -> None:
        Task._generation += 1

    @property
    def id_(self) -> str:
        """The task id: the explicit one, or the default derived from the task's fields."""
        if self._explicit_id is not None:
            return self._explicit_id
        if self._cached_generation != Task._generation:
            _compute_default_ids(self)
        assert self._cached_id is not None
        return self._cached_id

    @id_.setter
    def id_(self, value: str | None) -> None:
        if value is not None:
            _check_name(self, "id_", value)
        self._explicit_id = value
        Task._touch()

    @property
    def has_explicit_id(self) -> bool:
        """Whether the id was set explicitly rather than derived."""
        return self._explicit_id is not None

    def _default_id(self, required_ids: list[str]) -> str:
        raise SpecError("this task type has no default id; set id_", path=self._label())

    # -- presentation -------------------------------------------------------------------
    def _label(self) -> str:
        return type(self).__name__

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In Jupyter: the graph of the task and its requirements (see floto.display)."""
        from floto.display import mimebundle

        return mimebundle(self, include, exclude)

    def __repr__(self) -> str:
        try:
            ident = self.id_
        except SpecError:
            ident = "?"
        return f"<{type(self).__name__} {ident}>"


def _requirement_key(requirement: Task | str) -> str | int:
    return requirement if isinstance(requirement, str) else id(requirement)


def _compute_default_ids(start: Task) -> None:
    """Fill the id cache of ``start`` and of every task upstream of it, without recursion."""
    generation = Task._generation
    stack: list[tuple[Task, bool]] = [(start, False)]
    on_path: set[int] = set()
    path: list[Task] = []
    while stack:
        task, expanded = stack.pop()
        if expanded:
            on_path.discard(id(task))
            path.pop()
            task._cached_id = task._default_id(task.required_ids)
            task._cached_generation = generation
            continue
        if task._explicit_id is not None or task._cached_generation == generation:
            continue
        if id(task) in on_path:
            cycle = path[path.index(task) :]
            raise CycleError([t._label() for t in cycle])
        on_path.add(id(task))
        path.append(task)
        stack.append((task, True))
        for required in reversed(task._requires):
            if isinstance(required, Task):
                stack.append((required, False))


def _brief(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters so that errors stay one readable line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"


def _check_name(task: Task, field: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(
            f"must be a non-empty string, got {_brief(value)}", path=task._label(), field=field
        )
    if len(value) > MAX_ID_CHARS:
        raise SpecError(
            f"is {len(value)} characters, over SWF's limit of {MAX_ID_CHARS}",
            path=task._label(),
            field=field,
        )
