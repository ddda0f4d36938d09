"""Process-wide state of the engine: its one lock and its settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from floto.limits import LONG_POLL_SECONDS, MAX_HISTORY_EVENTS, MAX_OPEN_CHILD_WORKFLOWS

LOCK = threading.RLock()
"""Held for the whole of every SWF request and every timer callback.

Long polls wait on a ``threading.Condition`` built on this lock, which releases it while
waiting, so an idle poll never blocks other requests.
"""


@dataclass
class EngineConfig:
    """Settings of the running engine (set once, by the launcher)."""

    poll_wait: float = float(LONG_POLL_SECONDS)
    retain_closed: int = 1000
    retain_seconds: float | None = None
    max_history_events: int = MAX_HISTORY_EVENTS
    max_open_children: int = MAX_OPEN_CHILD_WORKFLOWS


CONFIG = EngineConfig()
