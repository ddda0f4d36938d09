"""An activity that exits, is interrupted or returns non-standard JSON fails its task."""

from __future__ import annotations

import math
import sys

import pytest
from scheduling import scheduler_fixture, swf_fixture  # noqa: F401  (pytest fixtures)

from floto.worker import activity


def _run(scheduler, name, version="1", **schedule):
    run = scheduler.schedule(name, version, **schedule)
    worker = scheduler.worker()
    handled = worker.run_once()
    return worker, handled, scheduler.outcome(run)


def test_sys_exit_in_an_activity_fails_the_task_and_the_worker_goes_on(scheduler):
    @activity("exits", "1", registry=scheduler.registry)
    def exits():
        sys.exit(3)

    scheduler.activity_type("exits")
    worker, handled, (kind, attributes) = _run(scheduler, "exits")
    assert handled is True and not worker.stopping
    assert kind == "ActivityTaskFailed"
    assert attributes["reason"] == "SystemExit: 3"


def test_keyboard_interrupt_in_an_activity_fails_the_task_then_stops_the_worker(scheduler):
    @activity("interrupted", "1", registry=scheduler.registry)
    def interrupted():
        raise KeyboardInterrupt

    scheduler.activity_type("interrupted")
    run = scheduler.schedule("interrupted")
    worker = scheduler.worker()
    with pytest.raises(KeyboardInterrupt):
        worker.run_once()
    kind, attributes = scheduler.outcome(run)
    assert kind == "ActivityTaskFailed"
    assert attributes["reason"] == "KeyboardInterrupt"


@pytest.mark.parametrize("value", [math.nan, math.inf, {"x": -math.inf}])
def test_nan_and_infinity_results_fail_the_task_as_not_json(scheduler, value):
    @activity("nan", "1", registry=scheduler.registry)
    def nan():
        return value

    scheduler.activity_type("nan")
    _, _, (kind, attributes) = _run(scheduler, "nan")
    assert kind == "ActivityTaskFailed"
    assert "not JSON-serialisable" in attributes["reason"]


def test_a_set_result_fails_the_task_as_not_json(scheduler):
    @activity("aSet", "1", registry=scheduler.registry)
    def a_set():
        return {1, 2}

    scheduler.activity_type("aSet")
    _, _, (kind, attributes) = _run(scheduler, "aSet")
    assert kind == "ActivityTaskFailed"
    assert "not JSON-serialisable" in attributes["reason"]


def test_an_exception_whose_message_cannot_be_read_still_fails_the_task(scheduler):
    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no message")

    @activity("unprintable", "1", registry=scheduler.registry)
    def unprintable():
        raise Unprintable()

    scheduler.activity_type("unprintable")
    worker, handled, (kind, attributes) = _run(scheduler, "unprintable")
    assert not worker.stopping
    assert handled is True
    assert kind == "ActivityTaskFailed"
    assert attributes["reason"].startswith("Unprintable")


def test_a_result_too_deep_to_encode_fails_the_task(scheduler):
    @activity("deep", "1", registry=scheduler.registry)
    def deep():
        value: list = []
        for _ in range(100_000):
            value = [value]
        return value

    scheduler.activity_type("deep")
    worker, handled, (kind, attributes) = _run(scheduler, "deep")
    assert handled is True and not worker.stopping
    assert kind == "ActivityTaskFailed"
    assert "deeper than floto's limit of 100 levels" in attributes["reason"]
