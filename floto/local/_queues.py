"""Task queues: the scheduled tasks of one task list and the long polls waiting for them.

Each queue has a ``Condition`` on the engine lock: a poll that finds nothing waits on its own
task list's condition (which releases the lock), and only that list's pollers are woken when
a task arrives there. Entries are dropped lazily once their task is no longer ready (taken,
closed, or its run closed).

For time skipping, a queue also knows whether a task on it is about to be handed out: a poll
waits on it now; a poller was there a moment ago (``--skip-grace`` after a poll ended or a
task of the list was answered: the gap between one call of a worker and its next poll); or
the task was scheduled a moment ago (``--skip-pickup``: the client that just started a run is
about to poll, the worker process is starting).

A poll waits first (:meth:`TaskQueue.wait`, which changes nothing) and then takes the task
(:meth:`TaskQueue.take_ready`, an operation of its own: see floto.local._oplog).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from floto.local._state import CONFIG, LOCK


class TaskQueue:
    """Scheduled tasks of one task list, oldest first, and the pollers waiting for them."""

    __slots__ = ("cond", "entries", "ready", "seen", "waiting")

    def __init__(self, ready: Callable[[Any], bool]) -> None:
        self.entries: deque[tuple[Any, float]] = deque()  # (task or run, when it was queued)
        self.cond = threading.Condition(LOCK)
        self.ready = ready
        self.waiting = 0
        self.seen = float("-inf")

    def push(self, item: Any) -> None:
        self.entries.append((item, time.monotonic()))
        self.cond.notify()

    def has_ready(self) -> bool:
        """True if a task is waiting to be handed out (entries no longer ready are dropped)."""
        while self.entries and not self.ready(self.entries[0][0]):
            self.entries.popleft()
        return bool(self.entries)

    def take_ready(self) -> Any:
        """The oldest ready task, taken off the queue; None if none is ready."""
        return self.entries.popleft()[0] if self.has_ready() else None

    def count_ready(self) -> int:
        return sum(1 for item, _queued in self.entries if self.ready(item))

    def wait(self, deadline: float) -> bool:
        """A long poll: wait until a task is ready (True) or ``deadline`` passes (False,
        ``time.monotonic()``); the task stays queued."""
        try:
            while True:
                if self.has_ready():
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.waiting += 1
                try:
                    self.cond.wait(remaining)  # real time: a poll waits as long on any clock
                finally:
                    self.waiting -= 1
        finally:
            self.seen = time.monotonic()

    def expected_until(self) -> float | None:
        """Time skipping: until when (``time.monotonic()``) a ready task here is about to be
        handed out; None if a poll waits for it now, -inf if nothing is ready."""
        if not self.has_ready():
            return float("-inf")
        if self.waiting:
            return None
        newest = max(queued for item, queued in self.entries if self.ready(item))
        return max(self.seen + CONFIG.skip_grace, newest + CONFIG.skip_pickup)

    # snapshots: the tasks and their order; a restored task counts as newly queued ----------
    def __getstate__(self) -> tuple[list[Any], Callable[[Any], bool]]:
        return [item for item, _queued in self.entries if self.ready(item)], self.ready

    def __setstate__(self, state: tuple[list[Any], Callable[[Any], bool]]) -> None:
        items, ready = state
        self.__init__(ready)  # type: ignore[misc]
        now = time.monotonic()
        self.entries.extend((item, now) for item in items)
