"""Any activity input fails at most its own task, with a clear reason; the worker goes on
(issue 12, hole 2: a worker process died of an input nested 3,000 deep)."""

from __future__ import annotations

import json

import pytest
from scheduling import scheduler_fixture, swf_fixture  # noqa: F401  (pytest fixtures)

from floto.worker import ActivityRegistry, activity


@pytest.mark.parametrize(
    ("input_text", "words"),
    [
        ("[" * 3000 + "]" * 3000, "nests arrays and objects deeper than floto's limit of 128"),
        ('{"a":' * 3000 + "1" + "}" * 3000, "deeper than floto's limit of 128 levels"),
        ("[" * 16_000, "deeper than floto's limit"),
        ('{"workflow": NaN}', "NaN is not a number JSON allows"),
        ('{"workflow": [1e999]}', "the number 1e999 is out of range"),
        ('{"workflow": ' + "7" * 5000 + "}", "an integer of 5,000 digits is out of range"),
        ("not {json", "not valid JSON"),
    ],
    ids=["deep arrays", "deep objects", "unclosed", "NaN", "1e999", "huge int", "not json"],
)
def test_a_hostile_input_fails_its_task_and_the_worker_runs_the_next(scheduler, input_text, words):
    @activity("echo", "1", registry=scheduler.registry)
    def echo(context):
        return context

    scheduler.activity_type("echo")
    hostile = scheduler.schedule("echo", input_text=input_text)
    fine = scheduler.schedule("echo", context={"activity_task": 1})
    worker = scheduler.worker()
    worker.run(max_tasks=2)  # returns only if the worker survived the first task
    assert worker.tasks_handled == 2
    kind, attributes = scheduler.outcome(hostile)
    assert kind == "ActivityTaskFailed"
    assert attributes["reason"].startswith("the task's input is not JSON floto reads: ")
    assert words in attributes["reason"]
    kind, attributes = scheduler.outcome(fine)
    assert kind == "ActivityTaskCompleted"
    assert json.loads(attributes["result"]) == {"activity_task": 1}


def test_a_result_deeper_than_floto_reads_back_fails_the_task(scheduler):
    @activity("deep", "1", registry=scheduler.registry)
    def deep():
        value: list = []
        for _ in range(500):
            value = [value]
        return value

    scheduler.activity_type("deep")
    run = scheduler.schedule("deep")
    scheduler.worker().run_once()
    kind, attributes = scheduler.outcome(run)
    assert kind == "ActivityTaskFailed"
    assert attributes["reason"] == (
        "activity 'deep' version '1' returned a value that nests arrays and objects deeper "
        "than floto's limit of 100 levels"
    )


class BrokenRegistry(ActivityRegistry):
    """A registry whose lookup fails once: a stand-in for any bug handling one task."""

    broken = True

    def get(self, name, version):
        if self.broken:
            self.broken = False
            raise RuntimeError("lookup exploded")
        return super().get(name, version)


def test_a_bug_handling_one_task_fails_that_task_and_the_worker_goes_on(scheduler):
    scheduler.registry = BrokenRegistry()

    @activity("fine", "1", registry=scheduler.registry)
    def fine():
        return "ok"

    scheduler.activity_type("fine")
    first, second = scheduler.schedule("fine"), scheduler.schedule("fine")
    worker = scheduler.worker()
    worker.run(max_tasks=2)
    kind, attributes = scheduler.outcome(first)
    assert kind == "ActivityTaskFailed"
    assert attributes["reason"] == "RuntimeError: lookup exploded"
    assert "floto's worker handling activity task" in attributes["details"]
    kind, attributes = scheduler.outcome(second)
    assert (kind, attributes["result"]) == ("ActivityTaskCompleted", '"ok"')
