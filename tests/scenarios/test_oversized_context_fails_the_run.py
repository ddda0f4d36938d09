"""A context over SWF's 32,768 characters fails the run naming the task and the size; it is
never sent."""

from floto.specs.task import ActivityTask


def test_an_oversized_activity_input_fails_the_run_before_reaching_swf(scenario):
    task = ActivityTask(name="echo", version="1", input="y" * 20_000)
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start(input="x" * 20_000)
    outcome = scenario.wait("run")
    assert outcome.status == "failed"
    assert outcome.reason.startswith(f"task {task.id_} failed: activity input is 40,")
    assert "over SWF's limit of 32,768" in outcome.reason
    assert not outcome.events("ActivityTaskScheduled")
