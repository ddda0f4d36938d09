"""The failure policies on the local engine: under "continue" everything that does not depend
on a failure still runs and the run reports every failure; under "fail_fast" the run fails at
the first one and cancels its open work. Either way the closed run leaves no task open."""

from __future__ import annotations

import pytest

from floto.history import TaskStatus, state_from_events
from floto.ids import from_swf_id
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow, Generator

OPEN = {TaskStatus.PENDING, TaskStatus.SCHEDULED, TaskStatus.RUNNING, TaskStatus.WAITING_TO_RETRY}


def statuses(outcome) -> dict[str, TaskStatus]:
    state = state_from_events(outcome.history)
    found = {task_id: ts.status for task_id, ts in state.tasks.items()}
    assert not OPEN & set(found.values()), found  # a closed run reads as closed
    return found


def completed_ids(outcome) -> set[str]:
    """Ids of the activities that completed, read from the run's own history."""
    state = state_from_events(outcome.history)
    return {task_id for task_id, ts in state.tasks.items() if ts.status is TaskStatus.COMPLETED}


def branches():
    """bad -> after_bad, and slow -> after_slow: the second branch outlives the failure."""
    bad = ActivityTask("always_fails", "1", id_="bad")
    after_bad = ActivityTask("add", "1", id_="after_bad", requires=[bad])
    slow = ActivityTask("sleep", "1", id_="slow", input={"seconds": 1.5})
    after_slow = ActivityTask("add", "1", id_="after_slow", input={"n": 2}, requires=[slow])
    return [bad, after_bad, slow, after_slow]


def test_continue_finishes_the_independent_branch_after_a_failure(scenario):
    scenario.decider(scenario.spec(branches()))
    scenario.workers(2)
    scenario.start("branches")
    outcome = scenario.wait("branches")
    assert outcome.status == "failed"
    assert completed_ids(outcome) == {"slow", "after_slow"}
    assert outcome.reason == "task bad failed (1 blocked): ValueError: this activity always fails"
    assert outcome.details == {"bad": "ValueError: this activity always fails"}
    assert statuses(outcome) == {
        "bad": TaskStatus.FAILED, "after_bad": TaskStatus.BLOCKED,
        "slow": TaskStatus.COMPLETED, "after_slow": TaskStatus.COMPLETED,
    }  # fmt: skip


def test_fail_fast_fails_at_once_and_cancels_the_open_branch(scenario):
    scenario.decider(scenario.spec(branches(), failure_policy="fail_fast"))
    scenario.workers(2)
    scenario.start("fast")
    outcome = scenario.wait("fast")
    assert outcome.status == "failed"
    requested = outcome.events("ActivityTaskCancelRequested")
    assert [from_swf_id(e["activityId"]) for e in requested] == ["slow"]
    assert "after_slow" not in completed_ids(outcome)
    assert statuses(outcome) == {
        "bad": TaskStatus.FAILED, "after_bad": TaskStatus.BLOCKED,
        "slow": TaskStatus.CANCELED, "after_slow": TaskStatus.NOT_RUN,
    }  # fmt: skip


@pytest.mark.parametrize("policy", ["continue", "fail_fast"])
def test_a_failure_among_a_generators_tasks(scenario, policy):
    source = {"count": 6, "bad": [2, 4], "dir": str(scenario.tmp_path)}
    gen = Generator("ingest_all", "1", id_="gen", input=source)
    after = ActivityTask("combine", "1", id_="after", requires=[gen])
    scenario.decider(scenario.spec([gen, after], failure_policy=policy))
    scenario.workers(2)
    scenario.start("gen")
    outcome = scenario.wait("gen")
    assert outcome.status == "failed"
    found = statuses(outcome)
    assert found["after"] is TaskStatus.BLOCKED
    if policy == "continue":
        assert set(outcome.details) == {"file-2", "file-4"}
        assert {f"file-{n}" for n in (0, 1, 3, 5)} <= completed_ids(outcome)
    else:  # the failures the first failing decision knew of (both, if they came together)
        assert outcome.details and set(outcome.details) <= {"file-2", "file-4"}
        assert found["file-0"] in (TaskStatus.COMPLETED, TaskStatus.CANCELED)


@pytest.mark.parametrize("policy", ["continue", "fail_fast"])
def test_a_failing_child_workflow(scenario, policy):
    scenario.workflow_type("child", task_list="child_deciders")
    child = ChildWorkflow(workflow_type_name="child", workflow_type_version="1",
                          task_list="child_deciders", id_="child")  # fmt: skip
    after_child = ActivityTask("add", "1", id_="after_child", requires=[child])
    slow = ActivityTask("sleep", "1", id_="slow", input={"seconds": 2})
    inner_bad = ActivityTask("always_fails", "1", id_="inner_bad")
    inner_ok = ActivityTask("add", "1", id_="inner_ok", input={"n": 1})
    scenario.decider(scenario.spec([child, after_child, slow], failure_policy=policy))
    scenario.decider(
        scenario.spec([inner_bad, inner_ok], task_list="child_deciders", failure_policy=policy)
    )
    scenario.workers(2)
    scenario.start("parent")
    outcome = scenario.wait("parent")
    assert outcome.status == "failed"
    assert list(outcome.details) == ["child"]
    assert outcome.details["child"].startswith("task inner_bad failed")
    found = statuses(outcome)
    assert found["after_child"] is TaskStatus.BLOCKED
    assert found["slow"] is (TaskStatus.COMPLETED if policy == "continue" else TaskStatus.CANCELED)


@pytest.mark.parametrize("policy", ["continue", "fail_fast"])
def test_retries_run_before_a_task_counts_as_failed(scenario, policy):
    flaky = {"dir": str(scenario.tmp_path), "key": "f", "fail_times": 10}
    tries = ActivityTask("flaky", "1", id_="tries", input=flaky,
                         retry_strategy=InstantRetry(retries=2))  # fmt: skip
    other = ActivityTask("add", "1", id_="other", input={"n": 3})
    scenario.decider(scenario.spec([tries, other], failure_policy=policy))
    scenario.workers(2)
    scenario.start("retries")
    outcome = scenario.wait("retries")
    assert outcome.status == "failed"
    assert outcome.details == {"tries": "RuntimeError: flaky failure 3"}
    assert len(outcome.events("ActivityTaskFailed")) == 3
    state = state_from_events(outcome.history)
    assert state["tries"].attempt_count == 3


def test_the_runs_own_timeout_closes_its_open_tasks(scenario):
    slow = ActivityTask("sleep", "1", id_="slow", input={"seconds": 15})
    after = ActivityTask("add", "1", id_="after", requires=[slow])
    scenario.decider(scenario.spec([slow, after]))
    scenario.workers(1)
    scenario.start("late", execution_start_to_close_timeout="2")
    outcome = scenario.wait("late")
    assert outcome.status == "timed_out"
    state = state_from_events(outcome.history)
    assert state["slow"].status is TaskStatus.TIMED_OUT
    assert state["slow"].error == "the run timed out"
    assert state["slow"].last_attempt.closed_at == state.closed_at
    assert state["after"].status is TaskStatus.NOT_RUN
    assert state.failures() == {}
