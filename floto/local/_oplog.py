"""Operations: every change of the engine's state happens inside one, at one instant.

An operation is one SWF request, one firing of the timers that fell due, one skip or jump of
the clock. Inside it the clock stands still (every timestamp and due time it produces is read
at one instant), run ids and task tokens come from :meth:`OpLog.new_id` and the rate quotas'
answers from :meth:`OpLog.verdict`. Those are all an operation takes from outside the engine's
code, so an operation recorded with its instant, its ids and its quota answers does exactly the
same thing again when it is replayed (floto.local._persist keeps such a journal when the engine
has a data dir).

``OPLOG.changed()`` is called wherever state changes without the operation being one that
always changes it (an event recorded, a timer armed, a closed run dropped): a poll or a tick
that changed nothing is not worth recording.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from floto.local._clock import CLOCK

_YES, _NO = "quota:yes", "quota:no"  # never an id (those are hex digits)
_VERDICTS = (_YES, _NO)


class ReplayMismatch(RuntimeError):
    """A replayed operation drew ids or quota answers other than it did when recorded."""


@dataclass
class Operation:
    """One operation: what it was, the instant it happened at and the ids it drew."""

    kind: str  # "call" (an SWF request), "tick", "skip", "jump" or "config"
    payload: Any = None
    at: float = 0.0  # time.time() when it happened; the clock reads this plus what was skipped
    ids: list[str] = field(default_factory=list)
    read_only: bool = False  # worth recording only if it changed something
    result: str = ""  # the answer (its digest tells a replay that went astray)
    error: BaseException | None = None
    changes_before: int = 0
    replay: Iterator[str] | None = None


Recorder = Callable[[Operation], None]


class OpLog:
    """The operation under way, and who is told of each one that changed state."""

    def __init__(self) -> None:
        self.current: Operation | None = None
        self.changes = 0
        self.recorder: Recorder | None = None

    def changed(self) -> None:
        self.changes += 1

    def new_id(self) -> str:
        """32 random hex digits; on replay, the next one the operation drew when recorded."""
        return self._draw(lambda: uuid.uuid4().hex, verdict=False)

    def verdict(self, decide: Callable[[], bool]) -> bool:
        """``decide()`` (a rate quota's yes or no), recorded with the ids; on replay, the
        answer it gave when recorded, since a token bucket's state is not replayed."""
        return self._draw(lambda: _YES if decide() else _NO, verdict=True) == _YES

    def _draw(self, fresh: Callable[[], str], verdict: bool) -> str:
        """``fresh()``, appended to the operation's record; on replay, the next recorded
        value, which must be of the same kind (an id, or a quota's answer)."""
        op = self.current
        if op is not None and op.replay is not None:
            value = next(op.replay, None)
            if value is None or (value in _VERDICTS) != verdict:
                what = "a quota's answer" if verdict else "an id"
                raise ReplayMismatch(f"the operation drew {what} it did not draw when recorded")
            return value
        value = fresh()
        if op is not None:
            op.ids.append(value)
        return value

    def new_token(self) -> str:
        """A task token (a UUID's text, as moto's)."""
        return str(uuid.UUID(self.new_id()))

    @contextlib.contextmanager
    def operation(self, kind: str, payload: Any = None, read_only: bool = False) -> Iterator[Any]:
        """Run the ``with`` block as one operation (the caller holds the engine lock); inside
        another operation (a replay), the block is part of that one."""
        if self.current is not None:
            yield self.current
            return
        op = Operation(kind, payload, time.time(), read_only=read_only)
        self._enter(op)
        try:
            yield op
        except BaseException as exc:
            op.error = exc
            raise
        finally:
            self._leave(op)
            if self.recorder is not None and self.worth_recording(op):
                self.recorder(op)

    @contextlib.contextmanager
    def replaying(self, at: float, ids: list[str]) -> Iterator[Operation]:
        """Run the ``with`` block as a recorded operation again: at ``at``, with ``ids``."""
        op = Operation("replay", at=at, replay=iter(ids))
        self._enter(op)
        try:
            yield op
        finally:
            self._leave(op)

    def worth_recording(self, op: Operation) -> bool:
        if self.changes != op.changes_before:
            return True
        return op.error is None and not op.read_only

    def _enter(self, op: Operation) -> None:
        op.changes_before = self.changes
        self.current = op
        CLOCK.frozen = op.at

    def _leave(self, op: Operation) -> None:
        self.current = None
        CLOCK.frozen = None


OPLOG = OpLog()
