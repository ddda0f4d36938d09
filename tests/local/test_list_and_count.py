"""List and count operations honour their filters and paging; closed runs are retained only
as configured."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError
from engine_env import Env, decide

from floto.local import LocalEngine


@pytest.fixture
def mixed(env: Env) -> Env:
    env.register_workflow("other")
    env.start("open-1", tagList=["blue"])
    env.start("open-2", name="other", tagList=["red"])
    env.start("done", tagList=["blue"])
    env.start("failed")
    for _ in range(4):
        task = env.decision()
        wid = task["workflowExecution"]["workflowId"]
        if wid == "done":
            env.respond(task, decide("CompleteWorkflowExecution"))
        elif wid == "failed":
            env.respond(task, decide("FailWorkflowExecution", reason="x"))
        else:
            env.respond(task)
    return env


def _ids(page: dict) -> set[str]:
    return {info["execution"]["workflowId"] for info in page["executionInfos"]}


def test_list_open_filters(mixed: Env) -> None:
    env, since = mixed, {"oldestDate": 0}
    lst = env.swf.list_open_workflow_executions
    assert _ids(lst(domain=env.domain, startTimeFilter=since)) == {"open-1", "open-2"}
    assert _ids(lst(domain=env.domain, startTimeFilter=since, typeFilter={"name": "other"})) == {
        "open-2"
    }
    assert _ids(lst(domain=env.domain, startTimeFilter=since, tagFilter={"tag": "blue"})) == {
        "open-1"
    }
    assert _ids(
        lst(domain=env.domain, startTimeFilter=since, executionFilter={"workflowId": "open-2"})
    ) == {"open-2"}
    future = {"oldestDate": time.time() + 3600}
    assert _ids(lst(domain=env.domain, startTimeFilter=future)) == set()


def test_list_closed_filters(mixed: Env) -> None:
    env, since = mixed, {"oldestDate": 0}
    lst = env.swf.list_closed_workflow_executions
    assert _ids(lst(domain=env.domain, startTimeFilter=since)) == {"done", "failed"}
    assert _ids(
        lst(domain=env.domain, closeTimeFilter=since, closeStatusFilter={"status": "FAILED"})
    ) == {"failed"}
    assert _ids(lst(domain=env.domain, startTimeFilter=since, tagFilter={"tag": "blue"})) == {
        "done"
    }
    with pytest.raises(ClientError) as caught:
        lst(
            domain=env.domain,
            startTimeFilter=since,
            tagFilter={"tag": "blue"},
            typeFilter={"name": "wf"},
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_counts(mixed: Env) -> None:
    env, since = mixed, {"oldestDate": 0}
    count_open = env.swf.count_open_workflow_executions(domain=env.domain, startTimeFilter=since)
    assert count_open["count"] == 2 and count_open["truncated"] is False
    count_closed = env.swf.count_closed_workflow_executions(
        domain=env.domain, startTimeFilter=since, closeStatusFilter={"status": "COMPLETED"}
    )
    assert count_closed["count"] == 1
    pending = env.swf.count_pending_decision_tasks(domain=env.domain, taskList={"name": env.tl})
    assert pending["count"] == 0
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="open-1", signalName="s")
    pending = env.swf.count_pending_decision_tasks(domain=env.domain, taskList={"name": env.tl})
    assert pending["count"] == 1


def test_list_paging_and_order(env: Env) -> None:
    for i in range(7):
        env.start(f"w{i}")
        time.sleep(0.002)
    lst = env.swf.list_open_workflow_executions
    first = lst(domain=env.domain, startTimeFilter={"oldestDate": 0}, maximumPageSize=3)
    order = [i["execution"]["workflowId"] for i in first["executionInfos"]]
    assert order == ["w6", "w5", "w4"]
    token, seen = first["nextPageToken"], list(order)
    while token:
        page = lst(
            domain=env.domain,
            startTimeFilter={"oldestDate": 0},
            maximumPageSize=3,
            nextPageToken=token,
        )
        seen += [i["execution"]["workflowId"] for i in page["executionInfos"]]
        token = page.get("nextPageToken")
    assert seen == [f"w{i}" for i in range(6, -1, -1)]
    oldest = lst(domain=env.domain, startTimeFilter={"oldestDate": 0}, reverseOrder=True)
    assert oldest["executionInfos"][0]["execution"]["workflowId"] == "w0"


def test_closed_runs_are_dropped_beyond_retention(menv: Env) -> None:
    env = menv  # on the engine that keeps 5 closed runs a domain
    runs = [env.start(f"w{i}") for i in range(8)]
    for wid in range(8):
        env.swf.terminate_workflow_execution(domain=env.domain, workflowId=f"w{wid}")
    count = env.swf.count_closed_workflow_executions(
        domain=env.domain, startTimeFilter={"oldestDate": 0}
    )
    assert count["count"] == 5
    with pytest.raises(ClientError) as caught:
        env.describe(runs[0])
    assert caught.value.response["Error"]["Code"] == "UnknownResourceFault"
    assert env.describe(runs[7])["executionInfo"]["closeStatus"] == "TERMINATED"


def test_closed_runs_are_dropped_after_their_age(menv: Env, manual_engine: LocalEngine) -> None:
    env = menv  # on the engine that drops closed runs an hour after they close, and whose
    run = env.start()  # clock moves only when told: the hour is skipped
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="w")
    assert env.describe(run)["executionInfo"]["closeStatus"] == "TERMINATED"
    manual_engine.skip(3590)
    assert env.describe(run)["executionInfo"]["closeStatus"] == "TERMINATED"  # not yet
    manual_engine.skip(20)
    with pytest.raises(ClientError) as caught:
        env.describe(run)
    assert caught.value.response["Error"]["Code"] == "UnknownResourceFault"
