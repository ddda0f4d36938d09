"""Heaps of due times and one ticker thread that runs what falls due, on the engine's clock.

Timers, and every timeout of runs, decision tasks and activity tasks, are entries here: the
ticker fires each on its own, a few milliseconds late at most, without any client call. An
entry is dropped when what it watches closes; its callback also checks that its object is
still in the state it was scheduled for, so a missed drop is harmless.

Chores (dropping closed runs past their retention) sit in a heap of their own: they fire when
the clock passes them, but never draw a time skip.

With time skipping, the ticker moves the clock ahead to the next live entry once the engine
is idle: the idle probe it is handed (by the backend, a layer above) says from when a skip is
allowed, and no event may have been recorded for ``quiet`` real seconds.

Each firing of what fell due, each skip and each jump of the clock is one operation
(floto.local._oplog), so a journal can replay it; :meth:`Scheduler.entries` and
:meth:`Scheduler.restore` carry the heaps through a snapshot.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from floto.local._clock import CLOCK
from floto.local._oplog import OPLOG
from floto.local._state import LOCK

log = logging.getLogger(__name__)

IdleProbe = Callable[[], "float | None"]
"""Monotonic time from which the clock may skip ahead, or None while the engine is busy."""


class Entry:
    """One scheduled callback; :meth:`drop` it when what it watches has closed."""

    __slots__ = ("args", "callback", "dropped", "due")

    def __init__(self, due: float, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.due, self.callback, self.args = due, callback, args
        self.dropped = False

    def drop(self) -> None:
        self.dropped = True


class _Heap:
    """Entries by due time; dropped ones are discarded when they reach the top."""

    def __init__(self) -> None:
        self.items: list[tuple[float, int, Entry]] = []

    def push(self, entry: Entry, seq: int) -> bool:
        """Add ``entry``; True if it is now the first due."""
        item = (entry.due, seq, entry)
        heapq.heappush(self.items, item)
        return self.items[0] is item

    def top(self) -> Entry | None:
        while self.items and self.items[0][2].dropped:
            heapq.heappop(self.items)
        return self.items[0][2] if self.items else None

    def pop(self) -> Entry:
        return heapq.heappop(self.items)[2]


class Scheduler:
    """Runs ``callback(*args)`` at ``due`` (engine clock seconds) under the engine lock."""

    def __init__(self) -> None:
        self._timeouts = _Heap()
        self._chores = _Heap()
        self._seq = 0
        self._wake = threading.Condition(LOCK)
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._probe: IdleProbe | None = None
        self.quiet = 0.0
        self.last_change = time.monotonic()
        self.skips = 0

    def at(self, due: float, callback: Callable[..., Any], *args: Any) -> Entry:
        """Schedule ``callback(*args)``; the caller holds the engine lock."""
        return self._add(self._timeouts, due, callback, args)

    def chore(self, due: float, callback: Callable[..., Any], *args: Any) -> Entry:
        """Schedule housekeeping that never draws a time skip."""
        return self._add(self._chores, due, callback, args)

    def _add(self, heap: _Heap, due: float, callback: Callable[..., Any], args: Any) -> Entry:
        entry = Entry(due, callback, args)
        OPLOG.changed()
        self._seq += 1
        if heap.push(entry, self._seq):
            self._wake.notify()
        if self._thread is None:
            self.start()
        return entry

    # time skipping ---------------------------------------------------------------------
    @property
    def skipping(self) -> bool:
        return self._probe is not None

    def enable_skipping(self, probe: IdleProbe, quiet: float) -> None:
        """Skip ahead whenever ``probe`` allows and nothing happened for ``quiet`` seconds."""
        CLOCK.virtual = True
        self._probe, self.quiet = probe, quiet

    def changed(self) -> None:
        """Something happened (an event was recorded): the engine is not quiet."""
        if self._probe is not None:
            self.last_change = time.monotonic()
            self._wake.notify()

    def skip(self, seconds: float) -> int:
        """Move the clock ``seconds`` ahead, firing what falls due on the way at its own time
        (the caller holds the engine lock). Returns how many entries fired."""
        CLOCK.check_skip(seconds)
        with OPLOG.operation("skip", seconds) as op:
            target = CLOCK.now() + seconds
            fired = 0
            while True:
                entry = self._first()
                if entry is None or entry.due > target:
                    break
                CLOCK.advance_to(entry.due)
                fired += self._run_due()
            CLOCK.advance_to(target)
            fired += self._run_due()
            op.result = str(fired)
        self._wake.notify()
        return fired

    def jump(self, when: float) -> None:
        """Move a virtual clock ahead to ``when``, as one operation (time skipping)."""
        with OPLOG.operation("jump", when):
            CLOCK.advance_to(when)

    # snapshots -------------------------------------------------------------------------
    def entries(self) -> tuple[list[tuple[float, int, Entry]], list[tuple[float, int, Entry]]]:
        """The live timeouts and chores, with their order (for a snapshot)."""
        return (
            [item for item in self._timeouts.items if not item[2].dropped],
            [item for item in self._chores.items if not item[2].dropped],
        )

    def restore(
        self, timeouts: list[tuple[float, int, Entry]], chores: list[tuple[float, int, Entry]]
    ) -> None:
        """Take the entries of a snapshot (before any other is added)."""
        for heap, items in ((self._timeouts, timeouts), (self._chores, chores)):
            heap.items = list(items)
            heapq.heapify(heap.items)
        self._seq = max((seq for _due, seq, _entry in timeouts + chores), default=0)
        self._wake.notify()

    # the ticker ------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="floto-ticker", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with LOCK:
            self._stopped = True
            self._wake.notify()

    def __len__(self) -> int:
        return len(self._timeouts.items) + len(self._chores.items)

    def _first(self) -> Entry | None:
        candidates = [e for e in (self._timeouts.top(), self._chores.top()) if e is not None]
        return min(candidates, key=lambda e: e.due) if candidates else None

    def run_due(self) -> int:
        """Fire, as one operation, every entry due by the clock now; how many fired."""
        with OPLOG.operation("tick", read_only=True) as op:
            fired = self._run_due()
            op.result = str(fired)
        return fired

    def _run_due(self) -> int:
        """Fire every entry due by the clock now; how many fired."""
        fired = 0
        while (entry := self._first()) is not None and entry.due <= CLOCK.now():
            heap = self._timeouts if self._timeouts.top() is entry else self._chores
            heap.pop()
            fired += 1
            try:
                entry.callback(*entry.args)
            except Exception:  # a bug in one callback must not stop every timer
                log.exception("timer callback %r failed", entry.callback)
        return fired

    def _run(self) -> None:
        with LOCK:
            while not self._stopped:
                if self.run_due():
                    continue
                first = self._first()
                delay = None if first is None else first.due - CLOCK.now()
                if self._probe is not None:
                    delay = self._skip_or_wait(delay)
                if delay is None or delay > 0:
                    self._wake.wait(delay)

    def _skip_or_wait(self, delay: float | None) -> float | None:
        """Skip to the next timeout if the engine is idle (0: look again at once), else the
        real seconds to wait before looking again (None: until woken)."""
        target = self._timeouts.top()
        if target is None:
            return delay
        assert self._probe is not None
        allowed = self._probe()
        if allowed is None:
            return delay
        allowed = max(allowed, self.last_change + self.quiet)
        wait = allowed - time.monotonic()
        if wait > 0:
            return wait if delay is None else min(delay, wait)
        log.debug("time skip: %.3f s ahead", target.due - CLOCK.now())
        self.jump(target.due)
        self.skips += 1
        return 0.0


SCHEDULER = Scheduler()
