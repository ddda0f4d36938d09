"""The Tasks tab at any size: a status filter with counts, a search by name or input, a group's
members (with a status grid), and a table paged inside a fixed height. Rows pick a task.

Pure HTML from an ExecutionState plus the filter; :class:`TasksPanel` holds the widgets.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from floto.history import ExecutionState, TaskState, TaskStatus, state_labels
from floto.notebook import _render
from floto.notebook._pick import clickable
from floto.presentation import STATUS_ORDER

PAGE_SIZE = 50
"""Rows on one page of the Tasks table."""
TABLE_HEIGHT = 330
"""Pixels the table scrolls within (the widget stays within one screen at any size)."""
GRID_ABOVE = 40
"""A group picked in the graph with more members than this also shows a status grid."""
GRID_LIMIT = 5_000
"""Cells a status grid draws at most."""

ORDER = STATUS_ORDER
"""Statuses in the order the table lists them, worst first (``floto.presentation``'s)."""
FAILURES = frozenset({TaskStatus.FAILED, TaskStatus.TIMED_OUT})
_RANK = {status: n for n, status in enumerate(ORDER)}
_CELL = "padding:2px 8px;border-bottom:1px solid #dee2e6;text-align:left;vertical-align:top"
_CHIP = "display:inline-block;margin:0 4px 4px 0;padding:1px 8px;border-radius:10px;"


@dataclass
class TaskFilter:
    """What the Tasks tab shows: a status (``"all"`` or a TaskStatus value), a search text,
    the members of one graph group (None: every task) and the page."""

    status: str = "all"
    query: str = ""
    members: tuple[str, ...] | None = None
    group: str = ""
    page: int = 0
    _haystack: dict[str, str] = field(default_factory=dict, repr=False)

    def text_of(self, task: TaskState, label: str) -> str:
        """What a search looks in: label, id and input (lower case), computed once a task."""
        text = self._haystack.get(task.task_id)
        if text is None:
            task_input = getattr(task.task, "input", None)
            try:
                shown = json.dumps(task_input, sort_keys=True, default=str)
            except (TypeError, ValueError):
                shown = repr(task_input)
            text = f"{label}\n{task.task_id}\n{shown}".lower()
            self._haystack[task.task_id] = text
        return text


def ordered(state: ExecutionState) -> list[TaskState]:
    """Every user task, failures first, then by status (``ORDER``), then as the run has them."""
    position = {task_id: n for n, task_id in enumerate(state.tasks)}
    tasks = [ts for ts in state.tasks.values() if not ts.is_internal]
    return sorted(tasks, key=lambda t: (_RANK.get(t.status, len(_RANK)), position[t.task_id]))


def select(state: ExecutionState, flt: TaskFilter) -> tuple[list[TaskState], dict[str, int]]:
    """The tasks the filter lets through, and the counts by status of those the search and
    group let through (the chips' numbers)."""
    labels = state_labels(state)
    members = set(flt.members) if flt.members is not None else None
    query = flt.query.strip().lower()
    found, counts = [], {"all": 0}
    for task in ordered(state):
        if members is not None and task.task_id not in members:
            continue
        if query and query not in flt.text_of(task, labels.get(task.task_id, task.task_id)):
            continue
        counts["all"] += 1
        counts[task.status.value] = counts.get(task.status.value, 0) + 1
        if flt.status == "all" or task.status.value == flt.status:
            found.append(task)
    return found, counts


def chips_html(counts: dict[str, int], flt: TaskFilter) -> str:
    """The status filter: one chip per status present, with its count; the current one filled."""
    chips = []
    for value in ["all", *(status.value for status in ORDER)]:
        count = counts.get(value, 0)
        if value != "all" and not count and value != flt.status:
            continue
        colour = "#495057" if value == "all" else _render.task_colour(TaskStatus(value))
        on = value == flt.status
        style = _CHIP + (
            f"background:{colour};color:white;border:1px solid {colour}"
            if on else f"color:{colour};border:1px solid {colour}"
        )  # fmt: skip
        name = value.replace("_", " ")
        chips.append(
            f'<span class="floto-chip" data-pick="status:{value}" data-status="{value}" '
            f'data-on="{str(on).lower()}" style="{style}">{name} {count:,}</span>'
        )
    if flt.members is not None:
        chips.append(
            f'<span class="floto-chip floto-group-chip" data-pick="group:clear" '
            f'style="{_CHIP}border:1px dashed #495057">group {_render.esc(flt.group)} ✕</span>'
        )
    return clickable("".join(chips), css_class="floto-filter")


def _row(task: TaskState, label: str, picked: str | None) -> str:
    colour = _render.task_colour(task.status)
    background = "background:#e7f1ff;" if task.task_id == picked else ""
    return (
        f'<tr data-task-id="{_render.esc(task.task_id)}" data-status="{task.status.value}" '
        f'style="{background}" title="{_render.esc(task.task_id)}">'
        f'<td style="{_CELL}">{_render.esc(label)}</td>'
        f'<td style="{_CELL};color:{colour}">{task.status.value.replace("_", " ")}</td>'
        f'<td style="{_CELL}">{task.attempt_count}</td>'
        f'<td style="{_CELL}">{_render.esc(_render.seconds(_render.task_duration(task)))}</td>'
        f'<td style="{_CELL};color:#b02a37">{_render.esc(_render.first_line(task.error))}</td>'
        "</tr>"
    )


def table_html(
    state: ExecutionState, tasks: Sequence[TaskState], flt: TaskFilter, picked: str | None
) -> str:
    """One page of the table, in a box of fixed height, with the pager under it."""
    labels = state_labels(state)
    pages = max(1, -(-len(tasks) // PAGE_SIZE))
    flt.page = min(max(flt.page, 0), pages - 1)
    first = flt.page * PAGE_SIZE
    shown = tasks[first : first + PAGE_SIZE]
    head = "".join(
        f'<th style="{_CELL};position:sticky;top:0;background:white">{name}</th>'
        for name in ("task", "status", "attempts", "duration", "error")
    )
    body = "".join(_row(task, labels.get(task.task_id, task.task_id), picked) for task in shown)
    empty = "" if shown else '<div style="color:#6c757d">no task matches</div>'
    table = (
        f'<div class="floto-table-box" style="max-height:{TABLE_HEIGHT}px;overflow:auto">'
        f'<table class="floto-tasks" style="border-collapse:collapse;font-size:12px">'
        f"<tr>{head}</tr>{body}</table>{empty}</div>"
    )
    return clickable(table + _pager(flt.page, pages, first, len(shown), len(tasks)))


def _pager(page: int, pages: int, first: int, shown: int, total: int) -> str:
    if pages <= 1:
        name = "task" if total == 1 else "tasks"
        return f'<div class="floto-pager" style="color:#6c757d">{total:,} {name}</div>'
    link = "margin:0 6px;color:#0d6efd"
    back = f'<span data-pick="page:{page - 1}" style="{link}">\u2039 previous</span>'
    back = back if page else ""
    more = page + 1 < pages
    forth = f'<span data-pick="page:{page + 1}" style="{link}">next \u203a</span>' if more else ""
    return (
        f'<div class="floto-pager" style="color:#6c757d">{back}rows {first + 1:,}\u2013'
        f"{first + shown:,} of {total:,} (page {page + 1} of {pages}){forth}</div>"
    )


def grid_html(state: ExecutionState, members: Sequence[str], picked: str | None) -> str:
    """A group's members as small squares coloured by status (each picks its task)."""
    labels = state_labels(state)
    cells = []
    for task_id in members[:GRID_LIMIT]:
        task = state.tasks.get(task_id)
        if task is None:
            continue
        ring = "outline:2px solid #0d6efd;" if task_id == picked else ""
        tip = f"{labels.get(task_id, task_id)}: {task.status.value}"
        cells.append(
            f'<span class="floto-cell" data-task-id="{_render.esc(task_id)}" '
            f'title="{_render.esc(tip)}" style="display:inline-block;width:9px;height:9px;'
            f'margin:1px;{ring}background:{_render.task_colour(task.status)}"></span>'
        )
    more = len(members) - GRID_LIMIT
    note = f'<div style="color:#6c757d">… and {more:,} more</div>' if more > 0 else ""
    box = '<div class="floto-grid" style="max-height:120px;overflow:auto;line-height:0">'
    return clickable(box + "".join(cells) + "</div>" + note)


class TasksPanel:
    """The Tasks tab's widgets: search box, filter chips, status grid, paged table."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self.filter = TaskFilter()
        self.search = widgets.Text(placeholder="search name or input", continuous_update=True)
        self.search.add_class("floto-search")
        self.search.layout.width = "40%"
        self.chips = widgets.HTML()
        self.grid = widgets.HTML()
        self.table = widgets.HTML()
        self.widget = widgets.VBox([self.search, self.chips, self.grid, self.table])
        self._on_change = on_change
        self.search.observe(self._searched, names="value")
        self.shown: list[TaskState] = []  # the tasks that pass the filter, in table order

    def _searched(self, change: Any) -> None:
        self.filter.query, self.filter.page = change["new"], 0
        self._on_change()

    def act(self, value: str) -> bool:
        """Apply a click on a chip or the pager (``status:...``, ``page:N``, ``group:clear``);
        False if ``value`` is not one."""
        kind, _, rest = value.partition(":")
        if kind == "status":
            self.filter.status, self.filter.page = rest, 0
        elif kind == "page" and rest.lstrip("-").isdigit():
            self.filter.page = int(rest)
        elif value == "group:clear":
            self.filter.members, self.filter.group, self.filter.page = None, "", 0
        else:
            return False
        self._on_change()
        return True

    def open_group(self, name: str, members: Sequence[str]) -> None:
        """Show only a graph group's members (and their status grid when there are many)."""
        self.filter.members, self.filter.group = tuple(members), name
        self.filter.status, self.filter.page = "all", 0

    def draw(self, state: ExecutionState, picked: str | None) -> None:
        self.shown, counts = select(state, self.filter)
        self.chips.value = chips_html(counts, self.filter)
        members = self.filter.members
        big = members is not None and len(members) > GRID_ABOVE
        self.grid.value = grid_html(state, members, picked) if big and members else ""
        self.table.value = table_html(state, self.shown, self.filter, picked)
