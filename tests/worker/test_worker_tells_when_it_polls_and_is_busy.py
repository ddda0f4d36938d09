"""A worker calls its ``before_poll`` listeners before each poll and is ``busy`` exactly while
it handles a task: what a launcher waits on and what a stopping process asks (no patching)."""

from __future__ import annotations

from scheduling import scheduler_fixture, swf_fixture  # noqa: F401  (pytest fixtures)

from floto.worker import activity


def test_listeners_run_before_each_poll_and_busy_is_true_only_in_the_task(scheduler):
    worker = scheduler.worker()
    seen_in_task = []

    @activity("busyProbe", "1", registry=scheduler.registry)
    def busy_probe():
        seen_in_task.append(worker.busy)
        return "done"

    scheduler.activity_type("busyProbe")
    run = scheduler.schedule("busyProbe")
    polls_before = []
    worker.before_poll.append(lambda: polls_before.append(worker.busy))
    assert not worker.busy
    worker.run(max_tasks=1)
    assert seen_in_task == [True]
    assert polls_before and not any(polls_before)  # called before polling, never mid-task
    assert not worker.busy
    assert scheduler.outcome(run)[1]["result"] == '"done"'
