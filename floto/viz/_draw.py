"""``draw``: a spec, workflow, task list or execution as a ``graphviz.Digraph``. Never renders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from floto.history import ExecutionState, TaskStatus, task_labels
from floto.viz import _labels
from floto.viz._errors import require_graphviz
from floto.viz._group import partition
from floto.viz._scene import Entry, Scene, build_scene
from floto.viz._styles import (
    GROUP_STYLE,
    KIND_STYLES,
    STATUS_STYLES,
    PlainText,
    layered,
)
from floto.viz._units import DrawOptions, Node, StyleFunction, Unit

if TYPE_CHECKING:
    from floto.viz._digraph import Drawing

DEFAULT_COLLAPSE_ABOVE = 40
"""Drawings of more tasks than this collapse look-alike tasks into groups."""
DIRECTIONS = ("LR", "TB", "RL", "BT")


def draw(
    obj: Any,
    *,
    state: ExecutionState | None = None,
    direction: str = "LR",
    legend: bool = True,
    collapse_above: int | None = DEFAULT_COLLAPSE_ABOVE,
    title: str | None = None,
    style: StyleFunction | None = None,
    kind_styles: Mapping[str, Mapping[str, Any]] | None = None,
    status_styles: Mapping[TaskStatus | str, Mapping[str, Any]] | None = None,
) -> Drawing:
    """Draw a workflow, or an execution coloured by status, as a ``graphviz.Digraph``.

    Nothing is rendered: the result shows inline in Jupyter, and ``.pipe(format="svg")``,
    ``.render()`` and ``.source`` work as on any Digraph.

    Args:
        obj: a DeciderSpec, a ``floto.dsl.Workflow``, a task or list of tasks, a spec's JSON
            (text, dict, or a ``pathlib.Path`` to a file), or an ExecutionState.
        state: an ExecutionState to colour ``obj``'s tasks by (tasks it has that ``obj``
            lacks, such as generated ones, are drawn too).
        direction: ``"LR"`` (left to right) or ``"TB"`` (top to bottom); also ``RL``, ``BT``.
        legend: draw a legend of the shapes and statuses used.
        collapse_above: with more tasks than this, look-alike tasks (same kind, name, version,
            retry policy, generator, and look-alike requirements and dependents) collapse into
            one group node with a count; ``None`` never collapses.
        title: a caption; by default an execution's workflow id and status.
        style: called with each :class:`Node`; returns DOT attributes laid over floto's.
        kind_styles: DOT attributes per kind (``activity``, ``generator``, ``child_workflow``,
            ``timer``) laid over :data:`floto.viz.KIND_STYLES`.
        status_styles: DOT attributes per status laid over :data:`floto.viz.STATUS_STYLES`.

    Raises:
        VizDependencyError: the python ``graphviz`` package is missing (an ImportError).
        TypeError: ``obj`` cannot be drawn; SpecError: a malformed spec, naming the field.
        ValueError: a bad option.
    """
    options = _options(direction, legend, collapse_above, title, style, kind_styles, status_styles)
    require_graphviz()
    from floto.viz._emit import emit

    scene = build_scene(obj, state)
    return emit(scene, _nodes(scene, options), options)


def _options(
    direction: Any,
    legend: Any,
    collapse_above: Any,
    title: Any,
    style: Any,
    kind_styles: Any,
    status_styles: Any,
) -> DrawOptions:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    if not isinstance(legend, bool):
        raise ValueError(f"legend must be True or False, got {legend!r}")
    if collapse_above is not None and (
        isinstance(collapse_above, bool)
        or not isinstance(collapse_above, int)
        or collapse_above < 0
    ):
        raise ValueError(
            f"collapse_above must be a whole number >= 0 or None, got {collapse_above!r}"
        )
    if title is not None and not isinstance(title, str):
        raise ValueError(f"title must be a string, got {type(title).__name__}")
    if style is not None and not callable(style):
        raise ValueError(f"style must be a function of a floto.viz.Node, got {style!r}")
    return DrawOptions(
        direction,
        legend,
        collapse_above,
        title,
        style,
        _kind_styles(kind_styles),
        _status_styles(status_styles),
    )


def _kind_styles(overrides: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    styles = {kind: dict(attrs) for kind, attrs in KIND_STYLES.items()}
    for kind, attrs in _style_overrides("kind_styles", "kind", overrides):
        if kind not in styles:
            raise ValueError(f"kind_styles: unknown kind {kind!r} (kinds: {', '.join(styles)})")
        styles[kind].update(attrs)
    return styles


def _status_styles(
    overrides: Mapping[TaskStatus | str, Mapping[str, Any]] | None,
) -> dict[TaskStatus, dict[str, Any]]:
    styles = {status: dict(attrs) for status, attrs in STATUS_STYLES.items()}
    for key, attrs in _style_overrides("status_styles", "status", overrides):
        try:
            status = TaskStatus(key)
        except ValueError:
            names = ", ".join(status.value for status in TaskStatus)
            raise ValueError(f"status_styles: unknown status {key!r} (statuses: {names})") from None
        styles[status].update(attrs)
    return styles


def _style_overrides(name: str, key: str, overrides: Any) -> list[tuple[Any, Mapping[str, Any]]]:
    """The (key, attributes) pairs of a ``kind_styles``/``status_styles`` option, type-checked."""
    if overrides is None:
        return []
    if not isinstance(overrides, Mapping):
        raise ValueError(
            f"{name} must be a dict of {key} -> DOT attributes, got {type(overrides).__name__}"
        )
    for item, attrs in overrides.items():
        if not isinstance(attrs, Mapping):
            raise ValueError(
                f"{name}[{item!r}] must be a dict of DOT attributes, got {type(attrs).__name__}"
            )
    return list(overrides.items())


# -- nodes ----------------------------------------------------------------------------------
def _units(scene: Scene, collapse_above: int | None) -> list[list[Entry]]:
    entries = scene.entries
    if collapse_above is None or len(entries) <= collapse_above or not scene.acyclic:
        return [[entry] for entry in entries]
    by_id = {entry.task_id: entry for entry in entries}
    classes = partition(
        [entry.task_id for entry in entries],
        {entry.task_id: entry.requires for entry in entries},
        {entry.task_id: _labels.signature(entry) for entry in entries},
    )
    return [[by_id[task_id] for task_id in members] for members in classes]


def _nodes(scene: Scene, options: DrawOptions) -> list[Unit]:
    labels = task_labels((entry.task_id, entry.task) for entry in scene.entries)
    names = _Names({entry.task_id for entry in scene.entries})
    units = []
    for members in _units(scene, options.collapse_above):
        if len(members) == 1:
            units.append(_task_unit(members[0], scene, options, labels[members[0].task_id]))
        else:
            units.append(_group_unit(members, scene, options, names.fresh("floto:group")))
    return units


def _task_unit(entry: Entry, scene: Scene, options: DrawOptions, title: str) -> Unit:
    execution = scene.is_execution
    status = entry.status if execution else None
    node = Node(
        name=_node_name(entry.task_id),
        task_ids=(entry.task_id,),
        kind=entry.kind,
        task=entry.task,
        state=entry.state,
        status=status,
        counts={status: 1} if status is not None else {},
        generated_by=entry.generated_by,
    )
    label = _labels.task_label(entry, title=title, execution=execution)
    tooltip = _labels.task_tooltip(entry, execution=execution)
    return Unit([entry], node, _attributes(node, label, tooltip, "floto-task", options))


def _group_unit(members: list[Entry], scene: Scene, options: DrawOptions, name: str) -> Unit:
    execution = scene.is_execution
    first = members[0]
    counts = _labels.counts_of(members) if execution else {}
    node = Node(
        name=name,
        task_ids=tuple(member.task_id for member in members),
        kind=first.kind,
        task=first.task,
        state=first.state,
        status=_labels.worst(counts) if execution else None,
        counts=counts,
        generated_by=first.generated_by,
    )
    label = _labels.group_label(members, execution=execution)
    tooltip = _labels.group_tooltip(members, execution=execution)
    return Unit(members, node, _attributes(node, label, tooltip, "floto-group", options))


def _attributes(node: Node, label: str, tooltip: str, role: str, options: DrawOptions) -> dict:
    kind_style = options.kind_styles.get(node.kind, options.kind_styles["activity"])
    status_style = options.status_styles[node.status] if node.status is not None else None
    classes = [role, f"floto-{node.kind.replace('_', '-')}"]
    if node.status is not None:
        classes.append(f"floto-status-{node.status.value.replace('_', '-')}")
    own = {"label": label, "tooltip": PlainText(tooltip), "class": " ".join(classes)}
    user = options.style(node) if options.style is not None else None
    return layered(kind_style, status_style, GROUP_STYLE if node.is_group else None, own, user)


class _Names:
    """DOT node names that no task id takes."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.count = 0

    def fresh(self, prefix: str) -> str:
        while True:
            self.count += 1
            name = f"{prefix}:{self.count}"
            if name not in self.taken:
                self.taken.add(name)
                return name


def _node_name(task_id: str) -> str:
    # A quoted DOT id cannot end in an odd number of backslashes; such ids get a space.
    stripped = task_id.rstrip("\\")
    return task_id + " " if (len(task_id) - len(stripped)) % 2 else task_id
