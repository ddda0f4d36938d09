"""A one-task workflow completes with {task id: result}; the activity sees the seed's context."""

import pytest
from scenario_activities import REGISTRY

from floto.specs.task import ActivityTask
from floto.testing import assert_ran

pytestmark = pytest.mark.floto_env(registry=REGISTRY, worker_processes=True, workers=1)


def test_task_with_context_sees_workflow_input_and_its_own_input(floto_env):
    task = ActivityTask(name="echo", version="1", input={"x": 1})
    assert floto_env.run([task], input={"foo": "bar"}) == {
        task.id_: {"context": {"activity_task": {"x": 1}, "workflow": {"foo": "bar"}}}
    }


def test_task_without_context_completes_with_an_empty_result(floto_env):
    task = ActivityTask(name="no_context", version="1")
    assert floto_env.run([task]) == {}
    assert_ran(floto_env.state(), task, times=1)
