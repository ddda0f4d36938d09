"""Every way a task can go wrong fails that task with a clear reason; the worker goes on."""

from __future__ import annotations

import json

from scheduling import scheduler_fixture, swf_fixture  # noqa: F401  (pytest fixtures)

from floto.api import PayloadStore, Swf
from floto.specs.task import ActivityTask
from floto.wire import payload_ref_of_text
from floto.worker import activity, generator


def _run(scheduler, name, version="1", swf=None, **schedule):
    run = scheduler.schedule(name, version, **schedule)
    worker = scheduler.worker(**({"swf": swf} if swf is not None else {}))
    assert worker.run_once() is True
    return worker, scheduler.outcome(run)


def test_exception_fails_the_task_with_message_and_traceback(scheduler):
    @activity("raises", "1", registry=scheduler.registry)
    def raises(context):
        raise ValueError("bad date " + context["workflow"])

    scheduler.activity_type("raises")
    _, (kind, attributes) = _run(scheduler, "raises", context={"workflow": "2016-13-01"})
    assert kind == "ActivityTaskFailed"
    assert attributes["reason"] == "ValueError: bad date 2016-13-01"
    assert "Traceback (most recent call last)" in attributes["details"]
    assert 'raise ValueError("bad date "' in attributes["details"]


def test_long_exception_messages_are_cut_to_swf_limits_without_a_store(scheduler):
    @activity("longError", "1", registry=scheduler.registry)
    def long_error():
        raise RuntimeError("x" * 50_000)

    scheduler.activity_type("longError")
    _, (kind, attributes) = _run(scheduler, "longError", swf=Swf(payload_store=False))
    assert kind == "ActivityTaskFailed"
    assert len(attributes["reason"]) == 256 and attributes["reason"].startswith("RuntimeError: xxx")
    assert len(attributes["details"]) == 32_768 and "cut by floto" in attributes["details"]


def test_unregistered_activity_fails_naming_name_and_version(scheduler):
    scheduler.activity_type("nobodyServes", "7")
    _, (kind, attributes) = _run(scheduler, "nobodyServes", "7")
    assert kind == "ActivityTaskFailed"
    assert "no activity function registered for 'nobodyServes' version '7'" in attributes["reason"]


def test_unserialisable_result_fails_the_task(scheduler):
    @activity("unserialisable", "1", registry=scheduler.registry)
    def unserialisable():
        return {"handle": object()}

    scheduler.activity_type("unserialisable")
    _, (kind, attributes) = _run(scheduler, "unserialisable")
    assert kind == "ActivityTaskFailed"
    assert "not JSON-serialisable" in attributes["reason"]
    assert "'unserialisable' version '1'" in attributes["reason"]


def test_long_exception_details_go_to_the_payload_store_when_there_is_one(scheduler):
    @activity("longError", "1", registry=scheduler.registry)
    def long_error():
        raise RuntimeError("x" * 50_000)

    scheduler.activity_type("longError")
    worker, (kind, attributes) = _run(scheduler, "longError")
    assert kind == "ActivityTaskFailed"
    ref = payload_ref_of_text(attributes["details"])
    assert ref is not None and ref.size > 50_000
    stored = worker.swf.resolve_payload(ref)
    assert "RuntimeError: xxx" in stored and "Traceback (most recent call last)" in stored
    assert "cut by floto" not in stored


def test_result_over_the_payload_limit_without_a_store_fails_the_task(scheduler):
    @activity("huge", "1", registry=scheduler.registry)
    def huge():
        return "y" * 40_000

    scheduler.activity_type("huge")
    _, (kind, attributes) = _run(scheduler, "huge", swf=Swf(payload_store=False))
    assert kind == "ActivityTaskFailed"
    assert "40,002 characters, over SWF's limit of 32,768" in attributes["reason"]
    assert "FLOTO_PAYLOAD_STORE=s3://" in attributes["details"]


def test_result_over_the_stores_cap_fails_the_task_naming_the_cap(scheduler, local_engine):
    @activity("huge", "1", registry=scheduler.registry)
    def huge():
        return "y" * 40_000

    scheduler.activity_type("huge")
    store = PayloadStore("floto-payloads", endpoint_url=local_engine.endpoint_url,
                         create_bucket=True, max_bytes=35_000)  # fmt: skip
    _, (kind, attributes) = _run(scheduler, "huge", swf=Swf(payload_store=store))
    assert kind == "ActivityTaskFailed"
    assert "40,002 bytes, over floto's payload cap of 35,000" in attributes["reason"]
    assert store.call_counts["PutObject"] == 0


def test_input_that_is_not_json_fails_the_task(scheduler):
    @activity("needsJson", "1", registry=scheduler.registry)
    def needs_json(context):
        return context

    scheduler.activity_type("needsJson")
    run = scheduler.schedule("needsJson")
    # Replace the decider's JSON with raw text: schedule a second task by hand.
    scheduler.swf.signal_workflow_execution(scheduler.domain, run, "again")
    scheduler.decide(
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "needsJson", "version": "1"},
                "activityId": "raw",
                "input": "not {json",
            },
        }
    )
    worker = scheduler.worker()
    worker.run_once()
    worker.run_once()
    failed = scheduler.wait_for(run, "ActivityTaskFailed")
    assert "the task's input is not JSON" in failed["reason"]
    assert scheduler.event(run, "ActivityTaskCompleted") is not None  # the first one was fine


def test_generator_returning_a_non_list_fails(scheduler):
    @generator("notList", "1", registry=scheduler.registry)
    def not_list():
        return ActivityTask(name="a", version="1")

    scheduler.activity_type("notList")
    _, (kind, attributes) = _run(scheduler, "notList")
    assert kind == "ActivityTaskFailed"
    assert "must return a list of floto tasks, got ActivityTask" in attributes["reason"]


def test_generator_returning_non_tasks_fails(scheduler):
    @generator("notTasks", "1", registry=scheduler.registry)
    def not_tasks():
        return [ActivityTask(name="a", version="1"), {"name": "b"}]

    scheduler.activity_type("notTasks")
    _, (kind, attributes) = _run(scheduler, "notTasks")
    assert kind == "ActivityTaskFailed"
    assert "elements that are not floto tasks: [1] dict" in attributes["reason"]


def test_generator_returning_duplicate_ids_fails(scheduler):
    @generator("duplicates", "1", registry=scheduler.registry)
    def duplicates():
        return [ActivityTask(name="a", version="1"), ActivityTask(name="a", version="1")]

    scheduler.activity_type("duplicates")
    _, (kind, attributes) = _run(scheduler, "duplicates")
    assert kind == "ActivityTaskFailed"
    assert "duplicate task ids: a:1:" in attributes["reason"]


def test_worker_keeps_going_after_each_failure_kind(scheduler):
    @activity("boom", "1", registry=scheduler.registry)
    def boom():
        raise KeyError("k")

    @activity("fine", "1", registry=scheduler.registry)
    def fine(context):
        return context["activity_task"]

    for name in ("boom", "fine", "missing"):
        scheduler.activity_type(name)
    runs = [
        scheduler.schedule("boom"),
        scheduler.schedule("missing"),
        scheduler.schedule("fine", context={"activity_task": 0}),
    ]
    worker = scheduler.worker()
    worker.run(max_tasks=3)
    assert worker.tasks_handled == 3
    outcomes = [scheduler.outcome(run) for run in runs]
    assert [kind for kind, _ in outcomes] == [
        "ActivityTaskFailed",
        "ActivityTaskFailed",
        "ActivityTaskCompleted",
    ]
    assert outcomes[0][1]["reason"] == "KeyError: 'k'"
    assert json.loads(outcomes[2][1]["result"]) == 0
