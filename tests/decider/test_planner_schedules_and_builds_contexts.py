"""Planning from states: what gets scheduled, with which context, and the first-decision
marker."""

import json

from history.histories import H

from floto import wire
from floto.decider._planner import PlanConfig, plan
from floto.history import fold_events, new_state, state_from_events
from floto.ids import to_swf_id
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer

CONFIG = PlanConfig(default_activity_task_list="workers")


def decide(events, tasks, config=CONFIG):
    return plan(state_from_events(events, tasks), config, started_event_id=len(events))


def attrs(decision):
    kind = decision["decisionType"]
    return decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]


def inputs(result):
    return {
        attrs(d)["activityId"]: json.loads(attrs(d)["input"])
        for d in result.decisions
        if d["decisionType"] == "ScheduleActivityTask"
    }


def first_decision(tasks, workflow_input=None, **start):
    h = H()
    h.start(workflow_input, **start)
    h.decision_started()
    state = fold_events(new_state(tasks), h.events)
    return plan(state, CONFIG, started_event_id=len(h.events))


def test_the_first_decision_records_the_tasks_and_schedules_the_roots():
    a = ActivityTask(name="a", version="1", input={"k": 1}, task_list="special")
    b = ActivityTask(name="b", version="1", requires=[a])
    t = Timer(id_="t", delay_in_seconds=7)
    result = first_decision([a, b, t], {"x": 0})
    kinds = [d["decisionType"] for d in result.decisions]
    assert kinds == ["RecordMarker", "ScheduleActivityTask", "StartTimer"]
    marker = attrs(result.decisions[0])
    assert marker["markerName"] == wire.TASKS_MARKER
    record = json.loads(marker["details"])
    assert [t["id_"] for t in record["tasks"]] == [a.id_, b.id_, "t"]
    assert record["tasks"][1]["r"] == [0]  # b requires a: by its position in the record
    schedule = attrs(result.decisions[1])
    assert schedule["activityId"] == to_swf_id(a.id_)
    assert schedule["activityType"] == {"name": "a", "version": "1"}
    assert schedule["taskList"] == {"name": "special"}
    assert json.loads(schedule["input"]) == {"workflow": {"x": 0}, "activity_task": {"k": 1}}
    assert attrs(result.decisions[2]) == {"timerId": "t", "startToFireTimeout": "7"}
    assert result.closing is None


def test_falsy_workflow_inputs_reach_the_roots_and_no_input_means_no_workflow_key():
    a = ActivityTask(name="a", version="1")
    assert inputs(first_decision([a], 0)) == {to_swf_id(a.id_): {"workflow": 0}}
    assert inputs(first_decision([a], "")) == {to_swf_id(a.id_): {"workflow": ""}}
    assert inputs(first_decision([a], None)) == {to_swf_id(a.id_): {}}
    raw = inputs(first_decision([a], raw="plain text, not JSON"))
    assert raw == {to_swf_id(a.id_): {"workflow": "plain text, not JSON"}}


def test_a_dependent_gets_the_results_of_its_requirements_but_never_the_workflow_input():
    a = ActivityTask(name="a", version="1")
    z = ActivityTask(name="z", version="1")
    t = Timer(id_="t", delay_in_seconds=1)
    g = Generator(name="g", version="1")
    n = ActivityTask(name="n", version="1")
    after = ActivityTask(name="after", version="1", requires=[a, z, t, g, n], input=[1])
    h = H()
    h.start({"x": 1})
    h.decision()
    h.marker(wire.TASKS_MARKER, "[]")
    h.run(a.id_, {"rows": 2})
    h.run(z.id_, 0)
    h.fired(h.timer("t"), "t")
    h.run(g.id_, [], name="g")
    h.run(n.id_)  # no result
    result = decide(h.events, [a, z, t, g, n, after])
    assert inputs(result) == {
        to_swf_id(after.id_): {a.id_: {"rows": 2}, z.id_: 0, "activity_task": [1]}
    }


def test_a_child_workflow_gets_its_id_control_and_the_child_workflow_key():
    a = ActivityTask(name="a", version="1")
    child = ChildWorkflow(workflow_type_name="c", workflow_type_version="2", requires=[a],
                          input={"files": 2}, task_list="child_list")  # fmt: skip
    h = H()
    h.start()
    h.decision()
    h.run(a.id_, "done")
    state = state_from_events(h.events, [a, child])
    state.workflow_id = "parent:wf"
    (decision,) = [d for d in plan(state, CONFIG).decisions
                   if d["decisionType"] == "StartChildWorkflowExecution"]  # fmt: skip
    child_attrs = attrs(decision)
    assert child_attrs["workflowId"] == wire.child_workflow_id("parent:wf", child.id_)
    assert child_attrs["workflowType"] == {"name": "c", "version": "2"}
    assert child_attrs["taskList"] == {"name": "child_list"}
    assert json.loads(child_attrs["control"]) == {"task": child.id_}
    assert json.loads(child_attrs["input"]) == {"child_workflow": {"files": 2}, a.id_: "done"}


def test_a_dynamic_run_strips_only_the_task_list_it_read_from_the_workflow_input():
    a = ActivityTask(name="a", version="1")
    for value, seen in (
        ({"activity_tasks": [a.to_dict()], "day": 0}, {"day": 0}),
        ({"child_workflow": {"activity_tasks": [a.to_dict()], "k": []}, "p": 1},
         {"child_workflow": {"k": []}, "p": 1}),
    ):  # fmt: skip
        h = H()
        h.start(value)
        h.decision_started()
        state = fold_events(new_state(tasks_from_input=True), h.events)
        assert inputs(plan(state, CONFIG)) == {to_swf_id(a.id_): {"workflow": seen}}
