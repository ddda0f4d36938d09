"""``timeline``: a Gantt-style SVG of an execution, one bar per task attempt.

Plain string building, no dependency: the SVG shows inline in Jupyter (``_repr_svg_``) and is
text (``.svg``, ``str()``) to save or embed.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from floto.history import (
    Attempt,
    AttemptOutcome,
    ExecutionState,
    TaskState,
    TaskStatus,
    state_labels,
)
from floto.viz._styles import STATUS_STYLES, clip, format_seconds

_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
OUTCOME_STATUS = {
    AttemptOutcome.COMPLETED: TaskStatus.COMPLETED,
    AttemptOutcome.FAILED: TaskStatus.FAILED,
    AttemptOutcome.TIMED_OUT: TaskStatus.TIMED_OUT,
    AttemptOutcome.CANCELED: TaskStatus.CANCELED,
}
REJECTED = {"fillcolor": "#842029", "color": "#58151c"}
ROW, AXIS, PAD, FONT_W = 18, 30, 8, 6.6


class Timeline:
    """An execution's timeline as SVG text; displays itself in Jupyter."""

    def __init__(self, svg: str, *, bars: int) -> None:
        self.svg = svg
        self.bars = bars

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Timeline of {self.bars} attempts>"

    def save(self, path: str | Path) -> Path:
        """Write the SVG to ``path`` and return it."""
        path = Path(path)
        path.write_text(self.svg, encoding="utf-8")
        return path


@dataclass
class _Row:
    state: TaskState
    label: str
    attempts: list[Attempt]


def timeline(
    state: ExecutionState, *, now: dt.datetime | None = None, width: int = 960
) -> Timeline:
    """Draw ``state``'s task attempts over time, coloured by outcome.

    Each bar runs from the attempt's scheduling to its close; the pale part is the wait before
    a worker started it. Open attempts run up to ``now`` (default: the newest time in the
    state). Hovering a bar shows the task id, times and error.

    Raises:
        TypeError: ``state`` is not an ExecutionState; ValueError: ``width`` under 300.
    """
    if not isinstance(state, ExecutionState):
        raise TypeError(
            f"timeline takes a floto.history.ExecutionState, not {type(state).__name__}"
        )
    if isinstance(width, bool) or not isinstance(width, int) or width < 300:
        raise ValueError(f"width must be a whole number of pixels >= 300, got {width!r}")
    rows = _rows(state)
    start, end = _span(state, rows, now)
    return _Canvas(state, rows, start, end, width).render()


def _rows(state: ExecutionState) -> list[_Row]:
    labels = state_labels(state)
    rows = []
    for position, task_state in enumerate(state.tasks.values()):
        attempts = [a for a in task_state.attempts if a.scheduled_at is not None]
        if attempts:
            title = labels[task_state.task_id]
            if task_state.is_internal:
                members = sum(1 for s in state.tasks.values() if s.shard == task_state.task_id)
                title = f"{task_state.task_id} ({members} tasks)"
            rows.append((attempts[0].scheduled_at, position, _Row(task_state, title, attempts)))
    rows.sort(key=lambda item: (item[0], item[1]))
    return [row for *_, row in rows]


def _times(state: ExecutionState, rows: list[_Row]) -> list[dt.datetime]:
    times = [t for t in (state.started_at, state.closed_at) if t is not None]
    for row in rows:
        for attempt in row.attempts:
            times += [t for t in (attempt.scheduled_at, attempt.started_at, attempt.closed_at) if t]
    return times


def _span(state: ExecutionState, rows: list[_Row], now: Any) -> tuple[dt.datetime, dt.datetime]:
    times = _times(state, rows)
    if now is not None and not isinstance(now, dt.datetime):
        raise TypeError(f"now must be a datetime, got {type(now).__name__}")
    if not times:
        moment = now or dt.datetime.now(dt.timezone.utc)
        return moment, moment
    if now is not None and now.tzinfo is None and times[0].tzinfo is not None:
        now = now.replace(tzinfo=dt.timezone.utc)
    start, end = min(times), max(times)
    return start, max(end, now) if now is not None else end


def _tick_step(span: float, ticks: int = 8) -> float:
    raw = span / ticks
    steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400]
    if raw < 1:
        power = 10 ** math.floor(math.log10(raw))
        return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return next((step for step in steps if step >= raw), 86400 * math.ceil(raw / 86400))


def _tick_label(seconds: float, step: float) -> str:
    """A tick's offset, with as many decimals as the step needs."""
    if step >= 1:
        return format_seconds(seconds)
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{seconds:.{digits}f} s"


def _text(value: str) -> str:
    return html.escape(_XML_INVALID.sub("?", value), quote=True)


class _Canvas:
    """Lays the rows out and writes the SVG elements."""

    def __init__(
        self,
        state: ExecutionState,
        rows: list[_Row],
        start: dt.datetime,
        end: dt.datetime,
        width: int,
    ) -> None:
        self.state, self.rows, self.start, self.width = state, rows, start, width
        self.span = max((end - start).total_seconds(), 1e-3)
        self.end = end
        longest = max((len(row.label) for row in rows), default=10)
        self.left = min(int(longest * FONT_W) + 2 * PAD, width // 3)
        self.plot = width - self.left - 4 * PAD - 12
        self.top = AXIS + (22 if self._title() else 0)
        self.parts: list[str] = []
        self.outcomes: Counter[str] = Counter()

    def x(self, moment: dt.datetime) -> float:
        return self.left + (moment - self.start).total_seconds() / self.span * self.plot

    def render(self) -> Timeline:
        height = self.top + len(self.rows) * ROW + 56
        self._header()
        self._axis(height - 44)
        for index, row in enumerate(self.rows):
            self._row(index, row)
        self._marks(height - 44)
        self._legend(height - 22)
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{height}" '
            f'viewBox="0 0 {self.width} {height}" font-family="Helvetica,Arial,sans-serif" '
            f'font-size="11" class="floto-timeline">'
        )
        svg = "\n".join([head, *self.parts, "</svg>"]) + "\n"
        return Timeline(svg, bars=sum(self.outcomes.values()))

    def _title(self) -> str:
        state = self.state
        if state.workflow_id is None and not self.rows:
            return ""
        text = f"{state.workflow_id or 'execution'} · {state.status.value}"
        if self.rows:
            text += f" · {format_seconds(self.span)}"
        return text

    def _header(self) -> None:
        self.parts.append(f'<rect width="{self.width}" height="100%" fill="#ffffff"/>')
        if self._title():
            self.parts.append(
                f'<text x="{PAD}" y="18" font-size="14" class="floto-title">'
                f"{_text(self._title())}</text>"
            )
        if not self.rows:
            self.parts.append(
                f'<text x="{PAD}" y="{self.top + 12}" fill="#6c757d">no task scheduled yet</text>'
            )

    def _axis(self, bottom: float) -> None:
        step = _tick_step(self.span)
        count = int(self.span / step + 1e-9)
        for number in range(count + 1):
            seconds = number * step
            x = self.left + seconds / self.span * self.plot
            self.parts.append(
                f'<line x1="{x:.1f}" y1="{self.top - 4}" x2="{x:.1f}" y2="{bottom}" '
                f'stroke="#e9ecef"/><text x="{x:.1f}" y="{self.top - 8}" text-anchor="middle" '
                f'fill="#6c757d" class="floto-tick">+{_tick_label(seconds, step)}</text>'
            )

    def _row(self, index: int, row: _Row) -> None:
        y = self.top + index * ROW
        if index % 2:
            self.parts.append(
                f'<rect x="0" y="{y}" width="{self.width}" height="{ROW}" fill="#f8f9fa"/>'
            )
        self.parts.append(
            f'<text x="{self.left - PAD}" y="{y + ROW - 5}" text-anchor="end" '
            f'class="floto-row" data-task-id="{_text(row.state.task_id)}">'
            f"<title>{_text(row.state.task_id)}</title>"
            f"{_text(clip(row.label, 60))}</text>"
        )
        for attempt in row.attempts:
            self.parts.append(self._bar(y, row, attempt))

    def _bar(self, y: float, row: _Row, attempt: Attempt) -> str:
        outcome = attempt.outcome
        self.outcomes[outcome.value] += 1
        closed = attempt.closed_at or self.end
        started = attempt.started_at
        if started is None and row.state.kind == "timer":  # a timer runs from its start
            started = attempt.scheduled_at
        fill, stroke = _colours_of(outcome, started=started is not None)
        if started is None:  # never picked up: it only waited
            started = closed
        x0, x1, x2 = self.x(attempt.scheduled_at), self.x(min(started, closed)), self.x(closed)
        top, height = y + 3, ROW - 6
        cls = f"floto-attempt floto-outcome-{outcome.value.replace('_', '-')}"
        return (
            f'<g class="{cls}" data-task-id="{_text(row.state.task_id)}">'
            f"<title>{_text(self._tooltip(row, attempt))}</title>"
            f'<rect x="{x0:.2f}" y="{top}" width="{max(x1 - x0, 0):.2f}" height="{height}" '
            f'fill="{fill}" fill-opacity="0.35" class="floto-wait"/>'
            f'<rect x="{x1:.2f}" y="{top}" width="{max(x2 - x1, 1):.2f}" height="{height}" '
            f'fill="{fill}" stroke="{stroke}" class="floto-run"/></g>'
        )

    def _tooltip(self, row: _Row, attempt: Attempt) -> str:
        def offset(moment: dt.datetime | None) -> str:
            if moment is None:
                return "-"
            return "+" + format_seconds((moment - self.start).total_seconds())

        lines = [
            row.state.task_id,
            f"attempt {attempt.number}: {attempt.outcome.value.replace('_', ' ')}",
            f"scheduled {offset(attempt.scheduled_at)}, started {offset(attempt.started_at)}, "
            f"closed {offset(attempt.closed_at)}",
        ]
        if attempt.duration is not None:
            lines.append(f"took {format_seconds(attempt.duration)}")
        if attempt.error:
            lines.append("error: " + clip(attempt.error, 500))
        return "\n".join(lines)

    def _marks(self, bottom: float) -> None:
        for moment, name in ((self.state.started_at, "start"), (self.state.closed_at, "close")):
            if moment is not None and self.start <= moment <= self.end:
                x = self.x(moment)
                self.parts.append(
                    f'<line x1="{x:.1f}" y1="{self.top - 4}" x2="{x:.1f}" y2="{bottom}" '
                    f'stroke="#495057" stroke-dasharray="3,3" class="floto-{name}"/>'
                )

    def _legend(self, y: float) -> None:
        x = float(PAD)
        unattempted = [s for s in self.state.tasks.values() if not s.attempts]
        reused = sum(1 for s in unattempted if s.status is TaskStatus.REUSED)
        sharded = sum(1 for s in unattempted if s.shard is not None)
        pending = len(unattempted) - reused - sharded
        items = [(o, n) for o, n in self.outcomes.items() if n]
        for outcome, count in sorted(items, key=lambda item: _ORDER.index(item[0])):
            fill, stroke = _colours_of(AttemptOutcome(outcome), started=True)
            label = f"{outcome.replace('_', ' ')} ({count})"
            self.parts.append(
                f'<rect x="{x}" y="{y}" width="14" height="10" fill="{fill}" stroke="{stroke}"/>'
                f'<text x="{x + 18}" y="{y + 9}" class="floto-legend">{_text(label)}</text>'
            )
            x += 30 + len(label) * FONT_W
        if self.outcomes:
            self.parts.append(
                f'<rect x="{x}" y="{y}" width="14" height="10" fill="#6c757d" fill-opacity="0.35"/>'
                f'<text x="{x + 18}" y="{y + 9}" class="floto-legend">'
                "waiting for a worker</text>"
            )
            x += 30 + 20 * FONT_W
        notes = [f"{reused} reused from the earlier run"] if reused else []
        notes += [f"{sharded} ran in shards"] if sharded else []
        notes += [f"{pending} not scheduled"] if pending else []
        if notes:
            self.parts.append(
                f'<text x="{x}" y="{y + 9}" fill="#6c757d" class="floto-legend">'
                f"{_text(', '.join(notes))}</text>"
            )


_ORDER = [outcome.value for outcome in AttemptOutcome]


def _colours_of(outcome: AttemptOutcome, *, started: bool) -> tuple[str, str]:
    if outcome == AttemptOutcome.REJECTED:
        style: Any = REJECTED
    elif outcome == AttemptOutcome.OPEN:
        style = STATUS_STYLES[TaskStatus.RUNNING if started else TaskStatus.SCHEDULED]
    else:
        style = STATUS_STYLES[OUTCOME_STATUS[outcome]]
    return style["fillcolor"], style.get("color", "#495057")
