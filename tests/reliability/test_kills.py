"""A ~200-activity workflow (a generator, a chain, a timer, a child workflow) completes while
its workers and deciders are killed with SIGKILL at random and replaced: every result arrives
exactly once, no task completes twice, nothing is left open."""

from __future__ import annotations

import time

from reliability_harness import Fleet, RandomKills, result_of, run_until_closed
from reliability_workload import (
    CHAIN,
    CHILD_COUNT,
    WORK_COUNT,
    audit,
    child_spec,
    journal_lines,
    parent_spec,
)

from floto.api import Swf
from floto.ids import from_swf_id

WORKFLOW_ID = "under-kills"


def test_a_200_activity_workflow_completes_under_random_sigkills(
    local_engine, domain, tmp_path, rng, figures
):
    swf = Swf()
    fleet = Fleet(domain, local_engine.endpoint_url, tmp_path)
    fleet.workers(4)
    fleet.deciders("parent decider", parent_spec(domain), 2)
    fleet.deciders("child decider", child_spec(domain), 1)
    worker_kills = RandomKills(roles=("worker",), every=(0.8, 2.5), limit=10)
    decider_kills = RandomKills(roles=("parent decider", "child decider"), every=(2.0, 5.0),
                                limit=4)  # fmt: skip
    began = time.monotonic()
    swf.start_workflow_execution(domain=domain, workflow_type_name="parent",
                                 workflow_type_version="1", workflow_id=WORKFLOW_ID)  # fmt: skip
    try:
        run_until_closed(swf, fleet, WORKFLOW_ID, [worker_kills, decider_kills], rng, timeout=300)
    finally:
        fleet.stop()
    duration = time.monotonic() - began
    kind, result, history = result_of(swf, domain, WORKFLOW_ID)
    assert kind == "WorkflowExecutionCompleted", result

    # every result present once: the single sink saw each of the parts exactly once
    ((finish_id, finished),) = result.items()
    assert finish_id.startswith("finish:1:")
    seen = finished["seen"]
    collected = [v for v in seen.values() if isinstance(v, dict) and "numbers" in v]
    assert collected == [{"numbers": list(range(WORK_COUNT))}]
    chain_end = [
        v for v in seen.values() if isinstance(v, dict) and v.get("key") == f"chain_{CHAIN - 1}"
    ]
    assert len(chain_end) == 1
    (child_result,) = [v for k, v in seen.items() if k.startswith("child:1:")]
    ((_, join),) = child_result.items()
    assert join["key"] == "child_join"
    assert sorted(part["key"] for part in join["after"]) == sorted(
        f"part_{n}" for n in range(CHILD_COUNT)
    )

    # no task completed twice, none scheduled twice at once, nothing left open
    parent = audit(history)
    (child_start,) = [e for e in history if e["eventType"] == "ChildWorkflowExecutionCompleted"]
    child_id = child_start["childWorkflowExecutionCompletedEventAttributes"]["workflowExecution"]
    child = audit(swf.get_workflow_execution_history(domain, workflow_id=child_id["workflowId"],
                                                     run_id=child_id["runId"]))  # fmt: skip
    expected_activities = 1 + 2 + WORK_COUNT + 1 + CHAIN + 1 + 1  # prepare, fan_outs, ..., finish
    assert len(parent.completed) == expected_activities
    assert len(child.completed) == CHILD_COUNT + 2
    assert parent.duplicates == child.duplicates == 0
    assert parent.overlapping == child.overlapping == 0
    assert parent.timers_fired["cool_down"] == 1 and child.timers_fired["child_pause"] == 1
    assert swf.list_workflow_executions(domain, status="open") == []
    work_ids = [from_swf_id(i) for i in parent.completed if from_swf_id(i).startswith("work:")]
    assert len(work_ids) == WORK_COUNT

    executions = len(journal_lines(fleet.journal))
    kills = {**worker_kills.figures(), **decider_kills.figures()}
    assert sum(worker_kills.kills.values()) >= 3, kills  # the run did go on under kills
    figures.record(
        seed=rng.seed_value,
        activities=len(parent.completed) + len(child.completed),
        **kills,
        duration_s=duration,
        timed_out_attempts=parent.timed_out + child.timed_out,
        function_runs=executions,
        duplicates=parent.duplicates + child.duplicates,
        overlapping_schedules=parent.overlapping + child.overlapping,
    )
