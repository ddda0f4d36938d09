"""The engine's clock: every timestamp it reports and every due time it keeps is read here.

Without time skipping it is ``time.time()``. With time skipping it is a virtual clock: it flows
at the real rate, and may be moved ahead (by the ticker when the engine is idle, or by an
explicit skip), never back. Virtual time starts equal to real time.

Inside an operation (floto.local._oplog) the clock stands still at the operation's instant
(``frozen``), so that the operation can be replayed exactly.
"""

from __future__ import annotations

import math
import time
from typing import Any


class Clock:
    """Engine time in seconds since the epoch (``time.time()`` plus what was skipped)."""

    def __init__(self) -> None:
        self.virtual = False
        self.skipped = 0.0
        self.frozen: float | None = None

    def now(self) -> float:
        return (time.time() if self.frozen is None else self.frozen) + self.skipped

    def check_skip(self, seconds: Any) -> None:
        """Raise ValueError unless a virtual clock may move ``seconds`` ahead."""
        if not self.virtual:
            raise ValueError("the engine runs on real time: start it with --time-skipping")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError(f"seconds to skip must be a number, got {seconds!r}")
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"seconds to skip must be a finite number >= 0, got {seconds!r}")

    def advance(self, seconds: float) -> None:
        """Move a virtual clock ``seconds`` ahead; the caller holds the engine lock."""
        self.check_skip(seconds)
        self.skipped += seconds

    def advance_to(self, when: float) -> None:
        """Move a virtual clock ahead to ``when`` (nothing if it is past already)."""
        ahead = when - self.now()
        if ahead > 0:
            self.advance(ahead)


CLOCK = Clock()
