"""DynamicDecider: tasks come with the workflow input; a bad input fails only its run."""

from floto.decider import DynamicDecider
from floto.specs.task import ActivityTask, ChildWorkflow


def test_a_dynamic_decider_runs_the_tasks_of_the_input_and_of_its_children(scenario):
    scenario.workflow_type("child")
    inner = ActivityTask(name="echo", version="1")
    first = ActivityTask(name="add", version="1", input={"n": 3})
    child = ChildWorkflow(
        workflow_type_name="child", workflow_type_version="1", requires=[first],
        task_list="deciders", input={"activity_tasks": [inner.to_dict()], "note": "hi"},
    )  # fmt: skip
    scenario.decider(scenario.spec([]), cls=DynamicDecider)
    scenario.workers(2)
    scenario.start(input={"activity_tasks": [first, child], "day": "monday"})
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome
    seen = {"workflow": {"child_workflow": {"note": "hi"}, first.id_: 3}}
    assert outcome.result == {child.id_: {inner.id_: {"context": seen}}}


def test_an_input_without_tasks_fails_the_run_and_the_decider_goes_on(scenario):
    task = ActivityTask(name="zero", version="1")
    scenario.decider(scenario.spec([]), cls=DynamicDecider)
    scenario.workers(1)
    scenario.start("no-tasks", input={"day": "monday"})
    outcome = scenario.wait("no-tasks")
    assert outcome.status == "failed"
    assert "has no 'activity_tasks'" in outcome.reason
    scenario.start("bad-type", input={"activity_tasks": [{"type": "os.system", "name": "x"}]})
    outcome = scenario.wait("bad-type")
    assert outcome.status == "failed"
    assert "type 'os.system' is not allowed" in outcome.reason
    scenario.start("deep", input='{"activity_tasks": ' + "[" * 3000 + "]" * 3000 + "}")
    outcome = scenario.wait("deep")  # issue 12, hole 3: was "decider error (3 times)"
    assert outcome.status == "failed"
    assert outcome.reason.startswith("bad task list in the workflow input: the input is not JSON")
    assert "deeper than floto's limit of 128 levels" in outcome.reason
    scenario.start("good", input={"activity_tasks": [task]})
    assert scenario.wait("good").result == {task.id_: 0}
