"""The worker hands functions their context and sends their return values as JSON results."""

from __future__ import annotations

import json
import os
import socket

import pytest
from scheduling import scheduler_fixture, swf_fixture  # noqa: F401  (pytest fixtures)

from floto.specs import decode_tasks
from floto.specs.task import ActivityTask, Timer
from floto.worker import activity, generator


def test_function_with_context_gets_the_parsed_input(scheduler):
    seen = []

    @activity("withContext", "1", registry=scheduler.registry)
    def with_context(context):
        seen.append(context)
        return {"your": "result", "n": context["workflow"]["n"] + 1}

    scheduler.activity_type("withContext")
    context = {"workflow": {"n": 41}, "activity_task": [1, 2], "prev:1:abc": "x"}
    run = scheduler.schedule("withContext", context=context)
    assert scheduler.worker().run_once() is True
    kind, attributes = scheduler.outcome(run)
    assert kind == "ActivityTaskCompleted"
    assert seen == [context]
    assert json.loads(attributes["result"]) == {"your": "result", "n": 42}


def test_function_without_context_is_called_without_arguments(scheduler):
    @activity("noContext", "1", registry=scheduler.registry)
    def no_context():
        return "plain"

    scheduler.activity_type("noContext")
    run = scheduler.schedule("noContext", context={"workflow": 1})
    scheduler.worker().run_once()
    assert scheduler.outcome(run) == (
        "ActivityTaskCompleted",
        {"result": '"plain"', **_ids(scheduler, run)},
    )


def _ids(scheduler, run):
    completed = scheduler.event(run, "ActivityTaskCompleted")
    return {key: completed[key] for key in ("scheduledEventId", "startedEventId")}


def test_absent_input_is_an_empty_context(scheduler):
    seen = []

    @activity("empty", "1", registry=scheduler.registry)
    def empty(context):
        seen.append(context)

    scheduler.activity_type("empty")
    run = scheduler.schedule("empty")
    scheduler.worker().run_once()
    kind, attributes = scheduler.outcome(run)
    assert kind == "ActivityTaskCompleted"
    assert seen == [{}]
    assert "result" not in attributes  # None means no result


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), ("", '""'), ([], "[]"), ({}, "{}"), (False, "false"), ("42", '"42"')],
)
def test_falsy_and_string_results_are_sent_as_json(scheduler, value, text):
    @activity("value", "1", registry=scheduler.registry)
    def returns_value():
        return value

    scheduler.activity_type("value")
    run = scheduler.schedule("value")
    scheduler.worker().run_once()
    kind, attributes = scheduler.outcome(run)
    assert (kind, attributes.get("result")) == ("ActivityTaskCompleted", text)
    assert json.loads(attributes["result"]) == value


def test_generator_result_is_a_json_list_of_task_documents(scheduler):
    @generator("spawn", "1", registry=scheduler.registry)
    def spawn(context):
        first = ActivityTask(name="copyFile", version="1", input=context["activity_task"])
        return [first, ActivityTask(name="fileLength", version="1", requires=[first])]

    scheduler.activity_type("spawn")
    run = scheduler.schedule("spawn", context={"activity_task": "2016-02-01"})
    scheduler.worker().run_once()
    kind, attributes = scheduler.outcome(run)
    assert kind == "ActivityTaskCompleted"
    tasks = decode_tasks(json.loads(attributes["result"]), check_graph=False)
    assert [t.name for t in tasks] == ["copyFile", "fileLength"]
    assert tasks[1].required_ids == [tasks[0].id_]


def test_generator_may_return_no_tasks(scheduler):
    @generator("nothing", "1", registry=scheduler.registry)
    def nothing():
        return []

    scheduler.activity_type("nothing")
    run = scheduler.schedule("nothing")
    scheduler.worker().run_once()
    assert scheduler.outcome(run)[1]["result"] == "[]"


def test_generator_timers_keep_their_ids(scheduler):
    @generator("timers", "1", registry=scheduler.registry)
    def timers():
        return [Timer(id_="wait:5", delay_in_seconds=5)]

    scheduler.activity_type("timers")
    run = scheduler.schedule("timers")
    scheduler.worker().run_once()
    assert json.loads(scheduler.outcome(run)[1]["result"])[0]["id_"] == "wait:5"


def test_worker_reports_host_and_pid_identity_by_default(scheduler):
    @activity("who", "1", registry=scheduler.registry)
    def who():
        return None

    scheduler.activity_type("who")
    run = scheduler.schedule("who")
    scheduler.worker().run_once()
    scheduler.outcome(run)
    started = scheduler.event(run, "ActivityTaskStarted")
    assert started["identity"] == f"{socket.gethostname()}:{os.getpid()}"


def test_an_empty_poll_handles_nothing(scheduler):
    assert scheduler.worker().run_once() is False
