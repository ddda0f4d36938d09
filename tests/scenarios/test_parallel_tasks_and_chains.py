"""Independent tasks are scheduled together; a chain passes each result to the next task."""

from floto.specs.task import ActivityTask


def test_two_parallel_tasks_are_scheduled_in_one_decision(scenario):
    a = ActivityTask(name="add", version="1", input={"n": 1})
    b = ActivityTask(name="add", version="1", input={"n": 2})
    scenario.decider(scenario.spec([a, b], terminate_decider_after_completion=True))
    scenario.workers(2)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {a.id_: 1, b.id_: 2}
    scheduled = outcome.events("ActivityTaskScheduled")
    assert len(scheduled) == 2
    assert len({e["decisionTaskCompletedEventId"] for e in scheduled}) == 1


def test_a_chain_passes_results_and_completes_with_the_sink_only(scenario):
    a = ActivityTask(name="add", version="1", input={"n": 1})
    b = ActivityTask(name="add", version="1", input={"n": 10}, requires=[a])
    c = ActivityTask(name="echo", version="1", requires=[b])
    scenario.decider(scenario.spec([a, b, c], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start(input={"ignored": "by dependents"})
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    # b saw a's result (1) and its own input (10); c sees only b's result: no workflow input.
    assert outcome.result == {c.id_: {"context": {b.id_: 11}}}


def test_an_activity_returning_zero_passes_zero_on(scenario):
    zero = ActivityTask(name="zero", version="1")
    after = ActivityTask(name="echo", version="1", requires=[zero])
    alone = ActivityTask(name="zero", version="1", input={"sink": True})
    scenario.decider(scenario.spec([zero, after, alone], terminate_decider_after_completion=True))
    scenario.workers(2)
    scenario.start(input=0)
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {after.id_: {"context": {zero.id_: 0}}, alone.id_: 0}
