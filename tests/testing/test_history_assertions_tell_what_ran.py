"""floto.testing's history helpers answer what ran, how often and in which order, from an
ExecutionState, and fail with a message naming what ran instead."""

from __future__ import annotations

import uuid

import pytest
from testing_activities import REGISTRY

from floto.history import Attempt, AttemptOutcome, ExecutionState, TaskState
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask
from floto.testing import (
    assert_not_ran,
    assert_ran,
    assert_ran_in_order,
    attempt_counts,
    task_id_of,
    tasks_run,
)


@pytest.mark.floto_env(registry=REGISTRY)
def test_a_real_run_is_described_by_its_attempts_and_order(floto_env):
    key = uuid.uuid4().hex
    a = ActivityTask("add", "1", id_="a", input={"n": 1})
    flaky = ActivityTask("fails_until", "1", id_="flaky", input={"key": key, "times": 2},
                         requires=[a], retry_strategy=InstantRetry(retries=3))  # fmt: skip
    last = ActivityTask("add", "1", id_="last", requires=[flaky])
    alone = ActivityTask("add", "1", id_="alone", input={"n": 5})
    floto_env.run([a, flaky, last, alone])
    state = floto_env.state()
    assert tasks_run(state)[-1] == "last"
    assert set(tasks_run(state)[:2]) == {"a", "alone"}  # scheduled in the first decision
    assert attempt_counts(state) == {**dict.fromkeys(tasks_run(state)[:2], 1), "flaky": 3,
                                     "last": 1}  # fmt: skip
    assert_ran(state, flaky, times=3)
    assert_ran(state, "last")
    assert_ran_in_order(state, a, flaky, last)
    assert_ran_in_order(state, "alone", "last")
    with pytest.raises(AssertionError, match=r"'flaky' ran 3 time\(s\), not 1; what ran"):
        assert_ran(state, flaky, times=1)
    with pytest.raises(AssertionError, match=r"'last' closed at event \d+, after task 'a'"):
        assert_ran_in_order(state, last, a)
    with pytest.raises(AssertionError, match=r"expected not to run, but ran: \['a'\]"):
        assert_not_ran(state, "nobody", a)


def _task(task_id: str, *attempts: tuple[int, int | None]) -> TaskState:
    return TaskState(task_id, "activity", attempts=[
        Attempt(number, scheduled, closed_event_id=closed,
                outcome=AttemptOutcome.OPEN if closed is None else AttemptOutcome.COMPLETED)
        for number, (scheduled, closed) in enumerate(attempts, 1)
    ])  # fmt: skip


def test_order_is_by_event_ids_and_an_open_attempt_is_not_before_anything():
    state = ExecutionState(tasks={
        "x": _task("x", (5, 9)), "y": _task("y", (10, 12), (14, None)), "z": _task("z"),
        "w": _task("w", (3, 11)),
    })  # fmt: skip
    assert tasks_run(state) == ["w", "x", "y"]
    assert attempt_counts(state) == {"w": 1, "x": 1, "y": 2}
    assert_ran_in_order(state, "x", "y")
    with pytest.raises(AssertionError, match="'w' closed at event 11, after task 'y'"):
        assert_ran_in_order(state, "w", "y")  # overlapping: w closed after y began
    with pytest.raises(AssertionError, match="'y' is still open"):
        assert_ran_in_order(state, "y", "x")
    with pytest.raises(AssertionError, match=r"'z' did not run; what ran \(attempts\): w \(1\), x"):
        assert_ran(state, "z")
    assert_not_ran(state, "z", "nobody")
    with pytest.raises(AssertionError, match="no task ran"):
        assert_ran(ExecutionState(), "a")


def test_tasks_are_named_by_id_task_or_task_state():
    task = ActivityTask("add", "1", id_="named")
    assert task_id_of(task) == task_id_of("named") == task_id_of(TaskState("named", "activity"))
    with pytest.raises(TypeError, match="name a task by its id"):
        task_id_of(3)
