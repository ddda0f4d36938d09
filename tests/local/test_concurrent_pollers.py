"""Many processes polling one task list: no task handed out twice, none lost."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from engine_env import Env, decide, of_type, schedule, wait_for

WORKERS = 8
ACTIVITIES = 1000


def _client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "swf",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(read_timeout=30, retries={"max_attempts": 0}),
    )


def _work(endpoint: str, domain: str, task_list: str) -> list[str]:
    swf = _client(endpoint)
    done = []
    while True:
        task = swf.poll_for_activity_task(domain=domain, taskList={"name": task_list})
        if not task.get("taskToken"):
            return done
        swf.respond_activity_task_completed(taskToken=task["taskToken"], result=task["activityId"])
        done.append(task["activityId"])


def _decide(endpoint: str, domain: str, task_list: str) -> list[str]:
    """Complete the runs handed out, until an idle poll or a ``stop-`` run (not counted)."""
    swf = _client(endpoint)
    done = []
    while True:
        task = swf.poll_for_decision_task(domain=domain, taskList={"name": task_list})
        if not task.get("taskToken"):
            return done
        swf.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=[decide("CompleteWorkflowExecution")]
        )
        workflow_id = task["workflowExecution"]["workflowId"]
        if workflow_id.startswith("stop-"):
            return done
        done.append(workflow_id)


def _run_processes(target, args: tuple, count: int) -> list[list[str]]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(count) as pool:
        return pool.starmap(target, [args] * count)


def test_eight_processes_complete_1000_activities_once_each(local_engine, swf) -> None:
    env = Env(swf)
    run = env.start()
    env.respond(env.decision(), *[schedule(f"a{i}") for i in range(ACTIVITIES)])
    results = _run_processes(_work, (local_engine.endpoint_url, env.domain, env.atl), WORKERS)
    handled = Counter(a for worker in results for a in worker)
    assert len(handled) == ACTIVITIES and set(handled.values()) == {1}
    events = env.history(run)
    assert len(of_type(events, "ActivityTaskStarted")) == ACTIVITIES
    completed = of_type(events, "ActivityTaskCompleted")
    assert sorted(c["result"] for c in completed) == sorted(f"a{i}" for i in range(ACTIVITIES))
    assert sum(1 for worker in results if worker) > 1  # the work was shared


def _closed(env: Env) -> int:
    counted = env.swf.count_closed_workflow_executions(
        domain=env.domain, startTimeFilter={"oldestDate": 0}
    )
    return counted["count"]


def test_racing_deciders_take_each_decision_task_once(local_engine, swf) -> None:
    env = Env(swf)
    runs = [env.start(f"w{i}") for i in range(60)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        racing = pool.starmap_async(_decide, [(local_engine.endpoint_url, env.domain, env.tl)] * 4)
        wait_for(lambda: _closed(env) == 60, timeout=60)
        for i in range(4):  # once all 60 are done: one stop each, not an idle poll's wait
            env.start(f"stop-{i}")
        results = racing.get(timeout=60)
    decided = Counter(w for worker in results for w in worker)
    assert decided == Counter({f"w{i}": 1 for i in range(60)})
    for run in runs[:5]:
        assert env.types(run).count("DecisionTaskStarted") == 1
