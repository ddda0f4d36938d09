"""floto.testing.Environment runs a workflow to its end: its result, or RunFailed with the
failures; its state and history; its runs terminated and its pollers stopped on close."""

from __future__ import annotations

import pickle

import pytest
from testing_activities import REGISTRY

import floto
import floto.launch
import floto.testing
from floto.api import Swf
from floto.errors import SpecError
from floto.history import TaskStatus, WorkflowStatus
from floto.local import LocalEngine, is_reachable
from floto.specs.task import ActivityTask, Timer

pytestmark = pytest.mark.floto_env(registry=REGISTRY)


def test_run_returns_the_result_of_the_last_tasks(floto_env):
    a = ActivityTask("add", "1", input={"n": 1})
    b = ActivityTask("add", "1", input={"n": 10}, requires=[a])
    c = ActivityTask("add", "1", input={"n": 100})
    assert floto_env.run([a, b, c]) == {b.id_: 11, c.id_: 100}
    state = floto_env.state()
    assert state.status is WorkflowStatus.COMPLETED
    assert {t: s.status for t, s in state.tasks.items()} == dict.fromkeys(
        [a.id_, b.id_, c.id_], TaskStatus.COMPLETED
    )
    assert floto_env.state(floto_env.runs[0].workflow_id).run_id == state.run_id
    assert floto_env.history()[-1]["eventType"] == "WorkflowExecutionCompleted"


def test_a_failed_run_raises_run_failed_with_its_failures(floto_env):
    ok = ActivityTask("add", "1", id_="ok", input={"n": 1})
    bad = ActivityTask("fails", "1", id_="bad")
    with pytest.raises(floto.testing.RunFailed) as caught:
        floto_env.run([ok, bad])
    error = caught.value
    assert error.status == "failed"
    assert error.failures == {"bad": "ValueError: this activity always fails"}
    assert error.reason == "task bad failed: ValueError: this activity always fails"
    assert str(error).splitlines()[1] == "  bad: ValueError: this activity always fails"
    assert (error.workflow_id, error.run_id) == (floto_env.runs[0].workflow_id,
                                                 floto_env.runs[0].run_id)  # fmt: skip
    assert floto.testing.RunFailed is floto.launch.RunFailed  # one class for every front end
    again = pickle.loads(pickle.dumps(error))
    assert (again.failures, again.status, str(again)) == (error.failures, "failed", str(error))


def test_a_run_that_times_out_raises_run_failed_timed_out(floto_env):
    wait = Timer(id_="wait", delay_in_seconds=60)
    with pytest.raises(floto.testing.RunFailed) as caught:
        floto_env.run([wait], execution_timeout=1)
    assert caught.value.status == "timed_out"
    assert floto_env.state().status is WorkflowStatus.TIMED_OUT


def test_launch_returns_at_once_and_wait_gives_the_state(floto_env):
    wait = Timer(id_="wait", delay_in_seconds=1)
    launched = floto_env.launch([wait], workflow_id="waiting")
    assert floto_env.state("waiting").status is WorkflowStatus.OPEN
    state = floto_env.wait(launched)
    assert state.status is WorkflowStatus.COMPLETED
    assert state.tasks["wait"].status is TaskStatus.COMPLETED


def test_closing_terminates_the_open_runs_and_stops_the_pollers(floto_env_factory):
    env = floto_env_factory(registry=REGISTRY)
    env.launch([Timer(id_="long", delay_in_seconds=3600)], workflow_id="left-open")
    env.close()
    swf = Swf(endpoint_url=env.endpoint_url)
    info = swf.describe_workflow_execution(env.domain, "left-open")["executionInfo"]
    assert info["closeStatus"] == "TERMINATED"
    assert all(s.loop.stopping for s in env.launcher.services)
    env.close()  # twice is fine


@pytest.mark.floto_env(registry=REGISTRY, worker_processes=True, workers=1)
def test_workers_can_be_processes(floto_env):
    import os

    task = ActivityTask("pid", "1")
    (pid,) = floto_env.run([task]).values()
    assert pid != os.getpid()


@pytest.mark.floto_env(workers=3)
def test_the_default_registry_and_marker_options(floto_env):
    assert floto_env.launcher.registry is floto.default_registry
    assert floto_env.workers == 3
    assert floto_env.time_skipping is False


def test_an_environment_starts_and_stops_an_engine_of_its_own():
    with floto.testing.Environment(registry=REGISTRY, workers=1) as env:
        assert env.engine.process is not None  # started here, not attached
        task = ActivityTask("add", "1", input={"n": 2})
        assert env.run(task) == {task.id_: 2}
        url = env.endpoint_url
    assert not is_reachable(url)


def test_bad_combinations_are_refused_naming_the_option(local_engine):
    with pytest.raises(SpecError, match="time_skipping"):
        floto.testing.Environment(time_skipping=True, endpoint_url="http://127.0.0.1:1")
    with pytest.raises(SpecError, match="real time"):
        floto.testing.Environment(time_skipping=True, engine=local_engine)
    with pytest.raises(SpecError, match="not both"):
        floto.testing.Environment(engine=local_engine, endpoint_url=local_engine.endpoint_url)
    with pytest.raises(SpecError, match="not running"):
        floto.testing.Environment(engine=LocalEngine()).start()
    env = floto.testing.Environment(engine=local_engine)
    with pytest.raises(RuntimeError, match="not started"):
        env.run([ActivityTask("add", "1")])


def test_unknown_marker_options_are_named(floto_env_factory):
    with pytest.raises(TypeError, match="worker_count"):
        floto_env_factory(worker_count=2)


def test_a_run_needing_an_unserved_activity_is_refused_before_it_starts(floto_env):
    from floto.errors import UnservedTaskError

    with pytest.raises(UnservedTaskError):
        floto_env.run([ActivityTask("nobody_serves_this", "1")])
    assert floto_env.runs == []


def test_state_reads_a_stored_result_as_run_returns_it(floto_env):
    task = ActivityTask("big", "1", input={"size": 100_000})
    assert floto_env.run([task]) == {task.id_: "x" * 100_000}
    state = floto_env.state()  # read through the payload store, as run() reads it
    assert state.result == {task.id_: "x" * 100_000}
    assert state.tasks[task.id_].result == "x" * 100_000
