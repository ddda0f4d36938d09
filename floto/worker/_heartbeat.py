"""Heartbeats for the task in hand: one thread per worker, told which task it beats for.

A worker runs one task at a time, so one long-lived thread (a :class:`Heartbeater`) sends the
heartbeats of whichever task is in hand; starting and joining a thread per task cost a worker
a sixth of its time on short tasks. A :class:`Heartbeat` is one task's heartbeats; used alone
(``with Heartbeat(swf, token, 30):``) it brings a heartbeater of its own.
"""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType
from typing import Any

from floto.api import UnknownResourceError

log = logging.getLogger("floto.worker")


class Heartbeat:
    """Record heartbeats for one task every ``interval`` seconds while the ``with`` block runs.

    The first heartbeat goes out one interval after the start; ``interval`` 0 sends none. When
    the block ends no more heartbeats are sent (one in flight finishes first). A heartbeat
    answered with ``cancelRequested`` sets :attr:`cancel_requested`. Errors are logged, never
    raised: an unknown task (it timed out or closed) ends the heartbeats; other errors are
    retried at the next interval.

    Args:
        swf: the :class:`floto.api.Swf` to send heartbeats through.
        task_token: the activity task's token.
        interval: seconds between heartbeats (0 disables them).
        label: how log lines name the task.
        heartbeater: the worker's heartbeat thread (default: one of its own, for this block).
    """

    def __init__(
        self,
        swf: Any,
        task_token: str,
        interval: float,
        *,
        label: str = "",
        heartbeater: Heartbeater | None = None,
    ) -> None:
        self._swf = swf
        self._token = task_token
        self.interval = interval
        self.label = label
        self.sent = 0
        self.task_lost = False
        self._cancel = threading.Event()
        self._heartbeater = heartbeater
        self._own: Heartbeater | None = None

    @property
    def cancel_requested(self) -> bool:
        """Whether a heartbeat's answer said SWF wants the task canceled."""
        return self._cancel.is_set()

    @property
    def should_stop(self) -> bool:
        """Whether the task should stop: cancellation requested, or SWF no longer knows the
        task (its run closed, or the task timed out)."""
        return self._cancel.is_set() or self.task_lost

    def start(self) -> Heartbeat:
        """Start beating (does nothing if the interval is 0)."""
        if self.interval > 0:
            if self._heartbeater is None:
                self._own = self._heartbeater = Heartbeater(f"floto-heartbeat {self.label}")
            self._heartbeater.attach(self)
        return self

    def stop(self) -> None:
        """Stop beating; a heartbeat in flight finishes first."""
        if self._heartbeater is not None:
            self._heartbeater.detach(self)
        if self._own is not None:
            self._own.close()
            self._own = self._heartbeater = None

    def __enter__(self) -> Heartbeat:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def beat(self) -> bool:
        """Send one heartbeat; False when there is no point in sending more."""
        try:
            response = self._swf.record_activity_task_heartbeat(self._token)
        except UnknownResourceError as error:
            self.task_lost = True
            log.warning(
                "heartbeat for %s: the task is gone (%s); no more heartbeats", self.label, error
            )
            return False
        except Exception as error:
            log.warning("heartbeat for %s failed, will retry next interval: %s", self.label, error)
            return True
        self.sent += 1
        if response.get("cancelRequested") and not self._cancel.is_set():
            log.info("heartbeat for %s: cancel requested", self.label)
            self._cancel.set()
        return True


class Heartbeater:
    """One thread that sends the heartbeats of the task attached to it, if any.

    The thread starts with the first task attached and lives until :meth:`close`.
    """

    def __init__(self, name: str = "floto-heartbeat") -> None:
        self.name = name
        self._cond = threading.Condition()
        self._current: Heartbeat | None = None
        self._in_flight: Heartbeat | None = None
        self._due = 0.0
        self._closed = False
        self._thread: threading.Thread | None = None

    def attach(self, beat: Heartbeat) -> None:
        """Beat for ``beat``'s task from now on (its first heartbeat one interval away)."""
        with self._cond:
            self._current, self._due = beat, time.monotonic() + beat.interval
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def detach(self, beat: Heartbeat) -> None:
        """Stop beating for ``beat``'s task, after a heartbeat in flight for it returns."""
        with self._cond:
            if self._current is beat:
                self._current = None
                self._cond.notify_all()
            while self._in_flight is beat:
                self._cond.wait()

    def close(self) -> None:
        """End the thread and wait for it (a task attached later starts a new one)."""
        with self._cond:
            self._closed, self._current = True, None
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        with self._cond:
            self._closed = False

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                beat = self._current
                delay = (self._due - time.monotonic()) if beat is not None else None
                if beat is None or (delay is not None and delay > 0):
                    self._cond.wait(delay)
                    continue
                self._in_flight = beat
                self._cond.release()
                try:
                    go_on = beat.beat()
                finally:
                    self._cond.acquire()
                    self._in_flight = None
                    self._cond.notify_all()
                if self._current is beat:
                    if go_on:
                        self._due = time.monotonic() + beat.interval
                    else:
                        self._current = None
