"""Child workflows: the child gets the parent's results and the task's input, its result
arrives nested under its task id; a child's failure fails the parent; children nest."""

from floto import wire
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow


def test_a_child_workflow_receives_parent_results_and_returns_its_own(scenario):
    scenario.workflow_type("child", task_list="child_deciders")
    a = ActivityTask(name="add", version="1", input={"n": 7})
    child = ChildWorkflow(
        workflow_type_name="child", workflow_type_version="1", requires=[a],
        input={"files": ["a.in"]}, task_list="child_deciders",
    )  # fmt: skip
    after = ActivityTask(name="echo", version="1", requires=[child])
    inner = ActivityTask(name="echo", version="1")
    scenario.decider(scenario.spec([a, child, after], terminate_decider_after_completion=True))
    scenario.decider(scenario.spec([inner], task_list="child_deciders"))
    scenario.workers(2)
    scenario.start("parent")
    outcome = scenario.wait("parent")
    assert outcome.status == "completed", outcome
    child_input = {"child_workflow": {"files": ["a.in"]}, a.id_: 7}
    child_result = {inner.id_: {"context": {"workflow": child_input}}}
    assert outcome.result == {after.id_: {"context": {child.id_: child_result}}}
    (initiated,) = outcome.events("StartChildWorkflowExecutionInitiated")
    assert initiated["workflowId"] == wire.child_workflow_id("parent", child.id_)


def test_a_failing_child_fails_the_parent_after_its_retries(scenario):
    scenario.workflow_type("child", task_list="child_deciders")
    child = ChildWorkflow(
        workflow_type_name="child", workflow_type_version="1", task_list="child_deciders",
        retry_strategy=InstantRetry(retries=1),
    )  # fmt: skip
    failing = ActivityTask(name="always_fails", version="1")
    scenario.decider(scenario.spec([child], terminate_decider_after_completion=True))
    scenario.decider(scenario.spec([failing], task_list="child_deciders"))
    scenario.workers(1)
    scenario.start("parent")
    outcome = scenario.wait("parent")
    assert outcome.status == "failed"
    assert len(outcome.events("ChildWorkflowExecutionFailed")) == 2
    assert outcome.reason.startswith(f"task {child.id_} failed: task {failing.id_} failed")
    assert list(outcome.details) == [child.id_]


def test_children_nest(scenario):
    scenario.workflow_type("middle", task_list="middle_deciders")
    scenario.workflow_type("leaf", task_list="leaf_deciders")
    middle = ChildWorkflow(workflow_type_name="middle", workflow_type_version="1",
                           task_list="middle_deciders", input="to the middle")  # fmt: skip
    leaf = ChildWorkflow(workflow_type_name="leaf", workflow_type_version="1",
                         task_list="leaf_deciders")  # fmt: skip
    zero = ActivityTask(name="zero", version="1")
    scenario.decider(scenario.spec([middle], terminate_decider_after_completion=True))
    scenario.decider(scenario.spec([leaf], task_list="middle_deciders"))
    scenario.decider(scenario.spec([zero], task_list="leaf_deciders"))
    scenario.workers(1)
    scenario.start("top")
    outcome = scenario.wait("top")
    assert outcome.status == "completed", outcome
    assert outcome.result == {middle.id_: {leaf.id_: {zero.id_: 0}}}
