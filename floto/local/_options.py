"""EngineOptions: every setting of a local engine, declared once.

``LocalEngine(...)`` builds one from its keywords and starts the engine with
:meth:`EngineOptions.to_args`; ``floto local`` takes its argparse defaults from
:data:`DEFAULTS` and builds one with :meth:`EngineOptions.from_namespace`; the server
(``_server.serve``) reads one. A setting added here reaches all three.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass
from typing import Any

from floto.local._faults import KINDS
from floto.local._quotas import Rate

_FLAGS: dict[str, str] = {
    "host": "--host",
    "port": "--port",
    "poll_wait": "--poll-wait",
    "region": "--region",
    "retain_closed": "--retain-closed",
    "retain_seconds": "--retain-seconds",
    "skip_grace": "--skip-grace",
    "skip_pickup": "--skip-pickup",
    "skip_quiet": "--skip-quiet",
    "data_dir": "--data-dir",
    "fault_rate": "--fault-rate",
    "fault_seed": "--fault-seed",
    "rate_scale": "--rate-scale",
    "max_history_events": "--max-history-events",
    "max_open_children": "--max-open-children",
    "max_open_activities": "--max-open-activities",
    "max_open_timers": "--max-open-timers",
}
"""Options sent as ``--flag VALUE`` when they differ from their default."""


@dataclass(frozen=True)
class EngineOptions:
    """What a local engine is started with (the options of ``floto local``).

    Attributes:
        host, port: where it listens (port 0: a free one).
        poll_wait: seconds an idle poll waits (SWF: 60).
        region: region assumed for requests that do not name one.
        retain_closed, retain_seconds: closed executions kept per domain, and for how long.
        time_skipping: a virtual clock that jumps over waits when nothing is being worked on;
            ``skip_grace``, ``skip_pickup``, ``skip_quiet`` tune it (None: the defaults).
        data_dir: keep the state in this folder across restarts (None: in memory).
        fault_rate, fault_kinds, fault_seed: injected faults (fraction of calls, which kinds,
            the seed of the draws).
        rate_quotas, rate_scale, rate_limits: SWF's rate quotas on or off, scaled, and
            ``(name, Rate)`` overrides.
        max_history_events, max_open_children, max_open_activities, max_open_timers: SWF's
            limits lowered (tests; None: SWF's).
    """

    host: str = "127.0.0.1"
    port: int = 0
    poll_wait: float = 60.0
    region: str = "us-east-1"
    retain_closed: int = 1000
    retain_seconds: float | None = None
    time_skipping: bool = False
    skip_grace: float | None = None
    skip_pickup: float | None = None
    skip_quiet: float | None = None
    data_dir: str | None = None
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = KINDS
    fault_seed: int | None = None
    rate_quotas: bool = True
    rate_scale: float = 1.0
    rate_limits: tuple[tuple[str, Rate], ...] = ()
    max_history_events: int | None = None
    max_open_children: int | None = None
    max_open_activities: int | None = None
    max_open_timers: int | None = None

    def to_args(self) -> list[str]:
        """The ``floto local`` command-line options that start an engine with these settings."""
        args: list[str] = []
        for name, flag in _FLAGS.items():
            value = getattr(self, name)
            if value is not None and (value != getattr(DEFAULTS, name) or name in _ALWAYS):
                args += [flag, repr(value) if isinstance(value, float) else str(value)]
        if self.time_skipping:
            args.append("--time-skipping")
        if tuple(self.fault_kinds) != KINDS:
            args += ["--fault-kinds", ",".join(self.fault_kinds)]
        if not self.rate_quotas:
            args.append("--no-rate-quotas")
        for name, rate in self.rate_limits:
            args += ["--rate-quota", f"{name}={rate.size!r}/{rate.refill!r}"]
        return args

    @classmethod
    def from_namespace(cls, args: argparse.Namespace) -> EngineOptions:
        """The options ``floto local``'s parsed arguments give (their names are the fields';
        ``--rate-quota`` is ``rate_quota``)."""
        given: dict[str, Any] = {
            field.name: getattr(args, field.name)
            for field in dataclasses.fields(cls)
            if hasattr(args, field.name)
        }
        given["rate_limits"] = tuple(getattr(args, "rate_quota", ()) or ())
        return cls(**given)

    def replace(self, **changes: Any) -> EngineOptions:
        """A copy with ``changes``."""
        return dataclasses.replace(self, **changes)


DEFAULTS = EngineOptions()
"""The defaults of a :class:`LocalEngine` and of ``floto local`` (but for its port)."""
LOCAL_PORT = 4588
"""The port ``floto local`` listens on unless told otherwise."""
_ALWAYS = frozenset({"host", "port", "poll_wait", "region", "retain_closed"})
"""Sent even at their defaults: the engine process states them in its command line."""


def rate_limits_of(limits: dict[str, tuple[float, float]] | None) -> tuple[tuple[str, Rate], ...]:
    """``{quota name: (bucket size, refill a second)}`` as EngineOptions' ``rate_limits``."""
    return tuple((name, Rate(float(size), float(refill))) for name, (size, refill) in
                 (limits or {}).items())  # fmt: skip
