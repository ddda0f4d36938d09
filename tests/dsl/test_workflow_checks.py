"""Workflow collects upstream tasks, orders them stably, and checks the graph with networkx."""

import pytest

import floto
from floto.dsl import Workflow
from floto.errors import CycleError, GraphError, UnservedTaskError
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer


def test_workflow_collects_upstream_tasks_in_topological_order():
    a, b, c, d = (ActivityTask(n, "v1") for n in "abcd")
    a >> b
    a >> c
    [b, c] >> d
    flow = Workflow(d)
    ids = [t.id_ for t in flow.tasks]
    assert ids[0] == a.id_ and ids[-1] == d.id_
    assert set(ids) == {a.id_, b.id_, c.id_, d.id_}
    assert set(flow.graph.edges) == {(a.id_, b.id_), (a.id_, c.id_), (b.id_, d.id_), (c.id_, d.id_)}


def test_order_is_stable_between_builds():
    def build():
        root = ActivityTask("root", "v1")
        leaves = [ActivityTask("leaf", "v1", input=i) for i in range(20)]
        root >> leaves
        return [t.id_ for t in Workflow(leaves).tasks]

    assert build() == build()


def test_graph_nodes_carry_their_tasks():
    a, b = ActivityTask("a", "v1"), ActivityTask("b", "v1")
    a >> b
    graph = Workflow(b).graph
    assert graph.nodes[a.id_]["task"] is a


def test_cycle_error_lists_ids_around_the_cycle_in_order():
    a, b, c = (ActivityTask(n, "v1", id_=n) for n in "abc")
    a >> b >> c >> a
    with pytest.raises(CycleError) as caught:
        Workflow(a).check()
    assert caught.value.cycle in (["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"])
    assert "cycle in the task graph: " in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_cycle_among_default_ids_is_reported():
    a, b = ActivityTask("a", "v1"), ActivityTask("b", "v1")
    a >> b >> a
    with pytest.raises(CycleError, match=r"ActivityTask\('a', 'v1'\) -> ActivityTask\('b', 'v1'\)"):
        Workflow(a).check()


def test_self_requirement_is_a_cycle():
    a = ActivityTask("a", "v1", id_="a", requires=["a"])  # `a >> a` is refused at once
    with pytest.raises(CycleError, match="a -> a"):
        Workflow(a).check()


def test_requirement_not_in_workflow():
    a = ActivityTask("a", "v1", requires=["missing:v1:0000000000"])
    with pytest.raises(GraphError, match=r"tasks\[0\].requires\[0\]: unknown task id 'missing"):
        Workflow(a).check()


def test_spec_requirement_not_in_task_list():
    a = ActivityTask("a", "v1")
    b = ActivityTask("b", "v1", requires=[a])
    with pytest.raises(GraphError, match=r"activity_tasks\[0\].requires\[0\]: unknown task id"):
        DeciderSpec(domain="d", task_list="t", activity_tasks=[b])


def test_two_tasks_with_one_id():
    with pytest.raises(GraphError, match=r"two tasks have the id 'a:v1:2be88ca424'"):
        Workflow(ActivityTask("a", "v1"), ActivityTask("a", "v1")).check()


def test_empty_workflow():
    with pytest.raises(GraphError, match="a workflow needs at least one task"):
        Workflow().check()


def test_non_task_in_workflow():
    with pytest.raises(ValueError, match="a workflow is built from tasks, got int"):
        Workflow(ActivityTask("a", "v1"), 3)


def test_registry_reports_unserved_tasks():
    registry = floto.ActivityRegistry()

    @floto.activity(name="served", version="v1", registry=registry)
    def served():
        return 1

    @floto.activity(name="gen", version="v1", registry=registry)
    def not_a_generator():
        return []

    flow = Workflow(
        ActivityTask("served", "v1"),
        ActivityTask("unserved", "v2"),
        Generator("gen", "v1"),
        ChildWorkflow("child", "1"),
        Timer("t", 1),
    )
    with pytest.raises(UnservedTaskError) as caught:
        flow.check(registry=registry)
    assert caught.value.task_ids == ["unserved:v2:2be88ca424", "gen:v1:2be88ca424"]
    assert "no function registered as 'unserved' version 'v2'" in str(caught.value)
    assert "is a generator but 'gen' 'v1' is registered as a activity" in str(caught.value)


def test_registry_check_passes_when_everything_is_served():
    registry = floto.ActivityRegistry()

    @floto.activity(name="a", version="v1", registry=registry)
    def a_function(context):
        return context

    assert Workflow(a_function.task()).check(registry=registry)


def test_repr_of_a_workflow_counts_its_tasks():
    a = ActivityTask("a", "v1")
    assert repr(Workflow(a)) == "<Workflow of 1 task>"
    assert repr(Workflow(a >> ActivityTask("b", "v1"))) == "<Workflow of 2 tasks>"
