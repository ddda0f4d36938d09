"""A data dir of the previous data format (1) is read, and from then on written as format 2.

tests/local/data/format-1/engine.sqlite3 was written by floto's engine before issue 20 (main at
76395e1, moto 5.2.5; data format 1): a domain "old" with workflow type wf/1 and activity type
act/1 (deprecated, then undeprecated), run w1 (activity a1 scheduled), then a clean stop (a
snapshot), a restart, run w2 started and w1 signalled (two journal entries), then SIGKILL.
Both runs have a year's execution timeout and no task timeouts ("NONE"): a data dir is replayed
on the real clock, and the first fixture's one-hour timeouts closed its runs an hour after it
was written.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from floto.local import LocalEngine
from floto.local._store import FILE_NAME, FORMAT

FORMAT_1 = Path(__file__).parent / "data" / "format-1"


def _format_of(folder: Path) -> int:
    db = sqlite3.connect(folder / FILE_NAME)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def test_a_format_1_data_dir_is_read_and_carried_on(tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FORMAT_1, data)
    assert _format_of(data) == 1
    with LocalEngine(data_dir=str(data), poll_wait=1) as engine:
        swf = engine.client("swf")
        infos = swf.list_open_workflow_executions(domain="old", startTimeFilter={"oldestDate": 0})
        assert sorted(i["execution"]["workflowId"] for i in infos["executionInfos"]) == ["w1", "w2"]
        w1 = next(
            i["execution"] for i in infos["executionInfos"] if i["execution"]["workflowId"] == "w1"
        )
        events = swf.get_workflow_execution_history(domain="old", execution=w1)["events"]
        assert [e["eventType"] for e in events][-3:] == [
            "ActivityTaskScheduled",
            "WorkflowExecutionSignaled",
            "DecisionTaskScheduled",
        ]
        old = swf.describe_activity_type(domain="old", activityType={"name": "act", "version": "1"})
        assert old["typeInfo"]["status"] == "REGISTERED"
        task = swf.poll_for_activity_task(domain="old", taskList={"name": "workers"})
        assert task["activityId"] == "a1"
        swf.respond_activity_task_completed(taskToken=task["taskToken"], result="done")
        swf.register_activity_type(domain="old", name="new", version="1")
    assert _format_of(data) == FORMAT
    with LocalEngine(data_dir=str(data), poll_wait=1) as engine:  # format 2 with format 1's types
        swf = engine.client("swf")
        events = swf.get_workflow_execution_history(domain="old", execution=w1)["events"]
        assert events[-1]["eventType"] == "ActivityTaskCompleted"
        new = swf.describe_activity_type(domain="old", activityType={"name": "new", "version": "1"})
        assert new["typeInfo"]["creationDate"].year >= 2026
