"""Long polls: an idle poll waits out --poll-wait; a task that arrives is handed out at once.

The two polls that wait out their whole poll wait are begun together by one module fixture,
so that they share one poll-wait window instead of taking one each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from engine_env import POLL_WAIT, Env, schedule


def _timed(poll) -> tuple[dict, float]:
    began = time.monotonic()
    return poll(), time.monotonic() - began


@pytest.fixture(scope="module")
def idle_polls(swf: Any) -> Iterator[dict[str, Future]]:
    """``idle``: a poll of a fresh domain's list, with the seconds it took; ``elsewhere``: a
    poll of another list than the one a run is started on meanwhile (each in a domain of its
    own)."""
    quiet, busy = Env(swf), Env(swf)
    with ThreadPoolExecutor(2) as pool:
        polls = {
            "idle": pool.submit(_timed, quiet.decision),
            "elsewhere": pool.submit(busy.decision, task_list="elsewhere"),
        }
        time.sleep(0.3)  # both polls are now waiting in the engine
        busy.start()  # a decision task on busy's own list
        yield polls


def test_idle_poll_waits_and_returns_no_token(idle_polls: dict[str, Future]) -> None:
    task, waited = idle_polls["idle"].result(timeout=30)
    assert not task.get("taskToken")
    assert POLL_WAIT - 0.1 <= waited <= POLL_WAIT + 1


def _poll_in_background(poll) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run() -> None:
        out["task"] = poll()
        out["at"] = time.monotonic()

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)  # the poll is now waiting in the engine
    return thread, out


# How fast the hand-out is (a few ms) is measured in bench/bench_local_engine.py; here: the
# waiting poll is woken by the task's arrival, long before its poll wait (3 s) would end.
def test_decision_task_arriving_during_a_poll_is_handed_out_at_once(env: Env) -> None:
    thread, out = _poll_in_background(env.decision)
    sent = time.monotonic()
    env.start()
    thread.join()
    assert out["task"].get("taskToken")
    assert out["at"] - sent < 0.5  # the start call included


def test_activity_task_arriving_during_a_poll_is_handed_out_at_once(env: Env) -> None:
    env.start()
    decision = env.decision()
    thread, out = _poll_in_background(env.activity)
    sent = time.monotonic()
    env.respond(decision, schedule("a"))
    thread.join()
    assert out["task"]["activityId"] == "a"
    assert out["at"] - sent < 0.5


def test_poll_on_another_task_list_is_not_woken(idle_polls: dict[str, Future]) -> None:
    task = idle_polls["elsewhere"].result(timeout=30)
    assert not task.get("taskToken")
