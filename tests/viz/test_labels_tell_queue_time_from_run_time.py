"""A task's label says how long it ran, not how long it waited for a worker (a 0.10 s label
that was mostly queue time read like run time); the tooltip has both."""

from __future__ import annotations

from viz_states import at, execution, task_state

import floto.viz
from floto.history import Attempt, AttemptOutcome, TaskStatus
from floto.specs.task import ActivityTask


def _label_and_tooltip(attempts, status=TaskStatus.COMPLETED):
    task = ActivityTask("load", "v1", id_="load:v1:0")
    state = execution(task_state(task, status, attempts))
    source = floto.viz.draw([task], state=state, legend=False).source
    return source


def test_a_task_that_waited_long_and_ran_briefly_says_ran():
    queued_long = Attempt(1, 10, scheduled_at=at(0), started_at=at(10), closed_at=at(10.02),
                          outcome=AttemptOutcome.COMPLETED)  # fmt: skip
    source = _label_and_tooltip([queued_long])
    assert "completed · ran 0.02 s" in source
    assert "waited 10 s for a worker, ran 0.02 s" in source
    assert "completed · 10" not in source


def test_a_task_no_worker_picked_up_says_waited():
    never_started = Attempt(1, 10, scheduled_at=at(0), closed_at=at(60),
                            outcome=AttemptOutcome.TIMED_OUT, error="timed out")  # fmt: skip
    source = _label_and_tooltip([never_started], TaskStatus.TIMED_OUT)
    assert "timed out · waited 1 min" in source
