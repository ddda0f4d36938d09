"""Timers delay their dependents, and a timer as a sink delays the run's completion: an hour
each, on the time-skipping engine (a moment of wall time, an hour of engine time)."""

import pytest
from scenario_activities import REGISTRY

from floto.ids import to_swf_id
from floto.specs.task import ActivityTask, Timer
from floto.testing import assert_ran_in_order

pytestmark = pytest.mark.floto_env(registry=REGISTRY, worker_processes=True, time_skipping=True)
HOUR = 3600


def test_a_timer_inside_the_graph_delays_the_next_task(floto_env):
    a = ActivityTask(name="add", version="1", input={"n": 1})
    wait = Timer(id_="wait:1h", delay_in_seconds=HOUR, requires=[a])
    b = ActivityTask(name="echo", version="1", requires=[wait])
    assert floto_env.run([a, wait, b]) == {b.id_: {"context": {}}}  # timers pass no result on
    state = floto_env.state()
    assert_ran_in_order(state, a, wait, b)
    timer = state.tasks["wait:1h"].attempts[0]
    assert (timer.closed_at - timer.scheduled_at).total_seconds() >= HOUR
    assert (state.tasks[b.id_].scheduled_at - state.tasks[a.id_].closed_at).total_seconds() >= HOUR
    (started,) = [e for e in floto_env.history() if e["eventType"] == "TimerStarted"]
    assert started["timerStartedEventAttributes"]["timerId"] == to_swf_id("wait:1h")


def test_a_timer_as_a_sink_keeps_the_run_open_until_it_fires(floto_env):
    a = ActivityTask(name="add", version="1", input={"n": 5})
    minimum = Timer(id_="minimum_run_time", delay_in_seconds=HOUR)
    assert floto_env.run([a, minimum]) == {a.id_: 5}
    state = floto_env.state()
    assert (state.closed_at - state.started_at).total_seconds() >= HOUR
