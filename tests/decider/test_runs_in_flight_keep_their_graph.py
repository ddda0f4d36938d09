"""A run is decided by the graph it started with: a decider deployed with a changed spec
decides runs in flight by their recorded tasks (or migrates or fails them, as told), says
once per run what differs, and gives new runs its own spec."""

from __future__ import annotations

import logging
import uuid

import pytest

from decider.inflight_support import echo
from floto.history import TaskStatus
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Generator


def _start(driver, workflow_id="run"):
    return driver.engine.start(workflow_id)


def _result(driver, workflow_id="run"):
    return driver.outcome(workflow_id)[1:]


def _spec_a():
    a = echo("a")
    return [a, echo("B", a)]


def _spec_b():
    a2 = echo("a2")  # the same activity with another input: another task
    return [a2, echo("C", a2)]


def _half_run(driver, tasks_a):
    """Start a run, decide it once with v1 (records A, schedules its roots), run them."""
    _start(driver)
    assert driver.drive(driver.decider(tasks_a), decisions=1) == 1
    driver.work()


def test_a_run_in_flight_finishes_by_the_graph_it_started_with(driver, caplog):
    tasks_a, tasks_b = _spec_a(), _spec_b()
    _half_run(driver, tasks_a)
    v2 = driver.decider(tasks_b)
    with caplog.at_level(logging.WARNING, logger="floto.decider"):
        driver.drive(v2)
    state, result = _result(driver)
    assert result == {tasks_a[1].id_: "B"}  # A's workflow, not the union of A and B
    assert set(state.tasks) == {task.id_ for task in tasks_a}
    warnings = [r.getMessage() for r in caplog.records if "other tasks" in r.getMessage()]
    assert len(warnings) == 1, warnings  # once per run, however many decisions
    assert "2 tasks added" in warnings[0] and "2 tasks removed" in warnings[0]
    assert tasks_b[1].id_ in warnings[0] and tasks_a[1].id_ in warnings[0]
    # a new run gets the decider's current spec
    _start(driver, "new")
    driver.drive(v2, workflow_id="new")
    assert _result(driver, "new")[1] == {tasks_b[1].id_: "C"}


def test_migrate_keeps_what_completed_drops_removed_and_schedules_added(driver):
    a = echo("a", id_="a")
    tasks_a = [a, echo("B", a, id_="b"), echo("D", a, id_="d")]
    tasks_b = [a, echo("C", a, id_="c"), echo("D2", a, id_="d")]  # b removed, c added, d changed
    _half_run(driver, tasks_a)
    driver.drive(driver.decider(tasks_b, in_flight="migrate"))
    state, result = _result(driver)
    assert result == {"c": "C", "d": "D2"}
    assert state.tasks["a"].attempt_count == 1  # completed stays completed
    assert "b" not in state.tasks and state.tasks["d"].task.input == "D2"
    # the history tells the migration: a cold reader derives the same graph
    assert state.recorded_ids[:3] == ["a", "b", "d"] and "c" in state.recorded_ids


def test_fail_names_the_differences(driver):
    tasks_a, tasks_b = _spec_a(), _spec_b()
    _half_run(driver, tasks_a)
    driver.drive(driver.decider(tasks_b, in_flight="fail"))
    state, _ = _result(driver)
    assert state.status.value == "failed"
    assert state.failure_reason.startswith("the workflow changed while the run was in flight")
    assert "2 tasks added" in state.failure_reason and tasks_a[1].id_ in state.failure_reason
    assert state.tasks[tasks_a[1].id_].status is TaskStatus.NOT_RUN  # nothing more ran


def _flaky_specs():
    key = uuid.uuid4().hex
    form = {"key": key, "times": 2}
    old = ActivityTask("flaky", "1", id_="f", input=form, retry_strategy=InstantRetry(1))
    new = ActivityTask("flaky", "1", id_="f", input=form, retry_strategy=InstantRetry(3))
    return [old], [new]


def test_a_changed_retry_strategy_applies_only_when_migrating(driver):
    old, new = _flaky_specs()
    _half_run(driver, old)  # attempt 1 failed: one retry left under the old strategy
    driver.drive(driver.decider(new))
    state, _ = _result(driver)
    assert state.status.value == "failed" and state.tasks["f"].attempt_count == 2
    old, new = _flaky_specs()
    _start(driver, "migrated")
    driver.drive(driver.decider(old), decisions=1, workflow_id="migrated")
    driver.work()
    driver.drive(driver.decider(new, in_flight="migrate"), workflow_id="migrated")
    state, result = _result(driver, "migrated")
    assert result == {"f": "ok"} and state.tasks["f"].attempt_count == 3


def test_bad_policy_is_refused(driver):
    with pytest.raises(ValueError, match=r"in_flight must be one of 'recorded', 'migrate'"):
        driver.decider(_spec_a(), in_flight="union")


@pytest.mark.parametrize(
    ("policy", "generated", "status"),
    [("recorded", {"x", "y"}, "completed"), ("migrate", {"x"}, "completed"),
     ("fail", set(), "failed")],
)  # fmt: skip
def test_a_changed_generator_generates_by_the_policy(driver, policy, generated, status):
    def tasks(names):
        a = echo("a", id_="a")
        g = Generator("gen", "1", id_="g", input=names, requires=[a])
        return [a, g, echo("AFTER", g, id_="after")]

    _half_run(driver, tasks(["x", "y"]))  # a ran; g, not yet
    driver.drive(driver.decider(tasks(["x"]), in_flight=policy))
    state, result = _result(driver)
    assert state.status.value == status
    assert {t for t, ts in state.tasks.items() if ts.generated_by == "g"} == generated
    if status == "completed":
        assert result == {"after": "AFTER"}
