"""The ``>>`` and ``<<`` operators every task carries.

All operator overloading lives here and delegates to :func:`connect`. ``a >> b`` means
"b requires a". Each operator returns its right-hand operand, so ``a >> b >> c`` chains and
``[a, b] >> c`` / ``a >> [b, c]`` fan in and out. A non-task operand returns
``NotImplemented``, which makes Python raise a plain ``TypeError``; a list or tuple holding a
non-task raises a ``TypeError`` naming the item, before any task is connected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _as_tasks(operand: Any) -> list[Any] | None:
    """The tasks in ``operand`` (a task or a list/tuple of tasks), or None if it holds others."""
    if isinstance(operand, DependencyOperators):
        return [operand]
    if not isinstance(operand, (list, tuple)):
        return None
    for index, item in enumerate(operand):
        if not isinstance(item, DependencyOperators):
            raise TypeError(
                f"item {index} of the {type(operand).__name__} is a {type(item).__name__}, "
                "not a task: >> and << connect tasks, lists of tasks or tuples of tasks"
            )
    return list(operand)


def connect(upstream: Iterable[Any], downstream: Iterable[Any]) -> None:
    """Make every task in ``downstream`` require every task in ``upstream``."""
    upstream = list(upstream)
    for task in downstream:
        for required in upstream:
            task.add_requirement(required)


class DependencyOperators:
    """Mixin giving tasks ``>>``, ``<<`` and their reflected forms."""

    __slots__ = ()

    def add_requirement(self, task: Any) -> None:  # pragma: no cover - overridden by Task
        raise NotImplementedError

    def __rshift__(self, other: Any) -> Any:
        downstream = _as_tasks(other)
        if downstream is None:
            return NotImplemented
        connect([self], downstream)
        return other

    def __lshift__(self, other: Any) -> Any:
        upstream = _as_tasks(other)
        if upstream is None:
            return NotImplemented
        connect(upstream, [self])
        return other

    def __rrshift__(self, other: Any) -> Any:
        # [a, b] >> self
        upstream = _as_tasks(other)
        if upstream is None:
            return NotImplemented
        connect(upstream, [self])
        return self

    def __rlshift__(self, other: Any) -> Any:
        # [a, b] << self
        downstream = _as_tasks(other)
        if downstream is None:
            return NotImplemented
        connect([self], downstream)
        return self
