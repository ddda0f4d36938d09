"""Fault injection: ``floto local --fault-rate R [--fault-kinds ...] [--fault-seed N]``.

Each SWF call a workflow makes (polls, answers, heartbeats, starts, signals, histories, lists;
not the registration of domains and types) meets a fault with probability ``R``, of a kind
drawn from the enabled ones:

- ``throttle``: refused with SWF's ``ThrottlingException`` (400), not carried out;
- ``5xx``: refused with ``InternalFailure`` (500) or ``ServiceUnavailable`` (503), not carried
  out;
- ``drop-response``: carried out, then the connection is closed without an answer (the client
  sees a dropped connection; a task handed out this way is started, and times out unless the
  client's retry is answered otherwise);
- ``slow``: carried out, answered 0.2-2 s late.

Draws come from one ``random.Random(seed)`` in the order calls arrive, so a seed replays the
same faults for the same sequence of calls. Every fault is logged on the engine's output with
its number, kind and operation; ``GET /_floto/faults`` counts them.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("floto.local")

KINDS = ("throttle", "5xx", "drop-response", "slow")
SLOW_SECONDS = (0.2, 2.0)
FAULT_FREE = frozenset(
    {
        "RegisterDomain",
        "DeprecateDomain",
        "UndeprecateDomain",
        "DescribeDomain",
        "ListDomains",
        "RegisterActivityType",
        "DeprecateActivityType",
        "UndeprecateActivityType",
        "DeleteActivityType",
        "DescribeActivityType",
        "ListActivityTypes",
        "RegisterWorkflowType",
        "DeprecateWorkflowType",
        "UndeprecateWorkflowType",
        "DeleteWorkflowType",
        "DescribeWorkflowType",
        "ListWorkflowTypes",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
    }
)
"""Set-up calls (domains, types, tags): never faulted, so that a test's set-up is not what
fails."""


@dataclass(frozen=True)
class Fault:
    """One injected fault: its kind, its HTTP status if it refuses the call, the delay of a
    ``slow`` one."""

    kind: str
    number: int
    status: int = 0
    delay: float = 0.0

    @property
    def refuses(self) -> bool:
        """True if the call is refused without being carried out."""
        return self.status != 0

    def error(self) -> dict[str, str]:
        """SWF's error body for a refused call."""
        if self.kind == "throttle":
            return {"__type": "com.amazon.coral.availability#ThrottlingException",
                    "message": "Rate exceeded (floto local: injected fault)"}  # fmt: skip
        name = "InternalFailure" if self.status == 500 else "ServiceUnavailable"
        return {"__type": f"com.amazon.coral.service#{name}",
                "message": f"{name} (floto local: injected fault)"}  # fmt: skip


def parse_kinds(text: str) -> tuple[str, ...]:
    """``"throttle,slow"`` as a tuple of kinds; ValueError naming an unknown one."""
    kinds = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"unknown fault kind {unknown[0]!r}" if unknown else "no fault kind given")
    return kinds


class Faults:
    """Decides, call by call, which SWF calls meet which fault (thread-safe)."""

    def __init__(self) -> None:
        self.rate = 0.0
        self.kinds: tuple[str, ...] = KINDS
        self.seed: int | None = None
        self.calls = 0
        self.counts: Counter[str] = Counter()
        self._rng = random.Random()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def configure(self, rate: float, kinds: tuple[str, ...], seed: int | None) -> None:
        """Turn fault injection on (``rate`` > 0); a seed is chosen when none is given."""
        self.rate, self.kinds = rate, kinds
        self.seed = random.SystemRandom().randrange(1_000_000) if seed is None else seed
        self._rng = random.Random(self.seed)

    def draw(self, action: str) -> Fault | None:
        """The fault that the call ``action`` meets, if any."""
        if not self.enabled or action in FAULT_FREE:
            return None
        with self._lock:
            self.calls += 1
            if self._rng.random() >= self.rate:
                return None
            kind = self._rng.choice(self.kinds)
            status = {"throttle": 400, "5xx": self._rng.choice((500, 503))}.get(kind, 0)
            delay = self._rng.uniform(*SLOW_SECONDS) if kind == "slow" else 0.0
            self.counts[kind] += 1
            number = sum(self.counts.values())
        late = f", {delay:.2f} s late" if delay else ""
        shown = f"{kind} ({status})" if status else kind
        log.warning("floto local fault %d: %s on %s%s", number, shown, action, late)
        return Fault(kind, number, status, delay)

    def describe(self) -> str:
        return (
            f"fault injection: {self.rate:g} of SWF calls ({', '.join(self.kinds)}), "
            f"seed {self.seed}"
        )

    def figures(self) -> dict[str, Any]:
        with self._lock:
            return {
                "rate": self.rate,
                "kinds": list(self.kinds),
                "seed": self.seed,
                "calls": self.calls,
                "injected": {kind: self.counts[kind] for kind in self.kinds},
            }


FAULTS = Faults()
