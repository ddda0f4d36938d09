"""A launcher looks functions up at task time, registers each type once, refuses what it
cannot serve before anything starts, never lets two workflows share a decider, and stops
promptly."""

from __future__ import annotations

import time

import pytest

import floto
from floto.errors import UnservedTaskError
from floto.launch import Launcher, LaunchError
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask


def _answer(registry, value):
    """Register (or re-register, as a re-run notebook cell does) activity 'answer'."""

    def answer():
        return value

    floto.activity("answer", "1", registry=registry)(answer)


def test_a_function_redefined_later_is_the_one_that_runs_next(launcher, registry):
    _answer(registry, 1)
    task = ActivityTask("answer", "1")
    assert launcher.wait(launcher.launch(task), timeout=30).result == {task.id_: 1}
    _answer(registry, 2)
    assert launcher.wait(launcher.launch(task), timeout=30).result == {task.id_: 2}


def test_types_are_registered_once_and_another_launcher_finds_them_registered(
    launcher, registry, domain
):
    _answer(registry, 1)
    task = ActivityTask("answer", "1")
    for run in [launcher.launch(task), launcher.launch(task)]:
        launcher.wait(run, timeout=30)
    calls = launcher.swf.call_counts
    assert calls["RegisterActivityType"] == 1 and calls["RegisterWorkflowType"] == 1
    assert calls["RegisterDomain"] == 1
    other = Launcher(domain, registry=registry, workers=1, heartbeat_in_seconds=0)
    try:
        assert other.wait(other.launch(task), timeout=30).result == {task.id_: 1}
    finally:
        other.stop(timeout=0)


def test_unserved_activities_are_refused_before_anything_starts(launcher, registry):
    _answer(registry, 1)
    ghost = ActivityTask("ghost", "1", requires=[ActivityTask("answer", "1")])
    with pytest.raises(UnservedTaskError, match="ghost") as caught:
        launcher.launch(ghost)
    assert caught.value.task_ids == [ghost.id_]
    assert launcher.swf.list_workflow_executions(launcher.domain) == []
    assert not [s for s in launcher.services if s.kind == "decider"]


def test_each_workflow_gets_its_own_decider_and_a_workflow_launched_again_reuses_it(
    launcher, registry
):
    _answer(registry, 1)
    one, two = ActivityTask("answer", "1"), ActivityTask("answer", "1", input="two")
    launched = [launcher.launch(workflow) for workflow in (one, two, one)]
    for run in launched:
        assert launcher.wait(run, timeout=30).status.value == "completed"
    deciders = [s for s in launcher.services if s.kind == "decider"]
    assert len(deciders) == 2
    assert launched[0].task_list == launched[2].task_list != launched[1].task_list


def test_a_task_list_already_serving_another_workflow_is_refused(launcher, registry):
    _answer(registry, 1)
    first = DeciderSpec(domain=launcher.domain, task_list="shared",
                        activity_tasks=[ActivityTask("answer", "1")])  # fmt: skip
    second = DeciderSpec(domain=launcher.domain, task_list="shared",
                         activity_tasks=[ActivityTask("answer", "1", input=2)])  # fmt: skip
    launcher.launch(first)
    with pytest.raises(LaunchError, match="'shared' is already served"):
        launcher.launch(second)


def test_stop_returns_promptly_and_the_pollers_end_on_their_own(local_engine, registry, domain):
    _answer(registry, 1)
    launcher = Launcher(domain, registry=registry, workers=2, heartbeat_in_seconds=0).start()
    launcher.ensure_decider(DeciderSpec(domain=domain, task_list="idle_deciders",
                                        activity_tasks=[ActivityTask("answer", "1")]))  # fmt: skip
    began = time.monotonic()
    still_polling = launcher.stop(timeout=0.2)
    assert time.monotonic() - began < 2
    assert set(still_polling) <= {s.name for s in launcher.services}
    deadline = time.monotonic() + local_engine.poll_wait + 10  # an idle poll's length, and more
    while any(s.alive for s in launcher.services) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [s for s in launcher.services if s.alive]
    assert all(s.error is None for s in launcher.services)
    with pytest.raises(LaunchError, match="stopped"):
        launcher.launch(ActivityTask("answer", "1"))
