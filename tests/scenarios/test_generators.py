"""A generator's tasks join the graph; its dependents wait for all of them."""

from floto.specs.task import ActivityTask, Generator


def test_a_generator_fans_out_and_its_dependent_gets_every_generated_result(scenario):
    gen = Generator(name="fan_out", version="1", input={"count": 3})
    total = ActivityTask(name="add", version="1", requires=[gen])
    scenario.decider(scenario.spec([gen, total], terminate_decider_after_completion=True))
    scenario.workers(2)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome
    # copies return 0, 1, 2 and lengths 100 + their copy's result: 0+1+2 + 100+101+102
    assert outcome.result == {total.id_: 306}
    assert len(outcome.events("ActivityTaskScheduled")) == 1 + 6 + 1


def test_an_empty_generator_lets_its_dependents_run(scenario):
    gen = Generator(name="empty_generator", version="1")
    after = ActivityTask(name="zero", version="1", requires=[gen])
    scenario.decider(scenario.spec([gen, after], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {after.id_: 0}


def test_a_generator_returning_a_task_with_an_unknown_requirement_fails_the_run(scenario):
    gen = Generator(name="bad_generator", version="1")
    scenario.decider(scenario.spec([gen], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run")
    assert outcome.status == "failed"
    assert outcome.reason.startswith(f"task {gen.id_} failed: generator returned bad tasks")
    assert "unknown task id 'nobody:1:0000000000'" in outcome.details[gen.id_]
