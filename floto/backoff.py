"""Jittered exponential back-off, shared by the SWF client's retries and the polling loops of
deciders and workers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Jittered exponential back-off: delay n is uniform in [c/2, c], c = min(cap, base * 2**n).

    Args:
        base: seconds of the first step's upper bound.
        cap: largest delay in seconds.
    """

    base: float = 0.5
    cap: float = 30.0
    failures: int = field(default=0, init=False)

    def next_delay(self) -> float:
        """The next delay in seconds; each call counts one more failure."""
        ceiling = min(self.cap, self.base * (2 ** min(self.failures, 30)))
        self.failures += 1
        return random.uniform(ceiling / 2, ceiling) if ceiling > 0 else 0.0

    def reset(self) -> None:
        """Forget past failures (call after a success)."""
        self.failures = 0
