"""Retry strategies: what the decider does when an attempt of a task fails or times out."""

from __future__ import annotations

from typing import Any, ClassVar

from floto.errors import SpecError
from floto.limits import MAX_HISTORY_EVENTS, MAX_TIMER_SECONDS
from floto.specs._form import Field, JsonForm, decode_form

MAX_RETRIES = MAX_HISTORY_EVENTS
"""More retries than a run has events can never happen: a larger count is surely a mistake."""

MAX_BACKOFF_FACTOR = 1_000


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float))


def _check_count(owner: str, field: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES:
        raise SpecError(
            f"must be a whole number from 0 to {MAX_RETRIES:,}, got {value!r:.60}",
            path=owner,
            field=field,
        )


def _check_seconds(owner: str, field: str, value: Any) -> None:
    # `not 0 <= value <= limit` also refuses NaN, for which every comparison is false.
    if not _is_number(value) or not 0 <= value <= MAX_TIMER_SECONDS:
        raise SpecError(
            f"must be a number of seconds from 0 to {MAX_TIMER_SECONDS:,}, got {value!r:.60}",
            path=owner,
            field=field,
        )


def _check_factor(owner: str, field: str, value: Any) -> None:
    if not _is_number(value) or not 1 <= value <= MAX_BACKOFF_FACTOR:
        raise SpecError(
            f"must be a number from 1 to {MAX_BACKOFF_FACTOR:,}, got {value!r:.60}",
            path=owner,
            field=field,
        )


class Strategy(JsonForm):
    """Base of retry strategies; ``failures`` counts failed attempts so far (1 after the first)."""

    retries: int = 0

    def is_task_resubmitted(self, failures: int) -> bool:
        """Whether the task runs again after its ``failures``-th failed attempt."""
        return failures <= self.retries

    def delay_in_seconds(self, failures: int) -> int:
        """Seconds to wait before the next attempt (0: schedule it at once)."""
        return 0

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.to_dict().items())))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items() if k != "type")
        return f"{type(self).__name__}({fields})"


class InstantRetry(Strategy):
    """Run the task again at once, up to ``retries`` times (``retries + 1`` attempts in all)."""

    json_type: ClassVar[str] = "floto.specs.retry_strategy.InstantRetry"
    json_fields: ClassVar[tuple[Field, ...]] = (Field("retries", required=True),)

    def __init__(self, retries: int = 0) -> None:
        _check_count("InstantRetry", "retries", retries)
        self.retries = retries


class DelayedRetry(Strategy):
    """Retry after an exponentially growing delay, realised with an SWF timer.

    The n-th retry waits ``min(initial_delay_in_seconds * backoff_factor ** (n - 1),
    max_delay_in_seconds)`` seconds, rounded to whole seconds (SWF timers count seconds).
    """

    json_type: ClassVar[str] = "floto.specs.retry_strategy.DelayedRetry"
    json_fields: ClassVar[tuple[Field, ...]] = (
        Field("retries"),
        Field("initial_delay_in_seconds"),
        Field("backoff_factor"),
        Field("max_delay_in_seconds"),
    )

    def __init__(
        self,
        retries: int = 3,
        initial_delay_in_seconds: float = 1,
        backoff_factor: float = 2.0,
        max_delay_in_seconds: float = 3600,
    ) -> None:
        _check_count("DelayedRetry", "retries", retries)
        _check_seconds("DelayedRetry", "initial_delay_in_seconds", initial_delay_in_seconds)
        _check_seconds("DelayedRetry", "max_delay_in_seconds", max_delay_in_seconds)
        _check_factor("DelayedRetry", "backoff_factor", backoff_factor)
        self.retries = retries
        self.initial_delay_in_seconds = initial_delay_in_seconds
        self.backoff_factor = backoff_factor
        self.max_delay_in_seconds = max_delay_in_seconds

    def delay_in_seconds(self, failures: int) -> int:
        cap = self.max_delay_in_seconds
        try:
            delay = self.initial_delay_in_seconds * float(self.backoff_factor) ** max(
                failures - 1, 0
            )
        except OverflowError:  # factor ** n passed a float's range: long past the cap
            delay = cap
        return round(min(delay, cap))


STRATEGY_TYPES: dict[str, type[Strategy]] = {
    cls.json_type: cls for cls in (InstantRetry, DelayedRetry)
}
"""The retry strategies a document may name, by ``type``."""


def decode_strategy(value: Any, path: str = "retry_strategy") -> Strategy:
    """Build a retry strategy from its JSON form (floto's own strategy types only)."""
    return decode_form(STRATEGY_TYPES, value, path)
