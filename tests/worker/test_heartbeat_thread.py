"""The heartbeat thread's timing, cancellation flag, error handling and clean shutdown.

These use a small in-memory stand-in for Swf's one heartbeat call, to time the thread
precisely; the real engine is exercised in test_heartbeats_keep_tasks_alive_and_carry_...
"""

from __future__ import annotations

import threading
import time

import pytest

from floto.api import NetworkError, UnknownResourceError
from floto.worker._heartbeat import Heartbeat


class Recorder:
    def __init__(self, answers=None):
        self.calls: list[float] = []
        self.answers = list(answers or [])

    def record_activity_task_heartbeat(self, token):
        self.calls.append(time.monotonic())
        answer = self.answers.pop(0) if self.answers else {"cancelRequested": False}
        if isinstance(answer, Exception):
            raise answer
        return answer


_EARLIER: set[threading.Thread] = set()


@pytest.fixture(autouse=True)
def _earlier_threads():
    """The heartbeat threads of workers that other test files of this process left running:
    each test here counts only the ones it starts."""
    _EARLIER.clear()
    _EARLIER.update(t for t in threading.enumerate() if t.name.startswith("floto-heartbeat"))


def heartbeat_threads():
    return [
        t
        for t in threading.enumerate()
        if t.name.startswith("floto-heartbeat") and t not in _EARLIER
    ]


def test_first_heartbeat_comes_after_one_interval():
    swf = Recorder()
    began = time.monotonic()
    with Heartbeat(swf, "tok", 0.3):
        time.sleep(0.2)
    assert swf.calls == []
    with Heartbeat(swf, "tok", 0.1) as beat:
        time.sleep(0.45)
    assert 2 <= beat.sent <= 5
    assert swf.calls[0] - began >= 0.1


def test_zero_interval_sends_nothing_and_starts_no_thread():
    swf = Recorder()
    with Heartbeat(swf, "tok", 0):
        assert heartbeat_threads() == []
        time.sleep(0.1)
    assert swf.calls == []


def test_thread_is_joined_when_the_block_ends():
    with Heartbeat(Recorder(), "tok", 0.05):
        assert len(heartbeat_threads()) == 1
    assert heartbeat_threads() == []


def test_cancel_requested_is_remembered():
    swf = Recorder([{"cancelRequested": True}, {"cancelRequested": False}])
    with Heartbeat(swf, "tok", 0.05) as beat:
        time.sleep(0.2)
    assert beat.cancel_requested


def test_unknown_task_ends_heartbeats_without_raising():
    swf = Recorder([UnknownResourceError("gone", code="UnknownResourceFault")])
    with Heartbeat(swf, "tok", 0.05) as beat:
        time.sleep(0.3)
    assert beat.task_lost and len(swf.calls) == 1


def test_other_errors_are_logged_and_heartbeats_go_on(caplog):
    swf = Recorder([NetworkError("reset", code="NetworkError")])
    with Heartbeat(swf, "tok", 0.05, label="activity a") as beat:
        time.sleep(0.3)
    assert len(swf.calls) >= 3 and beat.sent == len(swf.calls) - 1
    assert "heartbeat for activity a failed" in caplog.text


def test_one_heartbeater_thread_serves_task_after_task():
    from floto.worker._heartbeat import Heartbeater

    swf = Recorder()
    heartbeater = Heartbeater("floto-heartbeat worker")
    seen = set()
    for number in range(20):
        with Heartbeat(swf, f"tok{number}", 0.01, heartbeater=heartbeater):
            time.sleep(0.03)
            seen.update(t.ident for t in heartbeat_threads())
    assert len(seen) == 1  # one thread for all 20 tasks, not one each
    assert len(swf.calls) >= 20
    heartbeater.close()
    assert heartbeat_threads() == []
