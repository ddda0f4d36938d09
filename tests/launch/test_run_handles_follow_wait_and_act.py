"""floto.launch.RunHandle: one run, its ids resolved once; follow, state, wait, result,
failures, terminate and rerun, with stored payloads read as their values."""

from __future__ import annotations

import pytest

import floto
from floto.api import Swf
from floto.errors import SpecError
from floto.history import TaskStatus, WorkflowStatus
from floto.launch import RunFailed, RunHandle, WaitTimeoutError
from floto.specs.task import ActivityTask, Timer

FIXED: list[bool] = []


def _register(registry) -> None:
    @floto.activity("double", "1", registry=registry)
    def double(context):
        return 2 * context["activity_task"]["n"]

    @floto.activity("refuse", "1", registry=registry)
    def refuse(context):
        if not FIXED:
            raise SpecError("not today")
        return "fixed"

    @floto.activity("large", "1", registry=registry)
    def large():
        return "y" * 50_000


def test_a_handle_by_workflow_id_waits_and_reads_the_result(launcher, registry):
    _register(registry)
    task = ActivityTask("double", "1", input={"n": 21})
    launched = launcher.launch([task])
    handle = RunHandle(Swf(), launcher.domain, launched.workflow_id)  # the latest run, once
    assert handle.run_id == launched.run_id
    state = handle.wait(timeout=60)
    assert state.status is WorkflowStatus.COMPLETED and state.is_closed
    assert handle.result == {task.id_: 42}
    assert handle.failures == {}
    assert handle.history()[-1]["eventType"] == "WorkflowExecutionCompleted"
    assert handle.terminate() is False  # closed: nothing sent


def test_follow_yields_states_until_the_run_closes(launcher, registry):
    _register(registry)
    tasks = [ActivityTask("double", "1", input={"n": n}) for n in range(3)]
    handle = launcher.handle(launcher.launch(tasks))
    closed = [state.is_closed for state in handle.follow(every=0.05)]  # one state, updated
    assert closed[-1] and not any(closed[:-1])
    assert handle.known.counts()[TaskStatus.COMPLETED] == 3


def test_a_failed_run_raises_run_failed_and_reruns_from_its_failure(launcher, registry):
    FIXED.clear()
    _register(registry)
    good = ActivityTask("double", "1", id_="good", input={"n": 1})
    bad = ActivityTask("refuse", "1", id_="bad", requires=[good])
    handle = launcher.handle(launcher.launch([good, bad]))
    assert handle.wait(timeout=60).status is WorkflowStatus.FAILED
    assert set(handle.failures) == {"bad"}
    with pytest.raises(RunFailed) as caught:
        _ = handle.result
    assert caught.value.run_id == handle.run_id

    FIXED.append(True)  # the function is fixed
    again = handle.rerun()
    assert (again.workflow_id, again.spec) == (handle.workflow_id, handle.spec)
    assert again.run_id != handle.run_id
    assert again.wait(timeout=60).tasks["good"].status is TaskStatus.REUSED
    assert again.result == {"bad": "fixed"}


def test_wait_gives_up_after_its_timeout_and_terminate_closes_the_run(launcher):
    handle = launcher.handle(launcher.launch([Timer(id_="hour", delay_in_seconds=3600)]))
    with pytest.raises(WaitTimeoutError, match=r"still open after 0\.3 s"):
        handle.wait(timeout=0.3)
    with pytest.raises(ValueError, match="still open"):
        _ = handle.result
    assert handle.terminate("test over") is True
    assert handle.wait(timeout=30).status is WorkflowStatus.TERMINATED


def test_a_stored_result_reads_as_its_value(launcher, registry):
    _register(registry)
    task = ActivityTask("large", "1")
    launched = launcher.launch([task])
    handle = RunHandle(Swf(), launcher.domain, launched.workflow_id, launched.run_id)
    handle.wait(timeout=60)
    assert handle.result == {task.id_: "y" * 50_000}
