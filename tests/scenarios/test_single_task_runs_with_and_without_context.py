"""A one-task workflow completes with {task id: result}; the activity sees the seed's context."""

from floto.specs.task import ActivityTask


def test_task_with_context_sees_workflow_input_and_its_own_input(scenario):
    task = ActivityTask(name="echo", version="1", input={"x": 1})
    spec = scenario.spec([task], terminate_decider_after_completion=True)
    scenario.decider(spec)
    scenario.workers(1)
    scenario.start(input={"foo": "bar"})
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {
        task.id_: {"context": {"activity_task": {"x": 1}, "workflow": {"foo": "bar"}}}
    }


def test_task_without_context_completes_with_an_empty_result(scenario):
    task = ActivityTask(name="no_context", version="1")
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {}
    assert len(outcome.events("ActivityTaskCompleted")) == 1
