"""Default looks, as data: one shape per task kind, one colour per status, and the labels.

Attributes are layered: graph defaults, then the kind's style, then the status's style (in
drawings of an execution), then the user's ``style`` function. Values are DOT attribute strings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from floto.history import TaskStatus
from floto.presentation import (
    STATUS_ORDER,
    TASK_STATUSES,
    StatusLook,
    format_duration,
    label,
)
from floto.specs.retry_strategy import DelayedRetry, InstantRetry, Strategy

KINDS = ("activity", "generator", "child_workflow", "timer")
"""Task kinds, in legend order."""

KIND_LABELS = MappingProxyType(
    {
        "activity": "activity",
        "generator": "generator",
        "child_workflow": "child workflow",
        "timer": "timer",
    }
)

KIND_STYLES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "activity": MappingProxyType(
            {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8f0fe"}
        ),
        "generator": MappingProxyType(
            {"shape": "box3d", "style": "filled", "fillcolor": "#efe7fb"}
        ),
        "child_workflow": MappingProxyType(
            {"shape": "component", "style": "filled", "fillcolor": "#e3f4f4"}
        ),
        "timer": MappingProxyType({"shape": "ellipse", "style": "filled", "fillcolor": "#fdf6e3"}),
    }
)
"""Per kind: shape and fill of its nodes (the fill is replaced by the status in executions)."""

_EXTRA: Mapping[TaskStatus, Mapping[str, str]] = {
    TaskStatus.PENDING: {"fontcolor": "#6c757d"},
    TaskStatus.BLOCKED: {"fontcolor": "#6c757d"},
    TaskStatus.NOT_RUN: {"fontcolor": "#868e96"},
}


def _dot_style(look: StatusLook) -> Mapping[str, str]:
    style = {"fillcolor": look.fill, "color": look.pen, **_EXTRA.get(look.status, {})}
    if look.emphasis:
        style["penwidth"] = "2"
    return MappingProxyType(style)


STATUS_STYLES: Mapping[TaskStatus, Mapping[str, str]] = MappingProxyType(
    {look.status: _dot_style(look) for look in TASK_STATUSES}
)
"""Per status: fill and pen of a task (or group) in that status (floto.presentation's)."""

SEVERITY = STATUS_ORDER
"""Statuses, worst first: a group takes the colour of its worst member, so no failure hides."""

STATUS_LABELS = MappingProxyType({status: label(status) for status in TaskStatus})

GROUP_STYLE: Mapping[str, str] = MappingProxyType({"peripheries": "2"})
GENERATED_EDGE_STYLE: Mapping[str, str] = MappingProxyType(
    {"style": "dashed", "color": "#6f42c1", "arrowhead": "vee"}
)
GRAPH_ATTRS: Mapping[str, str] = MappingProxyType(
    {"fontname": "Helvetica,Arial,sans-serif", "nodesep": "0.25", "ranksep": "0.45"}
)
NODE_ATTRS: Mapping[str, str] = MappingProxyType(
    {"fontname": "Helvetica,Arial,sans-serif", "fontsize": "12", "margin": "0.12,0.06"}
)
EDGE_ATTRS: Mapping[str, str] = MappingProxyType({"color": "#6c757d", "arrowsize": "0.7"})

MAX_LINE = 48
TIMES = "\u00d7"  # the multiplication sign of "copy x60" and "retry x3"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class HtmlLabel(str):
    """An HTML-like DOT label floto built (its text already escaped)."""


class PlainText(str):
    """Human text floto put in an attribute (a tooltip); escaped for DOT when emitted."""


def clip(text: str, limit: int = MAX_LINE) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def esc(text: str) -> str:
    """Text for an HTML-like label: one line, clipped and escaped."""
    return html.escape(clip(text), quote=True)


def small(text: str) -> str:
    """A detail line under a node's title."""
    return f'<FONT POINT-SIZE="10">{text}</FONT>'


def html_label(title: str, *details: str) -> HtmlLabel:
    """A label: ``title`` in bold over detail lines (both already escaped)."""
    lines = [f"<B>{title}</B>", *(small(line) for line in details if line)]
    return HtmlLabel("<" + "<BR/>".join(lines) + ">")


def format_seconds(seconds: float) -> str:
    """A short duration (:func:`floto.presentation.format_duration`)."""
    return format_duration(seconds)


def describe_retry(strategy: Strategy | None) -> str:
    """The retry policy in a few words ('' without one)."""
    if strategy is None:
        return ""
    if isinstance(strategy, DelayedRetry):
        first = format_seconds(strategy.initial_delay_in_seconds)
        text = f"retry {TIMES}{strategy.retries}, after {first}"
        if strategy.backoff_factor != 1 and strategy.retries > 1:
            text += f" {TIMES}{strategy.backoff_factor:g}"
            text += f" (≤ {format_seconds(strategy.max_delay_in_seconds)})"
        return text
    if isinstance(strategy, InstantRetry):
        return f"retry {TIMES}{strategy.retries}" if strategy.retries else "no retry"
    return f"retry: {type(strategy).__name__}"


def layered(*layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Merge attribute dicts, later layers winning; ``None`` values remove an attribute."""
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer:
            merged.update(layer)
    return {key: value for key, value in merged.items() if value is not None}
