"""Stopping long-running pollers at once.

SWF holds an idle poll up to 60 s and cannot be told to drop it. A worker or decider that
waits for its poll to return before exiting makes every stop take up to a minute; one that
exits at once leaves the poll behind, and SWF may still hand that poll a task during the rest
of its minute (it does not notice that the client went away). Such a task is recorded as
started and is lost until it times out: an activity after its start-to-close (or heartbeat)
timeout, after which its retry strategy applies; a decision task after the run's decision
task timeout, after which SWF schedules a new one.

floto's choice (docs/cli.md, "Stopping"): on SIGTERM or Ctrl-C a process that is idle in a
poll exits at once; one that is running a task (an activity, or deciding) finishes it and
responds first; a second signal exits at once. ``--drain`` instead waits for the poll in
progress and handles whatever it brings, so no task can be lost: use it when stopping
workers and deciders on AWS while runs are in progress (deployments).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger("floto.cli")


class Runner:
    """Runs poll loops on daemon threads and stops them as the module docstring says.

    Args:
        loops: objects with ``run()``, ``stop()`` and ``busy`` (whether a task is in hand):
            ActivityWorker, Decider, Daemon...
        drain: wait for the poll in progress when stopping (no task can be lost).
        on_stop: called once a stop is decided, before waiting (e.g. to stop child processes).
        hard_exit: once stopped, end the process with ``os._exit`` if a poll is still in
            progress: an interpreter shutting down with a thread blocked in a socket read
            takes up to a few seconds (measured 0.5-1.7 s), which is what "at once" avoids.
    """

    def __init__(
        self,
        loops: Sequence[Any],
        *,
        drain: bool = False,
        on_stop: Callable[[], None] | None = None,
        hard_exit: bool = False,
    ) -> None:
        self.hard_exit = hard_exit
        self.loops = list(loops)
        self.drain = drain
        self.on_stop = on_stop
        self.signals = 0
        self._signalled = threading.Event()
        self.errors: list[BaseException] = []

    def _signal(self, signum: int, frame: Any) -> None:
        self.signals += 1
        self._signalled.set()

    def _target(self, loop: Any) -> Callable[[], None]:
        def run() -> None:
            try:
                loop.run()
            except BaseException as error:  # reported by run(): the process must not hang
                self.errors.append(error)

        return run

    def run(self) -> int:
        """Run until every loop returns or a signal stops them; returns the exit status."""
        threads = [
            threading.Thread(target=self._target(loop), daemon=True, name=f"floto-{i}")
            for i, loop in enumerate(self.loops)
        ]
        previous = {
            sig: signal.signal(sig, self._signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            for thread in threads:
                thread.start()
            while any(t.is_alive() for t in threads) and not self._signalled.wait(0.2):
                pass
            if self._signalled.is_set():
                self._stop(threads)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.errors:
            raise self.errors[0]
        if self.hard_exit and any(t.is_alive() for t in threads):
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        return 0

    def _stop(self, threads: list[threading.Thread]) -> None:
        for loop in self.loops:
            loop.stop()
        if self.on_stop is not None:
            self.on_stop()
        if self.drain:
            log.info("stopping after the poll in progress returns (up to 60 s on SWF)")
            self._wait(lambda: any(t.is_alive() for t in threads))
            return
        if any(loop.busy for loop in self.loops):
            log.info("stopping after the task in hand (signal again to stop now)")
            self._wait(lambda: any(loop.busy for loop in self.loops))

    def _wait(self, pending: Callable[[], bool]) -> None:
        seen = self.signals
        while pending() and self.signals == seen:
            self._signalled.clear()
            self._signalled.wait(0.1)
        if pending():
            log.warning("stopped at once: the task in hand is left to time out")
