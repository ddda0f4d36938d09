"""A heap of due times and one ticker thread that runs what falls due.

Timers, and every timeout of runs, decision tasks and activity tasks, are entries here: the
ticker fires each on its own, a few milliseconds late at most, without any client call. An
entry's callback checks that its object is still in the state it was scheduled for (a
cancelled timer, a completed task), so nothing is ever removed from the heap early.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from floto.local._state import LOCK

log = logging.getLogger(__name__)


class Scheduler:
    """Runs ``callback(*args)`` at ``due`` (``time.time()`` seconds) under the engine lock."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Callable[..., Any], tuple[Any, ...]]] = []
        self._seq = itertools.count()
        self._wake = threading.Condition(LOCK)
        self._thread: threading.Thread | None = None
        self._stopped = False

    def at(self, due: float, callback: Callable[..., Any], *args: Any) -> None:
        """Schedule ``callback(*args)``; the caller holds the engine lock."""
        entry = (due, next(self._seq), callback, args)
        heapq.heappush(self._heap, entry)
        if self._heap[0] is entry:
            self._wake.notify()
        if self._thread is None:
            self.start()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="floto-ticker", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with LOCK:
            self._stopped = True
            self._wake.notify()

    def __len__(self) -> int:
        return len(self._heap)

    def _run(self) -> None:
        with LOCK:
            while not self._stopped:
                if not self._heap:
                    self._wake.wait()
                    continue
                delay = self._heap[0][0] - time.time()
                if delay > 0:
                    self._wake.wait(delay)
                    continue
                _due, _seq, callback, args = heapq.heappop(self._heap)
                try:
                    callback(*args)
                except Exception:  # a bug in one callback must not stop every timer
                    log.exception("timer callback %r failed", callback)


SCHEDULER = Scheduler()
