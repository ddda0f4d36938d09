"""A decision SWF refuses (an unregistered type) fails the run with the task and SWF's cause,
instead of leaving it open forever."""

from floto.specs.task import ActivityTask, ChildWorkflow


def test_an_unregistered_activity_type_fails_the_run_with_swfs_cause(scenario):
    task = ActivityTask(name="nobody_registered_me", version="1")
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "failed"
    assert outcome.reason == (
        f"task {task.id_} failed: SWF refused ScheduleActivityTask: ACTIVITY_TYPE_DOES_NOT_EXIST"
    )


def test_an_unregistered_child_workflow_type_fails_the_run_with_swfs_cause(scenario):
    child = ChildWorkflow(workflow_type_name="missing", workflow_type_version="1")
    scenario.decider(scenario.spec([child], terminate_decider_after_completion=True))
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "failed"
    assert outcome.reason.endswith(
        "SWF refused StartChildWorkflowExecution: WORKFLOW_TYPE_DOES_NOT_EXIST"
    )
