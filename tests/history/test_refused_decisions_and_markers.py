"""Decisions SWF refused become problems (or a retry, for passing limits); markers carry the
spec's tasks and a repeated run's result; a DynamicDecider's tasks come from the input."""

import json

from floto import wire
from floto.history import TaskStatus, fold_events, new_state, state_from_events
from floto.specs.task import ActivityTask, ChildWorkflow
from history.histories import H


def test_a_refused_schedule_fails_the_task_with_swfs_cause():
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start()
    h.decision()
    h.add(
        "ScheduleActivityTaskFailed", activityId="a%3A1%3Ax", cause="ACTIVITY_TYPE_DOES_NOT_EXIST"
    )
    h.add("ScheduleActivityTaskFailed", activityId=_id(a), cause="ACTIVITY_TYPE_DOES_NOT_EXIST")
    state = state_from_events(h.events, [a])
    assert state.tasks[a.id_].status is TaskStatus.FAILED
    assert state.problems[a.id_] == "SWF refused ScheduleActivityTask: ACTIVITY_TYPE_DOES_NOT_EXIST"
    assert state.tasks[a.id_].attempts[0].outcome.value == "rejected"


def _id(task):
    from floto.ids import to_swf_id

    return to_swf_id(task.id_)


def test_a_refusal_for_a_passing_limit_is_retried_after_a_wait():
    a = ActivityTask(name="a", version="1")
    h = H()
    h.start()
    h.decision()
    h.add("ScheduleActivityTaskFailed", activityId=_id(a), cause="ACTIVITY_CREATION_RATE_EXCEEDED")
    state = state_from_events(h.events, [a])
    ts = state.tasks[a.id_]
    assert ts.status is TaskStatus.WAITING_TO_RETRY and ts.throttled
    assert not state.problems and list(state.ready) == [a.id_]


def test_a_refused_child_start_names_the_task_through_its_control():
    child = ChildWorkflow(workflow_type_name="c", workflow_type_version="1")
    h = H()
    h.start()
    h.decision()
    h.add("StartChildWorkflowExecutionFailed", workflowId="whatever", initiatedEventId=0,
          cause="WORKFLOW_TYPE_DOES_NOT_EXIST", control=wire.control(task=child.id_))  # fmt: skip
    state = state_from_events(h.events, [child])
    assert state.problems[child.id_].endswith("WORKFLOW_TYPE_DOES_NOT_EXIST")


def test_refused_closing_decisions_are_recorded_with_their_cause():
    h = H()
    h.start()
    h.decision()
    event_id = h.add("CompleteWorkflowExecutionFailed", cause="UNHANDLED_DECISION")
    state = state_from_events(h.events)
    assert state.close_rejections == [
        {
            "decision": "CompleteWorkflowExecution",
            "cause": "UNHANDLED_DECISION",
            "event_id": event_id,
        }
    ]
    assert not state.is_closed


def test_the_tasks_marker_is_needed_until_it_is_in_the_history():
    a = ActivityTask(name="a", version="1")
    state = new_state([a])
    assert list(state.index.unrecorded) == [a.id_]
    h = H()
    h.start()
    h.decision()
    h.marker(wire.TASKS_MARKER, json.dumps([a.to_dict()]))
    fold_events(state, h.events)
    assert not state.index.unrecorded


def test_a_repeated_runs_result_marker_is_its_result():
    h = H()
    h.start()
    h.decision()
    h.marker(wire.RESULT_MARKER, '{"a": 0}')
    h.add("WorkflowExecutionContinuedAsNew", newExecutionRunId="next")
    state = state_from_events(h.events)
    assert state.result == {"a": 0}
    assert state.status.value == "continued_as_new" and state.new_run_id == "next"


def test_dynamic_tasks_come_from_the_input_or_from_child_workflow_in_it():
    a = ActivityTask(name="a", version="1")
    for value in ({"activity_tasks": [a.to_dict()]},
                  {"child_workflow": {"activity_tasks": [a.to_dict()]}, "x": 1}):  # fmt: skip
        h = H()
        h.start(value)
        state = fold_events(new_state(tasks_from_input=True), h.events)
        assert list(state.tasks) == [a.id_] and list(state.ready) == [a.id_]
        assert not state.problems


def test_a_dynamic_input_without_valid_tasks_is_a_problem_of_the_run():
    cases = {
        json.dumps({"x": 1}): "has no 'activity_tasks'",
        json.dumps({"activity_tasks": []}): "is empty",
        json.dumps({"activity_tasks": [{"type": "os.system"}]}): "is not allowed",
        "not json": "has no 'activity_tasks'",
    }
    for raw, expected in cases.items():
        h = H()
        h.start(raw=raw)
        state = fold_events(new_state(tasks_from_input=True), h.events)
        assert expected in state.problems[""], raw
