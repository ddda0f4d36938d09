"""The seed README's generator example, nested generators, generated tasks requiring spec
tasks, retry timers beside look-alike Timer ids, and non-ASCII ids and inputs."""

import pytest

from floto.decider import DynamicDecider
from floto.specs.retry_strategy import DelayedRetry
from floto.specs.task import ActivityTask, Generator, Timer


def test_the_seed_week_days_generator_runs_unchanged_under_a_dynamic_decider(scenario):
    scenario.decider(scenario.spec([]), cls=DynamicDecider)
    scenario.workers(2)
    week = Generator(name="weekDays", version="1")
    scenario.start(input={"activity_tasks": [week], "from_date": "2016-01-01",
                          "to_date": "2016-01-07"})  # fmt: skip
    outcome = scenario.wait("run", timeout=60)
    assert outcome.status == "completed", outcome
    # 2016-01-01 is a Friday: weekdays 1, 4, 5, 6, 7 January; each fileLength is a sink
    assert sorted(outcome.result.values()) == [len("/data/2016-01-01")] * 5
    assert len(outcome.events("ActivityTaskScheduled")) == 1 + 5 * 2


def test_nested_generators_feed_every_generated_result_to_the_outer_dependent(scenario):
    outer = Generator(name="nested_outer", version="1")
    final = ActivityTask(name="echo", version="1", requires=[outer])
    scenario.decider(scenario.spec([outer, final]))
    scenario.workers(2)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome
    # final waits for inner's tasks (0, 1) and for `after` (1000 + 0 + 1); never for generators
    context = outcome.result[final.id_]["context"]
    assert sorted(context.values()) == [0, 1, 1001]


def test_a_generated_task_may_require_a_task_of_the_spec(scenario):
    outside = ActivityTask(name="add", version="1", id_="add:1:outside", input={"n": 5})
    gen = Generator(name="needs_outside", version="1")
    final = ActivityTask(name="add", version="1", requires=[gen])
    scenario.decider(scenario.spec([outside, gen, final]))
    scenario.workers(2)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome
    assert outcome.result == {final.id_: 12}  # the generated task: 7 + outside's 5


@pytest.mark.time_skipping
def test_delayed_retries_are_not_confused_with_timers_whose_ids_look_alike(scenario, tmp_path):
    flaky = ActivityTask(
        name="flaky", version="1", id_="t",
        input={"dir": str(tmp_path), "key": "t", "fail_times": 2},
        retry_strategy=DelayedRetry(retries=3, initial_delay_in_seconds=1, backoff_factor=1),
    )  # fmt: skip
    timers = [Timer(id_=i, delay_in_seconds=1) for i in ("%retry1.t", "retry1.t", "%wake5")]
    scenario.decider(scenario.spec([flaky, *timers]), cache_size=0)  # every decision cold
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome
    assert outcome.result == {"t": {"calls": 3}}
    assert len(outcome.events("TimerFired")) == 3 + 2  # the user timers and two retry timers


def test_non_ascii_task_ids_workflow_ids_and_inputs_round_trip(scenario):
    a = ActivityTask(name="echo", version="1", id_="ä:ü/ß 日本", input={"k": "☃ \u2028 \x00"})
    b = ActivityTask(name="echo", version="1", requires=[a], input="ünï")
    scenario.decider(scenario.spec([a, b]))
    scenario.workers(1)
    scenario.start("wf-日本", input={"w": "é"})
    outcome = scenario.wait("wf-日本")
    assert outcome.status == "completed", outcome
    seen_by_a = {"activity_task": {"k": "☃ \u2028 \x00"}, "workflow": {"w": "é"}}
    assert outcome.result == {b.id_: {"context": {a.id_: {"context": seen_by_a},
                                                  "activity_task": "ünï"}}}  # fmt: skip
