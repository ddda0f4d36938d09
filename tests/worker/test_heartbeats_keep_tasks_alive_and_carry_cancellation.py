"""Heartbeats keep a long activity alive, and a cancellation request turns into Canceled."""

from __future__ import annotations

import threading
import time

from scheduling import scheduler_fixture, swf_fixture  # noqa: F401  (pytest fixtures)

import floto
from floto.worker import activity


def run_and_cancel(scheduler, name: str, after=None) -> str:
    """Run activity ``name`` on a worker beating every 0.25 s, request its cancellation once
    it started (``after()`` then), and wait for the worker; returns the run's workflow id."""
    scheduler.activity_type(name)
    run = scheduler.schedule(name, task_id=f"{name}:1:abc")
    worker = scheduler.worker(heartbeat_in_seconds=0.25)
    thread = threading.Thread(target=worker.run_once)
    thread.start()
    try:
        scheduler.wait_for(run, "ActivityTaskStarted")
        scheduler.swf.signal_workflow_execution(scheduler.domain, run, "please-cancel")
        attributes = {"activityId": f"{name}%3A1%3Aabc"}
        scheduler.decide(
            {
                "decisionType": "RequestCancelActivityTask",
                "requestCancelActivityTaskDecisionAttributes": attributes,
            }
        )
    finally:
        if after is not None:
            after()
        thread.join(timeout=25)
    return run


def test_heartbeats_keep_a_3s_activity_alive_under_a_1s_heartbeat_timeout(scheduler):
    @activity("slow", "1", registry=scheduler.registry)
    def slow():
        time.sleep(3)  # three heartbeat timeouts
        return "survived"

    scheduler.activity_type("slow", default_task_heartbeat_timeout=1)
    with_beats = scheduler.schedule("slow", task_list="beating")
    without_beats = scheduler.schedule("slow", task_list="silent")
    workers = [
        scheduler.worker("beating", heartbeat_in_seconds=0.25),  # four per timeout
        scheduler.worker("silent", heartbeat_in_seconds=0),  # the control: no heartbeats
    ]
    threads = [threading.Thread(target=worker.run, kwargs={"max_tasks": 1}) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    kind, attributes = scheduler.outcome(with_beats)
    assert (kind, attributes["result"]) == ("ActivityTaskCompleted", '"survived"')
    kind, attributes = scheduler.outcome(without_beats)
    assert (kind, attributes["timeoutType"]) == ("ActivityTaskTimedOut", "HEARTBEAT")
    assert not [t for t in threading.enumerate() if t.name.startswith("floto-heartbeat")]


def test_cancel_request_seen_by_a_heartbeat_makes_the_task_canceled(scheduler):
    cancel_sent = threading.Event()

    @activity("cancellable", "1", registry=scheduler.registry)
    def cancellable():
        cancel_sent.wait(10)
        time.sleep(1.0)  # a few heartbeats after the request
        return "finished anyway"

    run = run_and_cancel(scheduler, "cancellable", after=cancel_sent.set)
    kind, attributes = scheduler.outcome(run)
    assert kind == "ActivityTaskCanceled"
    assert attributes["details"] == "cancel requested; completed"
    assert scheduler.event(run, "ActivityTaskCompleted") is None


def test_the_function_hears_of_the_cancel_request_and_stops_early(scheduler):
    seen: list[bool] = []
    began = time.monotonic()

    @activity("stoppable", "1", registry=scheduler.registry)
    def stoppable():
        seen.append(floto.cancel_requested())  # not yet
        while time.monotonic() - began < 20:
            if floto.cancel_requested():
                seen.append(True)
                return "stopped early"
            time.sleep(0.02)
        return "worked to the end"

    run = run_and_cancel(scheduler, "stoppable")
    assert seen == [False, True]
    assert time.monotonic() - began < 10  # it did not work for its 20 s
    kind, attributes = scheduler.outcome(run)
    assert (kind, attributes["details"]) == ("ActivityTaskCanceled", "cancel requested; completed")
    assert floto.cancel_requested() is False  # outside an activity
