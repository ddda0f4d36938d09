"""Heartbeats for one activity task, sent from a thread that lives as long as the task."""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from floto.api import UnknownResourceError

log = logging.getLogger("floto.worker")


class Heartbeat:
    """Record heartbeats for one task every ``interval`` seconds while the ``with`` block runs.

    The first heartbeat goes out one interval after the start; ``interval`` 0 sends none. The
    thread is stopped and joined when the block ends. A heartbeat answered with
    ``cancelRequested`` sets :attr:`cancel_requested`. Errors are logged, never raised: an
    unknown task (it timed out or closed) ends the heartbeats; other errors are retried at the
    next interval.

    Args:
        swf: the :class:`floto.api.Swf` to send heartbeats through.
        task_token: the activity task's token.
        interval: seconds between heartbeats (0 disables them).
        label: how log lines name the task.
    """

    def __init__(self, swf: Any, task_token: str, interval: float, *, label: str = "") -> None:
        self._swf = swf
        self._token = task_token
        self.interval = interval
        self.label = label
        self.sent = 0
        self.task_lost = False
        self._cancel = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def cancel_requested(self) -> bool:
        """Whether a heartbeat's answer said SWF wants the task canceled."""
        return self._cancel.is_set()

    def start(self) -> Heartbeat:
        """Start the heartbeat thread (does nothing if the interval is 0)."""
        if self.interval > 0 and self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"floto-heartbeat {self.label}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread and wait for it (an in-flight heartbeat finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Heartbeat:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if not self._beat():
                return

    def _beat(self) -> bool:
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
