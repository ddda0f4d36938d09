"""What the drawing is made of, shared by floto.viz's drawing (``_draw``) and its DOT writer
(``_emit``): the ``Node`` a style function sees, the options, the units (a task or a group)
and the edges between them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from floto.history import TaskState, TaskStatus
from floto.specs.task import Task
from floto.viz._scene import Entry
from floto.viz._styles import GENERATED_EDGE_STYLE


@dataclass(frozen=True)
class Node:
    """One node of a drawing, as the ``style`` function sees it.

    A node draws one task, or a group of look-alike tasks (``is_group``); ``task`` and
    ``state`` are then those of the first member, ``status`` is the worst member's and
    ``counts`` has the number of members per status. ``status`` is None in drawings of a spec.
    """

    name: str
    task_ids: tuple[str, ...]
    kind: str
    task: Task | None = None
    state: TaskState | None = None
    status: TaskStatus | None = None
    counts: Mapping[TaskStatus, int] = field(default_factory=dict)
    generated_by: str | None = None

    @property
    def is_group(self) -> bool:
        """Whether the node stands for several tasks."""
        return len(self.task_ids) > 1

    @property
    def task_id(self) -> str | None:
        """The task's id (None for a group)."""
        return None if self.is_group else self.task_ids[0]


StyleFunction = Callable[[Node], Mapping[str, Any] | None]


@dataclass
class DrawOptions:
    direction: str
    legend: bool
    collapse_above: int | None
    title: str | None
    style: StyleFunction | None
    kind_styles: dict[str, dict[str, Any]]
    status_styles: dict[TaskStatus, dict[str, Any]]


@dataclass
class Unit:
    """A node to emit: its members, its attributes and its view for the style function."""

    members: list[Entry]
    node: Node
    attrs: dict[str, Any]


def edge_attributes(tail: Unit, head: Unit) -> Mapping[str, Any]:
    """Edges from a generator to the tasks it created are drawn dashed."""
    generator = head.node.generated_by
    if generator is not None and generator in tail.node.task_ids:
        return GENERATED_EDGE_STYLE
    return {}


def unit_edges(units: Sequence[Unit]) -> list[tuple[int, int]]:
    """Edges between units (by index), once each, in order."""
    position = {entry.task_id: index for index, unit in enumerate(units) for entry in unit.members}
    edges = {
        (position[required], index)
        for index, unit in enumerate(units)
        for entry in unit.members
        for required in entry.requires
    }
    return sorted(edges)
