"""What an activity prints and logs is captured per attempt, apart for each worker thread,
kept in memory and in the payload store, and its tail ends a failed attempt's details."""

from __future__ import annotations

import logging
import sys
import threading

import floto
import floto.testing
from floto.specs.task import ActivityTask
from floto.wire import split_details
from floto.worker import ActivityRegistry
from floto.worker._logs import HEAD_CHARS, TAIL_CHARS, AttemptLog, read_task_log, task_log

registry = ActivityRegistry()
barrier = threading.Barrier(2, timeout=20)


@floto.activity(name="chatty", version="1", registry=registry)
def chatty(context):
    n = context.input["n"]
    barrier.wait()  # both tasks run at once, in two worker threads of one process
    for line in range(3):
        print(f"task {n} line {line}")
    print(f"task {n} complains", file=sys.stderr)
    logging.getLogger("user.code").warning("task %s logged", n)
    if n == 2:
        raise ValueError("two fails")
    return n


def _log_of(env, state, task):
    (attempt,) = state.tasks[task.id_].attempts
    assert attempt.started_event_id is not None
    key = (env.domain, state.workflow_id, state.run_id, task.id_, attempt.started_event_id)
    return task_log(*key), read_task_log(env.swf, *key), attempt


def test_two_threads_each_keep_their_own_output_and_a_failure_carries_its_tail():
    one, two = (ActivityTask(name="chatty", version="1", input={"n": n}) for n in (1, 2))
    with floto.testing.Environment(registry=registry, workers=2) as env:
        launched = env.launch([one, two])
        state = env.wait(launched)
        kept, stored, _ = _log_of(env, state, one)
        assert kept == stored  # the same text in memory and in the payload store
        assert "task 1 line 0\ntask 1 line 1\ntask 1 line 2\n" in kept
        assert "task 1 complains" in kept and "WARNING user.code: task 1 logged" in kept
        assert "task 2" not in kept
        kept, _, attempt = _log_of(env, state, two)
        assert "task 2 line 2" in kept and "task 1" not in kept
        head, sections = split_details(attempt.details)
        assert head.rstrip().endswith("ValueError: two fails")
        (output,) = [body for name, body in sections.items() if name.startswith("output")]
        assert "task 2 line 0" in output and "task 1" not in output


def test_an_attempt_log_keeps_its_head_and_tail_and_says_what_it_left_out():
    log = AttemptLog()
    for n in range(20_000):
        log.write(f"{n:05d}\n")
    text = log.text()
    assert text.startswith("00000\n") and text.endswith("19999\n")
    assert len(text) < HEAD_CHARS + TAIL_CHARS + 100
    assert f"({120_000 - HEAD_CHARS - TAIL_CHARS:,} characters left out)" in text
