"""Rerun from a failure: a new run of the same workflow reuses every task the failed run
completed (never scheduling it again) and runs only the failed tasks and what depends on them;
it needs nothing but SWF (the earlier run's history)."""

from __future__ import annotations

import pytest

from floto import wire
from floto.api import ValidationError
from floto.history import TaskStatus, state_from_events
from floto.ids import from_swf_id
from floto.specs.task import ActivityTask, Generator


def scheduled_ids(outcome) -> list[str]:
    return sorted(from_swf_id(e["activityId"]) for e in outcome.events("ActivityTaskScheduled"))


def test_the_rerun_runs_only_the_failed_task_and_its_dependents(scenario):
    flaky = {"dir": str(scenario.tmp_path), "key": "b", "fail_times": 1}
    a = ActivityTask("add", "1", id_="a", input={"n": 1})
    b = ActivityTask("flaky", "1", id_="b", input=flaky, requires=[a])
    c = ActivityTask("add", "1", id_="c", input={"n": 100}, requires=[b])
    d = ActivityTask("add", "1", id_="d", input={"n": 10})
    scenario.decider(scenario.spec([a, b, c, d]))
    scenario.workers(2)
    first_run = scenario.start("job", input={"x": 1})
    failed = scenario.wait("job", first_run)
    assert failed.status == "failed" and "b" in failed.details

    rerun = scenario.swf.rerun_workflow_execution(scenario.domain, "job")
    assert rerun["workflowId"] == "job" and rerun["runId"] != first_run
    outcome = scenario.wait("job", rerun["runId"])
    assert outcome.status == "completed", outcome
    assert outcome.result == {"c": 100, "d": 10}  # d's result came from the failed run
    assert scheduled_ids(outcome) == ["b", "c"]  # a and d were never scheduled again

    state = state_from_events(outcome.history)  # the rerun's history alone tells it all
    assert {t: s.status for t, s in state.tasks.items()} == {
        "a": TaskStatus.REUSED, "b": TaskStatus.COMPLETED, "c": TaskStatus.COMPLETED,
        "d": TaskStatus.REUSED,
    }  # fmt: skip
    assert state.workflow_input == {"x": 1}
    assert state.rerun_of == {"workflowId": "job", "runId": first_run}


def test_a_generator_and_the_generated_tasks_that_completed_are_reused(scenario):
    flaky = {"dir": str(scenario.tmp_path), "key": "gen", "fail_times": 1}
    fan_out = Generator("fan_out", "1", id_="gen", input={"count": 2})
    last = ActivityTask("flaky", "1", id_="last", input=flaky, requires=[fan_out])
    scenario.decider(scenario.spec([fan_out, last]))
    scenario.workers(2)
    first_run = scenario.start("gen-job")
    assert scenario.wait("gen-job", first_run).status == "failed"

    rerun = scenario.swf.rerun_workflow_execution(scenario.domain, "gen-job", first_run)
    outcome = scenario.wait("gen-job", rerun["runId"])
    assert outcome.status == "completed", outcome
    assert scheduled_ids(outcome) == ["last"]
    state = state_from_events(outcome.history)
    assert state.progress().reused == 5  # the generator and its 4 generated tasks


def test_a_rerun_whose_earlier_run_is_gone_fails_naming_it(scenario):
    task = ActivityTask("add", "1", id_="a", input={"n": 1})
    scenario.decider(scenario.spec([task]))
    scenario.workers(1)
    scenario.start("orphan", input=wire.rerun_input(None, "nobody", "no-such-run"))
    outcome = scenario.wait("orphan")
    assert outcome.status == "failed"
    assert "cannot rerun nobody/no-such-run" in outcome.reason


def test_an_open_run_cannot_be_rerun(scenario):
    scenario.start("open-job")  # no decider: it stays open
    with pytest.raises(ValidationError, match="still open"):
        scenario.swf.rerun_workflow_execution(scenario.domain, "open-job")
