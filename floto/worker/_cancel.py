"""Whether the activity task in hand was asked to stop: ``floto.cancel_requested()``.

The worker sets a context variable to the task's :class:`Heartbeat` while the function runs;
the heartbeat thread learns of a cancellation from a heartbeat's answer (``cancelRequested``)
or from SWF no longer knowing the task (its run closed: failed fast, canceled, terminated, or
timed out). So a function hears of it within one heartbeat interval, and only if the worker
sends heartbeats (``heartbeat_in_seconds`` > 0).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_current: ContextVar[Any] = ContextVar("floto_activity_heartbeat", default=None)


def cancel_requested() -> bool:
    """Whether the activity task being run (in this thread) should stop: its cancellation was
    requested, or its run closed. False outside an activity, and until a heartbeat says so.

    A long activity can check it between steps and return early; the worker then reports the
    task canceled (docs/worker.md)::

        @floto.activity(name="crunch", version="1")
        def crunch(context):
            for chunk in chunks(context):
                if floto.cancel_requested():
                    return None  # reported as canceled, not completed
                work_on(chunk)
            return "done"
    """
    beat = _current.get()
    return beat is not None and beat.should_stop


def running_with(beat: Any) -> Any:
    """Make ``beat`` the heartbeat :func:`cancel_requested` reads; returns the token to reset."""
    return _current.set(beat)


def reset(token: Any) -> None:
    """Undo :func:`running_with`."""
    _current.reset(token)
