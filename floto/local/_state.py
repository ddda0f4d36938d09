"""Process-wide state of the engine: its one lock and its settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from floto.limits import (
    LONG_POLL_SECONDS,
    MAX_HISTORY_EVENTS,
    MAX_OPEN_ACTIVITY_TASKS,
    MAX_OPEN_CHILD_WORKFLOWS,
    MAX_OPEN_TIMERS,
)

LOCK = threading.RLock()
"""Held for the whole of every SWF request and every timer callback.

Long polls wait on a ``threading.Condition`` built on this lock, which releases it while
waiting, so an idle poll never blocks other requests.
"""


SKIP_GRACE = 0.25
"""Seconds a poller counts as present after its last poll ended or its last task was answered
(time skipping): longer than a worker's gap between answering and polling again."""

SKIP_PICKUP = 2.0
"""Seconds a newly scheduled task counts as about to be handed out (time skipping): the client
that just started a run is about to poll; a worker or decider process is starting."""

SKIP_QUIET = 0.1
"""Seconds without any new event before time skipping moves the clock."""


@dataclass
class EngineConfig:
    """Settings of the running engine (set once, by the launcher)."""

    poll_wait: float = float(LONG_POLL_SECONDS)
    retain_closed: int = 1000
    retain_seconds: float | None = None
    max_history_events: int = MAX_HISTORY_EVENTS
    max_open_activities: int = MAX_OPEN_ACTIVITY_TASKS
    max_open_timers: int = MAX_OPEN_TIMERS
    max_open_children: int = MAX_OPEN_CHILD_WORKFLOWS
    time_skipping: bool = False
    skip_grace: float = SKIP_GRACE
    skip_pickup: float = SKIP_PICKUP
    skip_quiet: float = SKIP_QUIET


CONFIG = EngineConfig()
