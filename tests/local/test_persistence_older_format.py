"""A data dir of the previous data format (1) is read, and from then on written as format 2.

tests/local/data/format-1/engine.sqlite3 was written by floto's engine before issue 20 (main at
76395e1, moto 5.2.5; data format 1): a domain "old" with workflow type wf/1 and activity type
act/1 (deprecated, then undeprecated), run w1 (activity a1 scheduled), then a clean stop (a
snapshot), a restart, run w2 started and w1 signalled (two journal entries), then SIGKILL.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from floto.local import LocalEngine
from floto.local._store import FILE_NAME, FORMAT

FORMAT_1 = Path(__file__).parent / "data" / "format-1"


def _format_of(folder: Path) -> int:
    db = sqlite3.connect(folder / FILE_NAME)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def _runs(swf: Any) -> dict[str, dict[str, str]]:
    """Every run of the domain "old", open or closed (the recorded runs time out an hour after
    they were written: whether they have by now depends on when the test runs)."""
    found = {}
    for lister in (swf.list_open_workflow_executions, swf.list_closed_workflow_executions):
        for info in lister(domain="old", startTimeFilter={"oldestDate": 0})["executionInfos"]:
            found[info["execution"]["workflowId"]] = info["execution"]
    return found


def _history(swf: Any, execution: dict[str, str]) -> list[str]:
    events = swf.get_workflow_execution_history(domain="old", execution=execution)["events"]
    return [event["eventType"] for event in events]


def _run_one_activity(swf: Any) -> dict[str, str]:
    run = swf.start_workflow_execution(
        domain="old", workflowId="w3", workflowType={"name": "wf", "version": "1"}
    )
    task = swf.poll_for_decision_task(domain="old", taskList={"name": "deciders"})
    while task["workflowExecution"]["workflowId"] != "w3":  # w1's pending one comes first
        swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])
        task = swf.poll_for_decision_task(domain="old", taskList={"name": "deciders"})
    attrs = {"activityType": {"name": "act", "version": "1"}, "activityId": "a3"}
    swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": attrs,
            }
        ],
    )
    activity = swf.poll_for_activity_task(domain="old", taskList={"name": "workers"})
    while activity["activityId"] != "a3":  # w1's a1, if w1 is still open
        activity = swf.poll_for_activity_task(domain="old", taskList={"name": "workers"})
    swf.respond_activity_task_completed(taskToken=activity["taskToken"], result="done")
    return {"workflowId": "w3", "runId": run["runId"]}


def test_a_format_1_data_dir_is_read_and_carried_on(tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FORMAT_1, data)
    assert _format_of(data) == 1
    with LocalEngine(data_dir=str(data), poll_wait=1) as engine:
        swf = engine.client("swf")
        runs = _runs(swf)
        assert sorted(runs) == ["w1", "w2"]
        assert _history(swf, runs["w1"])[:7] == [  # then its time-out (by now)
            "WorkflowExecutionStarted",
            "DecisionTaskScheduled",
            "DecisionTaskStarted",
            "DecisionTaskCompleted",
            "ActivityTaskScheduled",
            "WorkflowExecutionSignaled",
            "DecisionTaskScheduled",
        ]
        old = swf.describe_activity_type(domain="old", activityType={"name": "act", "version": "1"})
        assert old["typeInfo"]["status"] == "REGISTERED"
        w3 = _run_one_activity(swf)
        swf.register_activity_type(domain="old", name="new", version="1")
    assert _format_of(data) == FORMAT
    with LocalEngine(data_dir=str(data), poll_wait=1) as engine:  # format 2 with format 1's types
        swf = engine.client("swf")
        assert _history(swf, w3)[-2:] == ["ActivityTaskCompleted", "DecisionTaskScheduled"]
        new = swf.describe_activity_type(domain="old", activityType={"name": "new", "version": "1"})
        assert new["typeInfo"]["creationDate"].year >= 2026
