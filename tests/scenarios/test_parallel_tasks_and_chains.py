"""Independent tasks are scheduled together; a chain passes each result to the next task."""

import pytest
from scenario_activities import REGISTRY

from floto.specs.task import ActivityTask
from floto.testing import assert_ran_in_order, tasks_run

pytestmark = pytest.mark.floto_env(registry=REGISTRY, worker_processes=True)


def test_two_parallel_tasks_are_scheduled_in_one_decision(floto_env):
    a = ActivityTask(name="add", version="1", input={"n": 1})
    b = ActivityTask(name="add", version="1", input={"n": 2})
    assert floto_env.run([a, b]) == {a.id_: 1, b.id_: 2}
    state = floto_env.state()
    assert sorted(tasks_run(state)) == sorted([a.id_, b.id_])
    first, second = (state.tasks[t].attempts[0].scheduled_event_id for t in tasks_run(state))
    assert second == first + 1  # side by side in the history: one decision scheduled both


def test_a_chain_passes_results_and_completes_with_the_sink_only(floto_env):
    a = ActivityTask(name="add", version="1", input={"n": 1})
    b = ActivityTask(name="add", version="1", input={"n": 10}, requires=[a])
    c = ActivityTask(name="echo", version="1", requires=[b])
    # b saw a's result (1) and its own input (10); c sees only b's result: no workflow input.
    assert floto_env.run([a, b, c], input={"ignored": "by dependents"}) == {
        c.id_: {"context": {b.id_: 11}}
    }
    assert_ran_in_order(floto_env.state(), a, b, c)


def test_an_activity_returning_zero_passes_zero_on(floto_env):
    zero = ActivityTask(name="zero", version="1")
    after = ActivityTask(name="echo", version="1", requires=[zero])
    alone = ActivityTask(name="zero", version="1", input={"sink": True})
    assert floto_env.run([zero, after, alone], input=0) == {
        after.id_: {"context": {zero.id_: 0}},
        alone.id_: 0,
    }
