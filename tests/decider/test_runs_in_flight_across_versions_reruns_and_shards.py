"""Runs in flight across a change, beyond the plain case: runs recorded by an earlier floto
(task records as a plain list), DynamicDecider runs (tasks in the input), a migrated run's
history read cold, reruns of a run started under another spec, and sharded runs."""

from __future__ import annotations

import json
import logging

from decider.inflight_support import echo
from floto import wire
from floto.decider import DynamicDecider, replay_history
from floto.history import TaskStatus
from floto.ids import to_swf_id
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask


def _old_first_decision(driver, tasks, *, record=True):
    """Answer the run's first decision task as an earlier floto did: the tasks recorded as a
    plain JSON list (``record=False``: not recorded at all), the root scheduled."""
    response = driver.swf.poll_for_decision_task(driver.domain, "deciders")
    forms = [task.to_dict() for task in tasks]
    root = tasks[0]
    marker = {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {
        "markerName": wire.TASKS_MARKER, "details": json.dumps(forms)}}  # fmt: skip
    driver.swf.respond_decision_task_completed(response["taskToken"], [marker] * record + [
        {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": root.name, "version": root.version},
            "activityId": to_swf_id(root.id_), "taskList": {"name": "workers"},
            "input": json.dumps({"activity_task": root.input})}},
    ])  # fmt: skip
    driver.work()


def test_a_run_recorded_by_an_earlier_floto_goes_on_by_its_tasks(driver, caplog):
    a = echo("a", id_="a")
    old = [a, echo("B", a, id_="b")]
    driver.engine.start()
    _old_first_decision(driver, old)
    with caplog.at_level(logging.WARNING, logger="floto.decider"):
        driver.drive(driver.decider(old, in_flight="fail"))  # same tasks: no change seen
    assert driver.outcome()[2] == {"b": "B"}
    assert not [r for r in caplog.records if "other tasks" in r.getMessage()]
    driver.engine.start("changed")
    _old_first_decision(driver, old)
    driver.drive(driver.decider([a, echo("C", a, id_="c")]), workflow_id="changed")
    assert driver.outcome("changed")[2] == {"b": "B"}
    driver.engine.start("unrecorded")  # a run whose decider recorded nothing: the spec's
    _old_first_decision(driver, old, record=False)
    driver.drive(driver.decider([a, echo("C", a, id_="c")]), workflow_id="unrecorded")
    _, state, result = driver.outcome("unrecorded")
    assert result == {"c": "C"} and state.tasks["a"].attempt_count == 1


def test_a_dynamic_deciders_run_is_decided_by_its_recorded_tasks(driver, caplog):
    a = echo("a", id_="a")
    given = [a, echo("B", a, id_="b")]
    dynamic = DynamicDecider(driver.spec([]), swf=driver.swf, in_flight="fail")
    driver.engine.start(input={"activity_tasks": [task.to_dict() for task in given]})
    driver.drive(dynamic)  # its own record: the input's tasks, no change
    assert driver.outcome()[2] == {"b": "B"}
    recorded = [a, echo("R", a, id_="r")]  # an earlier floto read the input otherwise
    driver.engine.start("other", input={"activity_tasks": [task.to_dict() for task in given]})
    _old_first_decision(driver, recorded)
    with caplog.at_level(logging.WARNING, logger="floto.decider"):
        driver.drive(DynamicDecider(driver.spec([]), swf=driver.swf), workflow_id="other")
    assert driver.outcome("other")[2] == {"r": "R"}
    told = [r.getMessage() for r in caplog.records if "other tasks" in r.getMessage()]
    assert len(told) == 1 and "1 task added (b)" in told[0] and "1 task removed (r)" in told[0]


def test_a_migrated_run_reads_the_same_cold_and_replays_without_a_second_migration(driver):
    a = echo("a", id_="a")
    old, new = [a, echo("B", a, id_="b")], [a, echo("C", a, id_="c")]
    driver.engine.start()
    driver.drive(driver.decider(old), decisions=1)
    driver.work()
    driver.drive(driver.decider(new, in_flight="migrate"))
    events, state, result = driver.outcome()
    assert result == {"c": "C"} and set(state.tasks) == {"a", "c"}
    migrated = [
        e
        for e in events
        if e["eventType"] == "MarkerRecorded"
        and e["markerRecordedEventAttributes"]["markerName"] == wire.MIGRATED_MARKER
    ]
    assert len(migrated) == 1  # fmt: skip
    report = replay_history(events, driver.spec(new), in_flight="migrate")
    assert {d.decision for d in report.differences} == {1}, str(report)  # only the start


def test_a_rerun_of_a_run_started_under_another_spec_takes_the_new_spec(driver):
    key = "rerun-" + driver.domain
    a = echo("a", id_="a")
    flaky = ActivityTask("flaky", "1", id_="f", input={"key": key, "times": 1}, requires=[a])
    driver.engine.start()
    driver.drive(driver.decider([a, flaky]))
    assert driver.outcome()[1].status.value == "failed"
    retried = ActivityTask("flaky", "1", id_="f", input={"key": key, "times": 1}, requires=[a],
                           retry_strategy=InstantRetry(1))  # fmt: skip
    driver.swf.rerun_workflow_execution(driver.domain, "run")
    driver.drive(driver.decider([a, retried, echo("C", id_="c")]))
    _, state, result = driver.outcome()
    assert result == {"f": "ok", "c": "C"}
    assert state.tasks["a"].status is TaskStatus.REUSED  # completed before: reused


def test_a_sharded_run_in_flight_keeps_its_graph_or_migrates(driver):
    def tasks(sink_input, extra=False):
        source = echo("s", id_="source")
        middle = [echo(n, source, id_=f"m{n}") for n in range(60)]
        sink = echo(sink_input, *middle, id_="sink")
        return [source, *middle, sink] + ([echo("E", id_="extra")] if extra else [])

    for workflow_id, policy, expected in (
        ("kept", "recorded", {"sink": "S"}),
        ("moved", "migrate", {"sink": "S2", "extra": "E"}),
    ):
        driver.engine.start(workflow_id)
        driver.drive(driver.decider(tasks("S")), decisions=1, workflow_id=workflow_id)
        driver.work()
        v2 = driver.decider(tasks("S2", extra=True), in_flight=policy, event_budget=300)
        driver.drive(v2, workflow_id=workflow_id, timeout=120)
        events, state, result = driver.outcome(workflow_id)
        assert result == expected
        shards = [e for e in events if e["eventType"] == "StartChildWorkflowExecutionInitiated"]
        assert shards and state.tasks["m42"].result == 42


def test_a_task_removed_while_running_is_kept_warm_and_cold(driver):
    from decider.inflight_support import REGISTRY
    from floto.worker import ActivityWorker

    a, b = echo("a", id_="a"), echo("B", id_="b", task_list="other")  # b: no worker yet
    new = [a, echo("C", id_="c")]
    driver.engine.start()
    driver.drive(driver.decider([a, b]), decisions=1)
    driver.work()  # a completed, b still open
    migrating = driver.decider(new, in_flight="migrate")
    driver.drive(migrating, decisions=2)  # the migration, then c's completion
    other = ActivityWorker(driver.domain, "other", heartbeat_in_seconds=0, registry=REGISTRY,
                           swf=driver.swf)  # fmt: skip
    assert other.run_once()
    driver.drive(migrating)
    events, _, result = driver.outcome()
    assert result == {"a": "a", "b": "B", "c": "C"}  # b was running: kept, and it finished
    report = replay_history(events, driver.spec(new), in_flight="migrate")
    assert {d.decision for d in report.differences} == {1}, str(report)
