"""A failure blocks what depends on it; a closed run leaves no task open or pending."""

from floto.history import AttemptOutcome, TaskStatus, state_from_events
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Timer
from history.histories import H


def diamond():
    """a -> b -> d, a -> c; e alone."""
    a = ActivityTask(name="a", version="1")
    b = ActivityTask(name="b", version="1", requires=[a])
    c = ActivityTask(name="c", version="1", requires=[a])
    d = ActivityTask(name="d", version="1", requires=[b])
    e = ActivityTask(name="e", version="1")
    return a, b, c, d, e


def test_a_failure_blocks_every_task_downstream_and_nothing_else():
    a, b, c, d, e = tasks = diamond()
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_), "ValueError: bad input")
    h.scheduled(e.id_)
    state = state_from_events(h.events, tasks)
    assert state[a.id_].status is TaskStatus.FAILED
    for task in (b, c, d):
        assert state[task.id_].status is TaskStatus.BLOCKED
        assert state[task.id_].blocked_by == a.id_
    assert state[e.id_].status is TaskStatus.SCHEDULED
    assert state.blocked_tasks == {b.id_: a.id_, c.id_: a.id_, d.id_: a.id_}
    assert state.failures() == {a.id_: "ValueError: bad input"}
    assert not state.ready and not state.is_settled  # e is still open


def test_a_failure_with_a_retry_left_blocks_nothing():
    a = ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=1))
    b = ActivityTask(name="b", version="1", requires=[a])
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_))
    state = state_from_events(h.events, [a, b])
    assert state[a.id_].status is TaskStatus.WAITING_TO_RETRY
    assert state[b.id_].status is TaskStatus.PENDING


def test_the_run_is_settled_once_every_independent_task_closed():
    a, _b, _c, _d, e = tasks = diamond()
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_))
    h.completed(h.scheduled(e.id_), 1)
    state = state_from_events(h.events, tasks)
    assert state.is_settled
    assert not state.all_completed


def test_a_failed_run_closes_its_open_and_pending_tasks():
    a, b, c, d, e = tasks = diamond()
    f = ActivityTask(name="f", version="1")
    g = ActivityTask(name="g", version="1", requires=[f])
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_))
    h.started(h.scheduled(e.id_))
    h.scheduled(f.id_)
    h.add("WorkflowExecutionFailed", reason="task a failed")
    state = state_from_events(h.events, [*tasks, f, g])
    statuses = {task.task_id: task.status for task in state.tasks.values()}
    assert statuses == {
        a.id_: TaskStatus.FAILED,
        b.id_: TaskStatus.BLOCKED,
        c.id_: TaskStatus.BLOCKED,
        d.id_: TaskStatus.BLOCKED,
        e.id_: TaskStatus.CANCELED,  # running when the run closed
        f.id_: TaskStatus.CANCELED,  # queued
        g.id_: TaskStatus.NOT_RUN,
    }
    attempt = state[e.id_].last_attempt
    assert attempt.outcome is AttemptOutcome.CANCELED and attempt.closed_at == state.closed_at
    assert state.failures() == {a.id_: "boom"}  # closing with the run is no failure
    progress = state.progress()
    assert (progress.running, progress.queued, progress.failed) == (0, 0, 1)
    assert (progress.blocked, progress.canceled, progress.not_run) == (3, 2, 1)


def test_a_timed_out_run_times_its_open_tasks_out():
    a = ActivityTask(name="a", version="1")
    t = Timer(id_="t", delay_in_seconds=60)
    h = H()
    h.start()
    h.decision()
    h.started(h.scheduled(a.id_))
    h.timer("t", 60)
    h.add("WorkflowExecutionTimedOut", timeoutType="START_TO_CLOSE")
    state = state_from_events(h.events, [a, t])
    assert state[a.id_].status is TaskStatus.TIMED_OUT
    assert state[a.id_].error == "the run timed out"
    assert state["t"].status is TaskStatus.TIMED_OUT


def test_progress_counts_queued_and_running_apart_and_adds_up():
    a, _b, _c, _d, e = tasks = diamond()
    h = H()
    h.start()
    h.decision()
    h.started(h.scheduled(a.id_))
    h.scheduled(e.id_)
    progress = state_from_events(h.events, tasks).progress()
    assert (progress.running, progress.queued, progress.pending) == (1, 1, 3)
    parts = progress._replace(total=0, reused=0)
    assert sum(parts) == progress.total


def test_canceled_activities_and_timers_are_not_failures():
    a = ActivityTask(name="a", version="1")
    t = Timer(id_="t", delay_in_seconds=60)
    h = H()
    h.start()
    h.decision()
    scheduled = h.scheduled(a.id_)
    started = h.timer("t", 60)
    h.add(
        "ActivityTaskCancelRequested",
        activityId=h.events[scheduled - 1]["activityTaskScheduledEventAttributes"]["activityId"],
    )
    h.add("ActivityTaskCanceled", scheduledEventId=scheduled)
    h.add("TimerCanceled", timerId="t", startedEventId=started)
    state = state_from_events(h.events, [a, t])
    assert state[a.id_].status is TaskStatus.CANCELED
    assert state["t"].status is TaskStatus.CANCELED
    assert state.failures() == {}
    assert state.is_settled
    assert state.open_timer_ids() == []


def test_a_generated_task_that_requires_a_failed_one_is_blocked_when_it_appears():
    from floto.specs.task import Generator

    a = ActivityTask(name="a", version="1")
    gen = Generator(name="g", version="1")
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_))
    child = {"type": "floto.specs.task.ActivityTask", "id_": "x", "name": "x", "version": "1",
             "requires": [a.id_]}  # fmt: skip
    h.completed(h.scheduled(gen.id_), [child])
    state = state_from_events(h.events, [a, gen])
    assert state["x"].status is TaskStatus.BLOCKED and state["x"].blocked_by == a.id_
