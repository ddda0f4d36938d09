"""SWF's rate quotas as token buckets, and the request size SWF takes.

Numbers from the Amazon SWF Developer Guide, "Amazon SWF Quotas" (swf-dg-limits): SWF throttles
decisions and some calls "using a token bucket scheme", with a bucket size (the burst) and a
refill rate per second. The engine keeps one bucket per quota and scope:

- ``account:<decision>``: the decision quotas, per account and region (ScheduleActivityTask
  1,000 / 200 a second, StartTimer 2,000 / 200, StartChildWorkflowExecution 500 / 12,
  SignalExternalWorkflowExecution and RequestCancelExternalWorkflowExecution 1,200 / 120);
- ``task-list:ScheduleActivityTask``: "maximum tasks scheduled per second, 2,000 per task list"
  (a bucket of 2,000 refilled at 2,000 a second, per domain and task list);
- ``workflow:<call>``: the workflow-level quotas, per run (GetWorkflowExecutionHistory 400 /
  200, SignalWorkflowExecution 1,000 / 1,000, RecordActivityTaskHeartbeat 1,000 / 1,000,
  RequestCancelWorkflowExecution 200 / 200).

A refused decision is recorded as SWF records it (its ``*Failed`` event with the
``*_RATE_EXCEEDED`` cause); a refused call is answered with ``ThrottlingException``.
``floto local --no-rate-quotas`` turns the buckets off, ``--rate-scale F`` multiplies every
size and refill rate by F, ``--rate-quota NAME=SIZE/REFILL`` sets one.

The caller holds the engine lock; bucket time is the engine's clock (so time skipping refills
them too), handed in as ``now``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from floto.local._oplog import OPLOG

MAX_REQUEST_BYTES = 1_000_000
"""SWF's "maximum request size, 1 MB per request", headers included; read as 10**6 bytes,
the stricter of its two readings (what passes here also passes on SWF)."""


@dataclass(frozen=True)
class Rate:
    """A token bucket's settings: ``size`` tokens at most, ``refill`` tokens a second."""

    size: float
    refill: float

    def scaled(self, factor: float) -> Rate:
        return Rate(self.size * factor, self.refill * factor)

    def __str__(self) -> str:
        return f"{self.size:g}/{self.refill:g}"


SWF_RATES: dict[str, Rate] = {
    "account:ScheduleActivityTask": Rate(1000, 200),
    "account:StartTimer": Rate(2000, 200),
    "account:StartChildWorkflowExecution": Rate(500, 12),
    "account:SignalExternalWorkflowExecution": Rate(1200, 120),
    "account:RequestCancelExternalWorkflowExecution": Rate(1200, 120),
    "task-list:ScheduleActivityTask": Rate(2000, 2000),
    "workflow:GetWorkflowExecutionHistory": Rate(400, 200),
    "workflow:SignalWorkflowExecution": Rate(1000, 1000),
    "workflow:RecordActivityTaskHeartbeat": Rate(1000, 1000),
    "workflow:RequestCancelWorkflowExecution": Rate(200, 200),
}
"""SWF's default bucket size and refill rate of every quota the engine models."""

_PRUNE_AT = 10_000
"""Buckets kept before full ones (no different from new ones) are dropped."""


def parse_rate(text: str) -> tuple[str, Rate]:
    """``"task-list:ScheduleActivityTask=20/5"`` as ``(name, Rate(20, 5))``; ValueError if the
    name is not a modelled quota or the numbers are not ``SIZE/REFILL`` (SIZE >= 1,
    REFILL > 0)."""
    name, sep, numbers = text.partition("=")
    name = name.strip()
    if name not in SWF_RATES:
        raise ValueError(f"unknown quota {name!r} (one of: {', '.join(SWF_RATES)})")
    size_text, slash, refill_text = numbers.partition("/")
    try:
        size, refill = float(size_text), float(refill_text)
    except ValueError:
        size = refill = math.nan
    if not (sep and slash and math.isfinite(size) and math.isfinite(refill)):
        raise ValueError(f"{text!r}: expected NAME=SIZE/REFILL, e.g. {name}=20/5")
    if size < 1 or refill <= 0:
        raise ValueError(f"{text!r}: SIZE must be >= 1 and REFILL > 0")
    return name, Rate(size, refill)


class Bucket:
    """One token bucket, full when created."""

    __slots__ = ("rate", "stamp", "tokens")

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate, self.tokens, self.stamp = rate, rate.size, now

    def refill(self, now: float) -> float:
        if now > self.stamp:
            self.tokens = min(self.rate.size, self.tokens + (now - self.stamp) * self.rate.refill)
            self.stamp = now
        return self.tokens


class RateQuotas:
    """Every bucket of the engine, by quota name and scope key."""

    def __init__(self) -> None:
        self.enabled = True
        self.scale = 1.0
        self.overrides: dict[str, Rate] = {}
        self.rates: dict[str, Rate] = dict(SWF_RATES)
        self.buckets: dict[tuple[str, Hashable], Bucket] = {}
        self.refused: Counter[str] = Counter()

    def configure(
        self, enabled: bool = True, scale: float = 1.0, overrides: Iterable[tuple[str, Rate]] = ()
    ) -> None:
        """Turn the buckets on or off, scale SWF's numbers, and set some quotas outright."""
        if not (math.isfinite(scale) and scale > 0):
            raise ValueError(f"the rate scale must be a number > 0, got {scale!r}")
        self.enabled, self.scale, self.overrides = enabled, scale, dict(overrides)
        self.rates = {name: rate.scaled(scale) for name, rate in SWF_RATES.items()}
        self.rates.update(self.overrides)
        self.buckets.clear()
        self.refused.clear()

    def take(self, wanted: Iterable[tuple[str, Hashable]], now: float) -> bool:
        """Take one token from each bucket named in ``wanted`` (``(quota, scope key)``), or none
        if one of them is empty: False then, and the first empty quota is counted."""
        return OPLOG.verdict(lambda: self._take(wanted, now))

    def _take(self, wanted: Iterable[tuple[str, Hashable]], now: float) -> bool:
        if not self.enabled:
            return True
        buckets = [(name, self._bucket(name, key, now)) for name, key in wanted]
        for name, bucket in buckets:
            if bucket.refill(now) < 1:
                self.refused[name] += 1
                return False
        for _, bucket in buckets:
            bucket.tokens -= 1
        return True

    def _bucket(self, name: str, key: Hashable, now: float) -> Bucket:
        bucket = self.buckets.get((name, key))
        if bucket is None:
            if len(self.buckets) >= _PRUNE_AT:
                self._prune(now)
            bucket = self.buckets[(name, key)] = Bucket(self.rates[name], now)
        return bucket

    def _prune(self, now: float) -> None:
        """Drop full buckets (of closed runs, idle task lists): a new one is the same."""
        for key in [k for k, b in self.buckets.items() if b.refill(now) >= b.rate.size]:
            del self.buckets[key]

    def describe(self) -> str:
        if not self.enabled:
            return "rate quotas off"
        shown = f"SWF's rate quotas x{self.scale:g}" if self.scale != 1 else "SWF's rate quotas"
        return shown + "".join(f", {name}={rate}" for name, rate in self.overrides.items())

    def figures(self) -> dict[str, Any]:
        """Settings and refusals, for ``GET /_floto/quotas``."""
        return {
            "rateQuotas": self.enabled,
            "scale": self.scale,
            "rates": {name: {"size": r.size, "refill": r.refill} for name, r in self.rates.items()},
            "refused": dict(self.refused),
            "maxRequestBytes": MAX_REQUEST_BYTES,
        }


QUOTAS = RateQuotas()


def account_of(domain: Any) -> tuple[str, str]:
    """The scope of account-level quotas: a domain's account and region."""
    return (domain.account_id, domain.region_name)


def check_call(call: str, run_id: str, now: float) -> None:
    """Take a token of the workflow-level quota of ``call`` for the run ``run_id``, or raise
    the ``ThrottlingException`` SWF answers when its bucket is empty."""
    name = f"workflow:{call}"
    if not QUOTAS.take([(name, run_id)], now):
        from moto.swf.exceptions import SWFClientError  # here: `floto local --help` loads no moto

        rate = QUOTAS.rates[name]
        raise SWFClientError(
            "com.amazon.coral.availability#ThrottlingException",
            f"Rate exceeded: {call} of this workflow execution (floto local: {rate.size:g} "
            f"calls at once, {rate.refill:g} a second)",
        )
