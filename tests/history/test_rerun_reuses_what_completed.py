"""A rerun reuses every task the earlier run completed: reused tasks are never run again, their
results feed their dependents, and the rerun's own history (its floto.reused markers) rebuilds
the same state for any reader."""

from __future__ import annotations

import json

from floto import wire
from floto.decider._planner import PlanConfig, plan
from floto.history import (
    TaskStatus,
    apply_reuse,
    fold_events,
    new_state,
    reuse_entries,
    state_from_events,
)
from floto.specs.task import ActivityTask, Generator

from .histories import H


def graph():
    a = ActivityTask("a", "1", id_="a")
    b = ActivityTask("b", "1", id_="b", requires=[a])
    c = ActivityTask("c", "1", id_="c", requires=[b])
    d = ActivityTask("d", "1", id_="d")
    return [a, b, c, d]


def failed_run() -> list[dict]:
    """a and d completed (d returned 0), b failed, c never ran."""
    h = H()
    h.start({"x": 1})
    h.decision()
    h.run("a", {"from": "a"})
    h.run("d", 0)
    h.decision()
    h.failed(h.scheduled("b"), "broken")
    return h.events


def rerun_state(tasks, input_text='{"x": 1}'):
    h = H()
    h.add(
        "WorkflowExecutionStarted",
        input=wire.rerun_input(input_text, "wf", "run-1"),
        taskList={"name": "d"},
        workflowType={"name": "wf", "version": "1"},
    )
    h.decision_started()
    return fold_events(new_state(tasks), h.events)


def test_entries_list_completed_tasks_requirements_first_with_falsy_results():
    earlier = state_from_events(failed_run(), graph())
    assert reuse_entries(earlier) == [
        {"task": "a", "result": {"from": "a"}},
        {"task": "d", "result": 0},
    ]


def test_the_rerun_sees_the_input_as_it_was_and_names_the_earlier_run():
    state = rerun_state(graph())
    assert state.workflow_input == {"x": 1} and state.input_text == '{"x": 1}'
    assert state.rerun_of == {"workflowId": "wf", "runId": "run-1"}
    assert state.needs_reuse


def test_reused_tasks_are_not_scheduled_and_feed_their_dependents():
    tasks = graph()
    state = rerun_state(tasks)
    earlier = state_from_events(failed_run(), tasks)
    assert apply_reuse(state, reuse_entries(earlier), record=True) == 2
    assert state.tasks["a"].status is TaskStatus.REUSED and state.tasks["d"].result == 0
    decisions = plan(state, PlanConfig(default_activity_task_list="w")).decisions
    scheduled = [d["scheduleActivityTaskDecisionAttributes"] for d in decisions
                 if d["decisionType"] == "ScheduleActivityTask"]  # fmt: skip
    assert [s["activityId"] for s in scheduled] == ["b"]
    assert json.loads(scheduled[0]["input"]) == {"a": {"from": "a"}}
    markers = [d["recordMarkerDecisionAttributes"] for d in decisions
               if d["decisionType"] == "RecordMarker"]  # fmt: skip
    reused = [m for m in markers if m["markerName"] == wire.REUSED_MARKER]
    assert json.loads(reused[0]["details"]) == reuse_entries(earlier)
    assert state.progress().reused == 2 and state.progress().completed == 2


def test_a_reader_of_the_rerun_history_alone_derives_the_reused_tasks():
    tasks = graph()
    earlier = state_from_events(failed_run(), tasks)
    h = H()
    h.add("WorkflowExecutionStarted", input=wire.rerun_input(None, "wf", "run-1"),
          taskList={"name": "d"}, workflowType={"name": "wf", "version": "1"})  # fmt: skip
    h.decision()
    h.marker(wire.REUSED_MARKER, json.dumps(reuse_entries(earlier)))
    h.run("b", 5)
    state = state_from_events(h.events, tasks)
    assert {t: s.status for t, s in state.tasks.items()} == {
        "a": TaskStatus.REUSED, "b": TaskStatus.COMPLETED, "c": TaskStatus.PENDING,
        "d": TaskStatus.REUSED,
    }  # fmt: skip
    assert list(state.ready) == ["c"]
    assert state.context_of("c") == {"b": 5}


def test_folding_its_own_marker_again_changes_nothing():
    tasks = graph()
    state = rerun_state(tasks)
    entries = reuse_entries(state_from_events(failed_run(), tasks))
    apply_reuse(state, entries, record=True)
    before = {t: (s.status, s.result) for t, s in state.tasks.items()}
    marker = {
        "eventId": state.last_event_id + 1,
        "eventType": "MarkerRecorded",
        "markerRecordedEventAttributes": {
            "markerName": wire.REUSED_MARKER,
            "details": json.dumps(entries),
        },
    }
    fold_events(state, [marker])
    assert {t: (s.status, s.result) for t, s in state.tasks.items()} == before
    assert state.unrecorded_reuse() == []
    assert state.progress().reused == 2


def test_a_generator_is_reused_with_its_generated_tasks_that_completed():
    g = Generator("g", "1", id_="g")
    after = ActivityTask("after", "1", id_="after", requires=[g])
    made = [ActivityTask("part", "1", id_=f"p{n}").to_dict() for n in range(3)]
    h = H()
    h.start()
    h.decision()
    h.run("g", made, name="g")
    h.decision()
    h.run("p0", "zero")
    h.run("p1", "one")
    h.failed(h.scheduled("p2"), "bad")
    earlier = state_from_events(h.events, [g, after])
    entries = reuse_entries(earlier)
    assert [e["task"] for e in entries] == ["g", "p0", "p1"]
    state = rerun_state([g, after], None)
    apply_reuse(state, entries, record=True)
    assert state.tasks["p0"].status is TaskStatus.REUSED
    assert state.tasks["p2"].status is TaskStatus.PENDING and list(state.ready) == ["p2"]
    assert set(state.tasks["after"].requires) == {"g", "p0", "p1", "p2"}


def test_a_new_input_runs_again_what_saw_the_input():
    earlier = state_from_events(failed_run(), graph())
    assert reuse_entries(earlier, input_changed=True) == []
