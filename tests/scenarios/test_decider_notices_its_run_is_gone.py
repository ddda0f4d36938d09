"""A run closed from outside (terminated here) sends its decider no decision task: the decider
notices anyway. One with terminate_decider_after_completion stops; others log it once."""

from __future__ import annotations

import logging
import time

from floto.decider import Decider
from floto.specs.task import ActivityTask


def _wait_for_event(scenario, workflow_id, event_type, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(e["eventType"] == event_type for e in scenario.history(workflow_id)):
            return
        time.sleep(0.2)
    raise AssertionError(f"no {event_type} in {workflow_id} within {timeout} s")


def test_a_terminated_run_stops_a_terminate_after_completion_decider(scenario):
    task = ActivityTask(name="sleep", version="1", input={"seconds": 1}, task_list="nobody")
    spec = scenario.spec([task], terminate_decider_after_completion=True)
    decider = scenario.decider(spec, gone_check_seconds=1)
    scenario.start("doomed")
    _wait_for_event(scenario, "doomed", "ActivityTaskScheduled")
    assert decider.is_alive()
    scenario.swf.terminate_workflow_execution(scenario.domain, "doomed", reason="from outside")
    decider.join(60)
    assert not decider.is_alive(), "the decider kept polling after its run was terminated"
    assert decider.exitcode == 0
    assert scenario.wait("doomed").status == "terminated"


def test_another_decider_logs_a_terminated_run_once_and_goes_on(scenario, caplog):
    task = ActivityTask(name="sleep", version="1", input={"seconds": 1}, task_list="nobody")
    decider = Decider(scenario.spec([task]), gone_check_seconds=0)
    scenario.start("doomed")
    assert decider.run_once()  # schedules the task
    scenario.swf.terminate_workflow_execution(scenario.domain, "doomed", reason="from outside")
    with caplog.at_level(logging.WARNING, logger="floto.decider"):
        for _ in range(3):
            decider.run_once()  # idle polls, each followed by a check
    gone = [r for r in caplog.records if "closed without this decider" in r.getMessage()]
    assert len(gone) == 1 and "TERMINATED" in gone[0].getMessage()
    assert not decider.stopping
