"""ExecutionState from hand-made histories: statuses, attempts, results, errors, times."""

import json

import pytest

from floto.history import (
    AttemptOutcome,
    HistoryGapError,
    TaskStatus,
    WorkflowStatus,
    fold_events,
    new_state,
    state_from_events,
)
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow, Timer
from history.histories import H


def test_each_task_gets_its_status_as_its_events_arrive():
    a = ActivityTask(name="a", version="1")
    b = ActivityTask(name="a", version="1", requires=[a], input=2)
    c = ActivityTask(name="a", version="1", requires=[a], input=3)
    h = H()
    h.start({"x": 1})
    h.decision()
    sa = h.scheduled(a.id_)
    state = state_from_events(h.events, [a, b, c])
    assert state.tasks[a.id_].status is TaskStatus.SCHEDULED
    assert state.tasks[b.id_].status is TaskStatus.PENDING
    h.started(sa)
    state = state_from_events(h.events, [a, b, c])
    assert state.tasks[a.id_].status is TaskStatus.RUNNING
    assert state.tasks[a.id_].attempts[0].identity == "w1"
    h.completed(sa, {"rows": 3})
    h.decision()
    sb = h.scheduled(b.id_)
    h.failed(sb, "ValueError: no", "Traceback ...")
    state = state_from_events(h.events, [a, b, c])
    assert state.workflow_input == {"x": 1}
    assert state.tasks[a.id_].status is TaskStatus.COMPLETED
    assert state.tasks[a.id_].result == {"rows": 3}
    assert state.tasks[b.id_].status is TaskStatus.FAILED
    assert state.tasks[b.id_].error == "ValueError: no"
    assert state.tasks[b.id_].attempts[0].details == "Traceback ..."
    assert state.tasks[c.id_].status is TaskStatus.PENDING
    assert list(state.ready) == [c.id_]
    assert state.failed_tasks == [b.id_]
    assert state.workflow_type == ("wf", "1")
    assert state.execution_config["taskStartToCloseTimeout"] == "5"


@pytest.mark.parametrize("value", [0, "", [], {}, False, "42", "true"])
def test_falsy_and_string_results_are_kept_as_they_were_returned(value):
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start()
    h.decision()
    h.run(a.id_, value)
    ts = state_from_events(h.events, [a]).tasks[a.id_]
    assert ts.has_result is True
    assert ts.result == value and type(ts.result) is type(value)


def test_no_result_attribute_means_no_result():
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start()
    h.decision()
    h.run(a.id_)
    ts = state_from_events(h.events, [a]).tasks[a.id_]
    assert ts.status is TaskStatus.COMPLETED
    assert ts.has_result is False and ts.result is None


def test_derivation_uses_event_ids_even_when_every_timestamp_is_equal():
    a = ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=1))
    h = H(same_time=True)
    h.start()
    h.decision()
    first = h.scheduled(a.id_)
    h.failed(first)
    h.decision()
    second = h.scheduled(a.id_)
    h.completed(second, 5)
    ts = state_from_events(h.events, [a]).tasks[a.id_]
    assert ts.status is TaskStatus.COMPLETED and ts.result == 5
    assert [at.outcome for at in ts.attempts] == [AttemptOutcome.FAILED, AttemptOutcome.COMPLETED]
    assert ts.failures == 1 and ts.error == "boom"


def test_timeouts_count_as_failures_and_retries_wait_their_turn():
    a = ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=1))
    h = H()
    h.start()
    h.decision()
    first = h.scheduled(a.id_)
    h.timed_out(first)
    state = state_from_events(h.events, [a])
    ts = state.tasks[a.id_]
    assert ts.status is TaskStatus.WAITING_TO_RETRY
    assert ts.error == "timed out (START_TO_CLOSE)"
    assert list(state.ready) == [a.id_]
    h.decision()
    h.timed_out(h.scheduled(a.id_), "HEARTBEAT")
    state = state_from_events(h.events, [a])
    assert state.tasks[a.id_].status is TaskStatus.TIMED_OUT
    assert state.tasks[a.id_].failures == 2
    assert not state.ready


def test_a_delayed_retry_waits_on_its_timer_then_becomes_due():
    a = ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=2))
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_))
    h.decision()
    timer = h.retry_timer(a.id_, 1, seconds=30)
    state = state_from_events(h.events, [a])
    ts = state.tasks[a.id_]
    assert ts.status is TaskStatus.WAITING_TO_RETRY and ts.retry_timer is not None
    assert (ts.retry_at - h.events[timer - 1]["eventTimestamp"]).total_seconds() == 30
    assert not state.ready
    h.fired(timer, ts.retry_timer)
    state = state_from_events(h.events, [a])
    assert state.tasks[a.id_].retry_due is True and list(state.ready) == [a.id_]


def test_timers_complete_without_a_result():
    t = Timer(id_="wait:1", delay_in_seconds=1)
    h = H()
    h.start()
    h.decision()
    started = h.timer("wait%3A1")
    state = state_from_events(h.events, [t])
    assert state.tasks["wait:1"].status is TaskStatus.SCHEDULED
    h.fired(started, "wait%3A1")
    ts = state_from_events(h.events, [t]).tasks["wait:1"]
    assert ts.status is TaskStatus.COMPLETED and ts.has_result is False


def test_child_workflows_follow_their_initiated_event():
    child = ChildWorkflow(workflow_type_name="child", workflow_type_version="1")
    h = H()
    h.start()
    h.decision()
    initiated = h.child(child.id_)
    h.child_started(initiated, "cw", "run-1")
    state = state_from_events(h.events, [child])
    ts = state.tasks[child.id_]
    assert ts.status is TaskStatus.RUNNING
    assert ts.attempts[0].workflow_execution == {"workflowId": "cw", "runId": "run-1"}
    h.child_closed(initiated, "ChildWorkflowExecutionCompleted", result=json.dumps({"t": 0}))
    ts = state_from_events(h.events, [child]).tasks[child.id_]
    assert ts.status is TaskStatus.COMPLETED and ts.result == {"t": 0}


def test_a_failed_child_carries_its_reason():
    child = ChildWorkflow(workflow_type_name="child", workflow_type_version="1")
    h = H()
    h.start()
    h.decision()
    initiated = h.child(child.id_)
    h.child_closed(
        initiated, "ChildWorkflowExecutionFailed", reason="task x failed", details='{"x": "e"}'
    )
    ts = state_from_events(h.events, [child]).tasks[child.id_]
    assert ts.status is TaskStatus.FAILED
    assert ts.error == "task x failed" and ts.attempts[0].details == {"x": "e"}


def test_tasks_seen_only_in_events_appear():
    h = H()
    h.start()
    h.decision()
    h.run("ghost:1:0123456789", 1, name="ghost")
    h.timer("orphan%2Ftimer")
    state = state_from_events(h.events)
    assert state.tasks["ghost:1:0123456789"].status is TaskStatus.COMPLETED
    assert state.tasks["ghost:1:0123456789"].kind == "activity"
    assert state.tasks["orphan/timer"].kind == "timer"


def test_the_run_closes_with_its_result_or_failure():
    h = H()
    h.start()
    h.decision()
    h.add("WorkflowExecutionFailed", reason="task a failed: boom", details='{"a": "boom"}')
    state = state_from_events(h.events)
    assert state.status is WorkflowStatus.FAILED and state.is_closed
    assert state.failure_reason == "task a failed: boom"
    assert state.failure_details == {"a": "boom"}


def test_folding_in_pieces_gives_the_state_a_full_replay_gives():
    a = ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=1))
    b = ActivityTask(name="a", version="1", requires=[a])
    h = H()
    h.start(0)
    h.decision()
    first = h.scheduled(a.id_)
    h.failed(first)
    h.decision()
    h.completed(h.scheduled(a.id_), [])
    h.decision()
    h.run(b.id_, False)
    whole = state_from_events(h.events, [a, b])
    pieces = new_state([a, b], record_tasks=False)
    for start in range(0, len(h.events), 3):
        fold_events(pieces, h.events[start : start + 3])
    for task_id in (a.id_, b.id_):
        mine, theirs = pieces.tasks[task_id], whole.tasks[task_id]
        assert (mine.status, mine.result, mine.has_result, mine.attempts) == (
            theirs.status, theirs.result, theirs.has_result, theirs.attempts
        )  # fmt: skip
    assert pieces.last_event_id == whole.last_event_id == len(h.events)


def test_a_gap_in_the_events_is_refused():
    h = H()
    h.start()
    h.decision()
    state = new_state()
    with pytest.raises(HistoryGapError, match="expected event 1, got event 2"):
        fold_events(state, h.events[1:])


def test_signals_are_kept_with_their_event_ids():
    h = H()
    h.start()
    event_id = h.signal("startChildWorkflowExecution", {"decider_spec": {}})
    state = state_from_events(h.events)
    assert state.signals == [
        {
            "name": "startChildWorkflowExecution",
            "input": {"decider_spec": {}},
            "event_id": event_id,
            "input_error": None,
        }
    ]
