"""Long polls: an idle poll waits out --poll-wait; a task that arrives is handed out at once."""

from __future__ import annotations

import threading
import time

from engine_env import POLL_WAIT, Env, schedule


def test_idle_poll_waits_and_returns_no_token(env: Env) -> None:
    began = time.monotonic()
    task = env.decision()
    waited = time.monotonic() - began
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


def test_poll_on_another_task_list_is_not_woken(env: Env) -> None:
    thread, out = _poll_in_background(lambda: env.decision(task_list="elsewhere"))
    env.start()
    thread.join()
    assert not out["task"].get("taskToken")
