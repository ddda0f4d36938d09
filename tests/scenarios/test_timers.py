"""Timers delay their dependents, and a timer as a sink delays the run's completion."""

from floto.ids import to_swf_id
from floto.specs.task import ActivityTask, Timer


def test_a_timer_inside_the_graph_delays_the_next_task(scenario):
    a = ActivityTask(name="add", version="1", input={"n": 1})
    wait = Timer(id_="wait:2s", delay_in_seconds=2, requires=[a])
    b = ActivityTask(name="echo", version="1", requires=[wait])
    scenario.decider(scenario.spec([a, wait, b], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {b.id_: {"context": {}}}  # timers pass no result on
    (started,) = outcome.events("TimerStarted")
    assert started["timerId"] == to_swf_id("wait:2s")
    fired = next(e for e in outcome.history if e["eventType"] == "TimerFired")
    b_scheduled = [e for e in outcome.history if e["eventType"] == "ActivityTaskScheduled"][1]
    assert b_scheduled["eventId"] > fired["eventId"]


def test_a_timer_as_a_sink_keeps_the_run_open_until_it_fires(scenario):
    a = ActivityTask(name="add", version="1", input={"n": 5})
    minimum = Timer(id_="minimum_run_time", delay_in_seconds=3)
    scenario.decider(scenario.spec([a, minimum], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {a.id_: 5}
    started = outcome.history[0]["eventTimestamp"]
    closed = outcome.history[-1]["eventTimestamp"]
    assert (closed - started).total_seconds() >= 3
