"""How a run reads, in one place: the vocabulary the terminal, notebooks and drawings share.

One row per :class:`floto.history.TaskStatus` in :data:`TASK_STATUSES` (worst first: the order
groups take their colour by and tables list tasks in), with its label, its colours and its
terminal style; one row per :class:`floto.history.WorkflowStatus` in :data:`RUN_STATUSES`.
A new status is one new row. :func:`format_duration` and :func:`first_line` are the one
duration and the one first-line formatter of every view.

Pure data and text: floto.viz, floto.notebook and floto.cli read it; it imports only
floto.history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from floto.history import TaskStatus, WorkflowStatus

_CLOSED_PEN = "#495057"


@dataclass(frozen=True)
class StatusLook:
    """How one status reads everywhere.

    Attributes:
        status: the TaskStatus or WorkflowStatus.
        label: the words shown for it (``"waiting to retry"``).
        colour: its text colour in HTML (tables, badges).
        terminal: its rich style in the terminal (``"bold red"``).
        fill, pen: a drawn node's fill and outline (drawings; tasks only).
        emphasis: whether a drawn node's outline is thick (it needs a look).
    """

    status: Any
    label: str
    colour: str
    terminal: str
    fill: str = ""
    pen: str = ""
    emphasis: bool = False


_T, _P = TaskStatus, _CLOSED_PEN
# fmt: off
TASK_STATUSES: tuple[StatusLook, ...] = (
    #          status               label               colour     terminal            fill       pen        thick  # noqa: E501
    StatusLook(_T.FAILED,           "failed",           "#b02a37", "bold red",         "#f1aeb5", "#b02a37", True),  # noqa: E501
    StatusLook(_T.TIMED_OUT,        "timed out",        "#ca6510", "bold dark_orange", "#fecba1", "#ca6510", True),  # noqa: E501
    StatusLook(_T.BLOCKED,          "blocked",          "#a61e4d", "magenta",          "#f3d9fa", "#a61e4d", False),  # noqa: E501
    StatusLook(_T.CANCELED,         "canceled",         "#6c757d", "grey50",           "#dee2e6", _P,        False),  # noqa: E501
    StatusLook(_T.WAITING_TO_RETRY, "waiting to retry", "#997404", "bold yellow",      "#ffe69c", "#997404", True),  # noqa: E501
    StatusLook(_T.RUNNING,          "running",          "#0a58ca", "bold blue",        "#6ea8fe", "#0a58ca", True),  # noqa: E501
    StatusLook(_T.SCHEDULED,        "queued",           "#6ea8fe", "cyan",             "#cfe2ff", "#6ea8fe", False),  # noqa: E501
    StatusLook(_T.PENDING,          "pending",          "#adb5bd", "dim",              "#ffffff", "#adb5bd", False),  # noqa: E501
    StatusLook(_T.NOT_RUN,          "not run",          "#868e96", "dim italic",       "#f8f9fa", "#ced4da", False),  # noqa: E501
    StatusLook(_T.COMPLETED,        "completed",        "#198754", "green",            "#a3cfbb", _P,        False),  # noqa: E501
    StatusLook(_T.REUSED,           "reused",           "#0aa2c0", "dark_sea_green4",  "#c3e6f0", "#0aa2c0", True),  # noqa: E501
)
# fmt: on
"""Every task status, worst first (a group of tasks takes the look of its worst member)."""

RUN_STATUSES: tuple[StatusLook, ...] = (
    StatusLook(WorkflowStatus.OPEN, "running", "#0d6efd", "bold blue"),
    StatusLook(WorkflowStatus.COMPLETED, "completed", "#198754", "bold green"),
    StatusLook(WorkflowStatus.FAILED, "failed", "#dc3545", "bold red"),
    StatusLook(WorkflowStatus.TIMED_OUT, "timed out", "#fd7e14", "bold dark_orange"),
    StatusLook(WorkflowStatus.TERMINATED, "terminated", "#6c757d", "bold magenta"),
    StatusLook(WorkflowStatus.CANCELED, "canceled", "#6c757d", "grey50"),
    StatusLook(WorkflowStatus.CONTINUED_AS_NEW, "continued as new", "#0dcaf0", "cyan"),
)
"""Every run status."""

TASK_LOOKS: Mapping[TaskStatus, StatusLook] = MappingProxyType(
    {look.status: look for look in TASK_STATUSES}
)
"""The look of each task status."""
RUN_LOOKS: Mapping[WorkflowStatus, StatusLook] = MappingProxyType(
    {look.status: look for look in RUN_STATUSES}
)
"""The look of each run status (kept apart: ``TaskStatus.FAILED == WorkflowStatus.FAILED``,
both being the string ``"failed"``)."""

STATUS_ORDER: tuple[TaskStatus, ...] = tuple(look.status for look in TASK_STATUSES)
"""Task statuses, worst first."""

_UNKNOWN = StatusLook(None, "?", "#495057", "")


def look(status: Any) -> StatusLook:
    """The look of a TaskStatus or WorkflowStatus (a neutral one for anything else)."""
    if isinstance(status, WorkflowStatus):
        return RUN_LOOKS.get(status, _UNKNOWN)
    return TASK_LOOKS.get(status, _UNKNOWN)


def label(status: Any) -> str:
    """The words for a status: ``"waiting to retry"``, ``"running"`` for an open run."""
    found = look(status)
    if found is not _UNKNOWN:
        return found.label
    return str(getattr(status, "value", status)).replace("_", " ")


def format_duration(seconds: float | None, missing: str = "-") -> str:
    """A duration, short: ``0.42 s``, ``4.2 s``, ``30 s``, ``1 min 15 s``, ``1 h 6 min``,
    ``2 d 3 h``; ``missing`` for None."""
    if seconds is None:
        return missing
    if float(seconds).is_integer() and seconds < 60:
        return f"{int(seconds)} s"
    if seconds < 1:
        return f"{seconds:.2f} s"
    if seconds < 59.95:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def first_line(text: Any, limit: int = 200) -> str:
    """The first non-empty line of ``text``, stripped, cut to ``limit`` characters with "…"."""
    stripped = str(text or "").strip()
    line = stripped.splitlines()[0].strip() if stripped else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
