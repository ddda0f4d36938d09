"""repeat_workflow: a completed run continues as new with the same id, type, list and input."""

from floto import wire
from floto.specs.task import ActivityTask


def test_a_completed_run_continues_as_new_with_its_input(scenario):
    task = ActivityTask(name="zero", version="1")
    scenario.decider(scenario.spec([task], repeat_workflow=True))
    scenario.workers(1)
    first = scenario.start("repeating", input={"day": "monday", "n": 0})
    outcome = scenario.wait("repeating", first)
    assert outcome.status == "continued_as_new"
    (marker,) = [m for m in outcome.events("MarkerRecorded") if m["markerName"] == "floto.result"]
    assert marker["details"] == f'{{"{task.id_}":0}}'
    assert wire.RESULT_MARKER == "floto.result"
    second = scenario.wait("repeating", outcome.new_run_id)
    assert second.status == "continued_as_new"
    started = second.events("WorkflowExecutionStarted")[0]
    assert started["input"] == '{"day": "monday", "n": 0}'
    assert started["continuedExecutionRunId"] == first
    assert started["taskList"] == {"name": "deciders"}
    assert started["workflowType"] == {"name": "wf", "version": "1"}
    scenario.swf.terminate_workflow_execution(scenario.domain, "repeating")


def test_a_failed_run_is_not_repeated(scenario):
    task = ActivityTask(name="always_fails", version="1")
    decider = scenario.decider(
        scenario.spec([task], repeat_workflow=True, terminate_decider_after_completion=True)
    )
    scenario.workers(1)
    scenario.start("repeating")
    outcome = scenario.wait("repeating")
    assert outcome.status == "failed"
    decider.join(10)
    assert decider.exitcode == 0  # it stopped after the failed run, which did not repeat
