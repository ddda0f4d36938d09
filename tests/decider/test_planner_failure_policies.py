"""The failure policies: "continue" runs what does not depend on a failure and then fails
with every failure listed; "fail_fast" fails at once and cancels the run's open work."""

import dataclasses
import json

from history.histories import H

from floto import wire
from floto.decider._failing import failure_details, failure_reason
from floto.decider._planner import PlanConfig, plan
from floto.history import state_from_events
from floto.ids import to_swf_id
from floto.limits import MAX_PAYLOAD_CHARS, MAX_REASON_CHARS
from floto.specs.task import ActivityTask

CONTINUE = PlanConfig(default_activity_task_list="workers")
FAIL_FAST = dataclasses.replace(CONTINUE, failure_policy="fail_fast")


def attrs(decision):
    kind = decision["decisionType"]
    return decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]


def kinds(result):
    return [decision["decisionType"] for decision in result.decisions]


def two_branches():
    """a -> b, and c -> d: independent branches."""
    a = ActivityTask(name="a", version="1")
    b = ActivityTask(name="b", version="1", requires=[a])
    c = ActivityTask(name="c", version="1")
    d = ActivityTask(name="d", version="1", requires=[c])
    return a, b, c, d


def test_the_default_policy_is_continue():
    assert PlanConfig().failure_policy == "continue"


def test_continue_schedules_the_independent_branch_after_a_failure():
    a, _b, c, d = tasks = two_branches()
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_), "ValueError: a")
    h.completed(h.scheduled(c.id_), 1)
    h.decision_started()
    result = plan(state_from_events(h.events, tasks), CONTINUE)
    assert kinds(result) == ["ScheduleActivityTask"]
    assert attrs(result.decisions[0])["activityId"] == to_swf_id(d.id_)


def test_continue_waits_while_an_independent_task_is_open():
    a, _b, c, _d = tasks = two_branches()
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_), "ValueError: a")
    h.started(h.scheduled(c.id_))
    h.decision_started()
    assert plan(state_from_events(h.events, tasks), CONTINUE).decisions == []


def test_continue_fails_once_nothing_can_run_listing_every_failure():
    a, _b, c, _d = tasks = two_branches()
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_), "ValueError: a")
    h.failed(h.scheduled(c.id_), "KeyError: c")
    h.decision_started()
    result = plan(state_from_events(h.events, tasks), CONTINUE)
    assert kinds(result) == ["FailWorkflowExecution"]
    assert result.closing == "FailWorkflowExecution"
    fail = attrs(result.decisions[0])
    assert fail["reason"] == f"2 tasks failed (2 blocked): {a.id_}, {c.id_}"
    assert json.loads(fail["details"]) == {a.id_: "ValueError: a", c.id_: "KeyError: c"}


def test_fail_fast_fails_at_the_first_failure_and_cancels_open_work():
    a, _b, c, _d = tasks = two_branches()
    e = ActivityTask(name="e", version="1")
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_), "ValueError: a")
    h.started(h.scheduled(c.id_))
    h.scheduled(e.id_)
    h.timer(wire.wake_timer_id(3), 0)
    h.decision_started()
    result = plan(state_from_events(h.events, [*tasks, e]), FAIL_FAST)
    assert kinds(result) == [
        "RequestCancelActivityTask",
        "RequestCancelActivityTask",
        "CancelTimer",
        "FailWorkflowExecution",
    ]
    canceled = {attrs(decision)["activityId"] for decision in result.decisions[:2]}
    assert canceled == {to_swf_id(c.id_), to_swf_id(e.id_)}
    assert attrs(result.decisions[2])["timerId"] == wire.wake_timer_id(3)
    assert attrs(result.decisions[3])["reason"] == f"task {a.id_} failed (1 blocked): ValueError: a"


def test_fail_fast_cancels_in_several_responses_when_one_cannot_hold_them():
    tasks = [ActivityTask(name=f"t{i}", version="1") for i in range(150)]
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(tasks[0].id_), "boom")
    for task in tasks[1:]:
        h.scheduled(task.id_)
    started = h.decision_started()
    first = plan(state_from_events(h.events, tasks), FAIL_FAST, started_event_id=started)
    assert first.closing is None
    assert kinds(first).count("RequestCancelActivityTask") == 99
    assert kinds(first)[-1] == "StartTimer"  # fires at once: the next decision task
    completed = h.decision()
    for decision in first.decisions[:-1]:
        h.add("ActivityTaskCancelRequested", activityId=attrs(decision)["activityId"],
              decisionTaskCompletedEventId=completed)  # fmt: skip
    timer = h.timer(attrs(first.decisions[-1])["timerId"], 0)
    h.fired(timer, attrs(first.decisions[-1])["timerId"])
    h.decision_started()
    second = plan(state_from_events(h.events, tasks), FAIL_FAST)
    assert kinds(second).count("RequestCancelActivityTask") == 50
    assert kinds(second)[-1] == "FailWorkflowExecution"


def test_a_problem_of_the_run_fails_it_at_once_under_continue():
    a, _b, c, _d = tasks = two_branches()
    h = H()
    h.start()
    h.decision()
    h.failed(h.scheduled(a.id_), "x")
    h.scheduled(c.id_)
    h.add("RecordMarkerFailed", markerName="m", cause="OPERATION_NOT_PERMITTED")
    h.decision_started()
    result = plan(state_from_events(h.events, tasks), CONTINUE)
    assert kinds(result) == ["RequestCancelActivityTask", "FailWorkflowExecution"]


def test_the_reason_fits_swf_and_the_details_list_every_failure_or_are_stored():
    failures = {
        f"ingest_file-{i:03d}": f"ValueError: bad line {i} " + "x" * 200 for i in range(300)
    }
    reason = failure_reason(failures, blocked=1)
    assert len(reason) <= MAX_REASON_CHARS and reason.startswith("300 tasks failed (1 blocked)")
    stored = {}

    def fit(text, what):
        stored[what] = text
        return '{"floto.payload": "s3://b/k"}'

    config = dataclasses.replace(CONTINUE, fit=fit)
    huge = {key: value * 20 for key, value in failures.items()}
    assert failure_details(huge, config) == '{"floto.payload": "s3://b/k"}'
    assert json.loads(stored["failure details"]) == huge  # every failure, whole
    cut = failure_details(huge)  # no store: every task still listed, errors cut
    assert len(cut) <= MAX_PAYLOAD_CHARS and set(json.loads(cut)) == set(huge)
