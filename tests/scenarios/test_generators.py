"""A generator's tasks join the graph; its dependents wait for all of them."""

import pytest
from scenario_activities import REGISTRY

from floto.specs.task import ActivityTask, Generator
from floto.testing import RunFailed, assert_ran, assert_ran_in_order, attempt_counts

pytestmark = pytest.mark.floto_env(registry=REGISTRY, worker_processes=True)


def test_a_generator_fans_out_and_its_dependent_gets_every_generated_result(floto_env):
    gen = Generator(name="fan_out", version="1", input={"count": 3})
    total = ActivityTask(name="add", version="1", requires=[gen])
    # copies return 0, 1, 2 and lengths 100 + their copy's result: 0+1+2 + 100+101+102
    assert floto_env.run([gen, total]) == {total.id_: 306}
    state = floto_env.state()
    assert len(attempt_counts(state)) == 1 + 6 + 1
    generated = [t for t, ts in state.tasks.items() if ts.generated_by == gen.id_]
    assert len(generated) == 6
    for task_id in generated:
        assert_ran_in_order(state, gen, task_id, total)


def test_an_empty_generator_lets_its_dependents_run(floto_env):
    gen = Generator(name="empty_generator", version="1")
    after = ActivityTask(name="zero", version="1", requires=[gen])
    assert floto_env.run([gen, after]) == {after.id_: 0}
    assert_ran_in_order(floto_env.state(), gen, after)


def test_a_generator_returning_a_task_with_an_unknown_requirement_fails_the_run(floto_env):
    gen = Generator(name="bad_generator", version="1")
    with pytest.raises(RunFailed) as caught:
        floto_env.run([gen])
    assert caught.value.status == "failed"
    assert caught.value.reason.startswith(f"task {gen.id_} failed: generator returned bad tasks")
    assert "unknown task id 'nobody:1:0000000000'" in caught.value.failures[gen.id_]
    assert_ran(floto_env.state(), gen, times=1)
