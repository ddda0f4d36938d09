"""Planning retries, failures, completion, repeat, refused closes and cancellation."""

import json

import pytest
from history.histories import H

from floto import wire
from floto.decider._planner import PlanConfig, plan
from floto.errors import SpecError
from floto.history import state_from_events
from floto.ids import to_swf_id
from floto.specs.retry_strategy import DelayedRetry, InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer

CONFIG = PlanConfig(default_activity_task_list="workers")


def attrs(decision):
    kind = decision["decisionType"]
    return decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]


def failed_once(task):
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(task.id_), "RuntimeError: first")
    h.decision_started()
    return h


def test_instant_retry_schedules_the_task_again_at_once():
    a = ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=1))
    result = plan(state_from_events(failed_once(a).events, [a]), CONFIG)
    assert [d["decisionType"] for d in result.decisions] == ["ScheduleActivityTask"]
    assert attrs(result.decisions[0])["activityId"] == to_swf_id(a.id_)


def test_instant_retry_of_n_means_n_plus_one_attempts():
    a = ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=2))
    h = H()
    h.start()
    for attempt in range(3):
        h.decision()
        h.failed(h.scheduled(a.id_), f"failure {attempt + 1}")
        result = plan(state_from_events(h.events, [a]), CONFIG)
        kinds = [d["decisionType"] for d in result.decisions]
        assert kinds == (["ScheduleActivityTask"] if attempt < 2 else ["FailWorkflowExecution"])
    assert attrs(result.decisions[0])["reason"] == f"task {a.id_} failed: failure 3"
    assert json.loads(attrs(result.decisions[0])["details"]) == {a.id_: "failure 3"}


def test_delayed_retry_starts_a_retry_timer_then_schedules_when_it_fires():
    strategy = DelayedRetry(retries=3, initial_delay_in_seconds=4, backoff_factor=2)
    a = ActivityTask(name="a", version="1", retry_strategy=strategy)
    h = failed_once(a)
    (timer,) = plan(state_from_events(h.events, [a]), CONFIG).decisions
    timer_attrs = attrs(timer)
    assert timer_attrs["timerId"] == wire.retry_timer_id(a.id_, 1)
    assert timer_attrs["startToFireTimeout"] == "4"
    assert json.loads(timer_attrs["control"]) == {"retry": a.id_}
    started = h.timer(timer_attrs["timerId"], 4, timer_attrs["control"])
    assert plan(state_from_events(h.events, [a]), CONFIG).decisions == []
    h.fired(started, timer_attrs["timerId"])
    (again,) = plan(state_from_events(h.events, [a]), CONFIG).decisions
    assert again["decisionType"] == "ScheduleActivityTask"


def test_a_throttled_task_waits_a_few_seconds_without_using_a_retry():
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start()
    h.decision()
    h.add("ScheduleActivityTaskFailed", activityId=to_swf_id(a.id_),
          cause="OPEN_ACTIVITIES_LIMIT_EXCEEDED")  # fmt: skip
    (timer,) = plan(state_from_events(h.events, [a]), CONFIG).decisions
    assert attrs(timer)["startToFireTimeout"] == str(CONFIG.throttle_delay)


def test_failures_without_strategy_fail_the_run_naming_every_failed_task():
    a = ActivityTask(name="a", version="1", input=1)
    b = ActivityTask(name="a", version="1", input=2)
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_), "first")
    h.timed_out(h.scheduled(b.id_))
    (fail,) = plan(state_from_events(h.events, [a, b]), CONFIG).decisions
    assert fail["decisionType"] == "FailWorkflowExecution"
    assert attrs(fail)["reason"] == f"2 tasks failed: {', '.join(sorted([a.id_, b.id_]))}"
    assert json.loads(attrs(fail)["details"]) == {
        a.id_: "first",
        b.id_: "timed out (START_TO_CLOSE)",
    }


def test_a_generator_problem_fails_the_run_with_a_reason_that_names_it():
    g = Generator(name="g", version="1")
    h = H()
    h.start()
    h.decision()
    h.completed(h.scheduled(g.id_, "g"), [{"type": "floto.specs.task.ActivityTask"}])
    (fail,) = plan(state_from_events(h.events, [g]), CONFIG).decisions
    assert attrs(fail)["reason"].startswith(f"task {g.id_} failed: generator returned bad tasks")
    assert len(attrs(fail)["reason"]) <= 256


def test_completion_returns_the_results_of_the_sinks_only():
    a = ActivityTask(name="a", version="1")
    b = ActivityTask(name="b", version="1", requires=[a])
    c = ActivityTask(name="c", version="1")
    t = Timer(id_="t", delay_in_seconds=1)
    n = ActivityTask(name="n", version="1")
    h = H()
    h.start()
    h.decision()
    h.run(a.id_, "intermediate")
    h.run(b.id_, False)
    h.run(c.id_, {})
    h.fired(h.timer("t"), "t")
    h.run(n.id_)
    (complete,) = plan(state_from_events(h.events, [a, b, c, t, n]), CONFIG).decisions
    assert complete["decisionType"] == "CompleteWorkflowExecution"
    assert json.loads(attrs(complete)["result"]) == {b.id_: False, c.id_: {}}


def test_repeat_records_the_result_and_continues_as_new_with_the_same_settings():
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start(raw='{"b": 1,  "a": 0}', task_list="my_deciders")
    h.decision()
    h.run(a.id_, 0)
    result = plan(state_from_events(h.events, [a]), PlanConfig(repeat_workflow=True))
    marker, again = result.decisions
    assert attrs(marker) == {"markerName": wire.RESULT_MARKER, "details": f'{{"{a.id_}":0}}'}
    assert again["decisionType"] == "ContinueAsNewWorkflowExecution"
    assert attrs(again) == {
        "input": '{"b": 1,  "a": 0}',
        "taskList": {"name": "my_deciders"},
        "workflowTypeVersion": "1",
        "executionStartToCloseTimeout": "300",
        "taskStartToCloseTimeout": "5",
        "childPolicy": "TERMINATE",
    }
    assert result.closing == "ContinueAsNewWorkflowExecution"


def test_an_unhandled_close_is_decided_again_and_another_refusal_fails_the_run():
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start()
    h.decision()
    h.run(a.id_, 1)
    h.decision()
    h.add("CompleteWorkflowExecutionFailed", cause="UNHANDLED_DECISION")
    (again,) = plan(state_from_events(h.events, [a]), CONFIG).decisions
    assert again["decisionType"] == "CompleteWorkflowExecution"
    h.decision()
    h.add("CompleteWorkflowExecutionFailed", cause="OPERATION_NOT_PERMITTED")
    (fail,) = plan(state_from_events(h.events, [a]), CONFIG).decisions
    assert attrs(fail)["reason"] == (
        "SWF refused CompleteWorkflowExecution: OPERATION_NOT_PERMITTED"
    )
    h.decision()
    h.add("FailWorkflowExecutionFailed", cause="OPERATION_NOT_PERMITTED")
    assert plan(state_from_events(h.events, [a]), CONFIG).decisions == []


def test_a_cancel_request_cancels_the_run():
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start()
    h.decision()
    h.scheduled(a.id_)
    h.add("WorkflowExecutionCancelRequested")
    request, cancel = plan(state_from_events(h.events, [a]), CONFIG).decisions
    assert request["decisionType"] == "RequestCancelActivityTask"  # the worker hears of it
    assert attrs(request)["activityId"] == to_swf_id(a.id_)
    assert cancel["decisionType"] == "CancelWorkflowExecution"


def test_a_closed_run_needs_no_decision():
    h = H()
    h.start()
    h.decision()
    h.add("WorkflowExecutionTerminated")
    assert (
        plan(state_from_events(h.events, [ActivityTask(name="a", version="1")]), CONFIG).decisions
        == []
    )


def test_a_retry_delay_beyond_swfs_timer_limit_is_refused_and_the_longest_one_is_sent():
    with pytest.raises(SpecError, match="from 0 to 99,999,999"):
        DelayedRetry(retries=1, initial_delay_in_seconds=10**12, max_delay_in_seconds=10**12)
    strategy = DelayedRetry(retries=1, initial_delay_in_seconds=99_999_999,
                            max_delay_in_seconds=99_999_999)  # fmt: skip
    a = ActivityTask(name="a", version="1", retry_strategy=strategy)
    (timer,) = plan(state_from_events(failed_once(a).events, [a]), CONFIG).decisions
    assert attrs(timer)["startToFireTimeout"] == "99999999"


def _refused(task, cause):
    """The history of a run whose first attempt at ``task`` SWF refused with ``cause``."""
    h = H()
    h.start()
    h.decision()
    if isinstance(task, Timer):
        h.add("StartTimerFailed", timerId=to_swf_id(task.id_), cause=cause)
    elif isinstance(task, ChildWorkflow):
        h.add("StartChildWorkflowExecutionFailed", cause=cause, initiatedEventId=0,
              workflowId=wire.child_workflow_id("wf", task.id_),
              workflowType={"name": "child", "version": "1"},
              control=wire.control(task=task.id_))  # fmt: skip
    else:
        h.add("ScheduleActivityTaskFailed", activityId=to_swf_id(task.id_), cause=cause)
    return h


@pytest.mark.parametrize(
    ("task", "cause", "again"),
    [
        (ActivityTask(name="a", version="1", retry_strategy=InstantRetry(retries=0)),
         "ACTIVITY_CREATION_RATE_EXCEEDED", "ScheduleActivityTask"),
        (ActivityTask(name="a", version="1"), "OPEN_ACTIVITIES_LIMIT_EXCEEDED",
         "ScheduleActivityTask"),
        (Timer(id_="t", delay_in_seconds=30), "TIMER_CREATION_RATE_EXCEEDED", "StartTimer"),
        (Timer(id_="t", delay_in_seconds=30), "OPEN_TIMERS_LIMIT_EXCEEDED", "StartTimer"),
        (ChildWorkflow(workflow_type_name="child", workflow_type_version="1"),
         "CHILD_CREATION_RATE_EXCEEDED", "StartChildWorkflowExecution"),
    ],
)  # fmt: skip
def test_a_decision_refused_for_a_rate_or_open_limit_is_made_again_after_a_back_off(
    task, cause, again
):
    h = _refused(task, cause)
    (backoff,) = plan(state_from_events(h.events, [task]), CONFIG).decisions
    assert backoff["decisionType"] == "StartTimer"  # not FailWorkflowExecution
    timer_id = attrs(backoff)["timerId"]
    assert wire.is_backoff_timer(timer_id)  # the run's back-off, not a retry of the task
    assert attrs(backoff)["startToFireTimeout"] == str(CONFIG.throttle_delay)
    h.decision()
    started = h.timer(timer_id, CONFIG.throttle_delay)
    h.decision_started()
    assert plan(state_from_events(h.events, [task]), CONFIG).decisions == []  # waits
    h.decision()
    h.fired(started, timer_id)
    h.decision_started()
    (decision,) = plan(state_from_events(h.events, [task]), CONFIG).decisions
    assert decision["decisionType"] == again
    if again == "StartTimer":
        assert attrs(decision)["timerId"] == to_swf_id(task.id_)
        assert attrs(decision)["startToFireTimeout"] == "30"


def test_a_back_off_timer_refused_for_the_timer_rate_is_started_again():
    task = ActivityTask(name="a", version="1")
    h = _refused(task, "ACTIVITY_CREATION_RATE_EXCEEDED")
    h.decision()
    h.add("StartTimerFailed", timerId=wire.backoff_timer_id(3),
          cause="TIMER_CREATION_RATE_EXCEEDED")  # fmt: skip
    h.decision_started()
    (backoff,) = plan(state_from_events(h.events, [task]), CONFIG, started_event_id=9).decisions
    assert attrs(backoff)["timerId"] == wire.backoff_timer_id(9)


def test_many_refused_tasks_wait_for_one_back_off_timer_and_are_sent_when_it_fires():
    tasks = [ActivityTask(name="a", version="1", input=n) for n in range(50)]
    h = H()
    h.start()
    h.decision()
    for task in tasks:
        h.add("ScheduleActivityTaskFailed", activityId=to_swf_id(task.id_),
              cause="ACTIVITY_CREATION_RATE_EXCEEDED")  # fmt: skip
    h.decision_started()
    (backoff,) = plan(state_from_events(h.events, tasks), CONFIG, started_event_id=7).decisions
    assert attrs(backoff)["timerId"] == wire.backoff_timer_id(7)
    h.decision()
    started = h.timer(wire.backoff_timer_id(7), CONFIG.throttle_delay)
    h.fired(started, wire.backoff_timer_id(7))
    h.decision_started()
    again = plan(state_from_events(h.events, tasks), CONFIG).decisions
    assert [d["decisionType"] for d in again] == ["ScheduleActivityTask"] * 50
    state = state_from_events(h.events, tasks)
    assert not state.index.throttled and state.open_timer_count == 0
