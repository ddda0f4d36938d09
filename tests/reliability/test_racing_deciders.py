"""Several deciders race on one task list over many runs at once: every run completes with
each result once, and no decision is ever taken twice (nothing scheduled twice, no task
completed twice) although every decider decides every run it is handed, cold or warm."""

from __future__ import annotations

import time
from collections import Counter

from reliability_harness import Fleet, result_of
from reliability_workload import FAN, audit, small_spec

from floto.api import Swf

RUNS = 100
DECIDERS = 4


def test_racing_deciders_decide_many_runs_without_deciding_anything_twice(
    local_engine, domain, tmp_path, figures
):
    swf = Swf()
    fleet = Fleet(domain, local_engine.endpoint_url, tmp_path)
    fleet.deciders("racing decider", small_spec(domain), DECIDERS)
    fleet.workers(4)
    began = time.monotonic()
    for n in range(RUNS):
        swf.start_workflow_execution(
            domain=domain, workflow_type_name="small", workflow_type_version="1",
            workflow_id=f"race-{n}",
        )  # fmt: skip
    deadline = time.monotonic() + 300
    try:
        while swf.count_workflow_executions(domain, status="open") > 0:
            crashed = fleet.died_on_their_own()
            assert not crashed, "processes died on their own:\n" + "\n".join(crashed)
            assert time.monotonic() < deadline, f"runs still open after 300 s\n{fleet.logs_tail()}"
            time.sleep(0.5)
    finally:
        fleet.stop()
    duration = time.monotonic() - began

    deciders: Counter[str] = Counter()
    totals = Counter()
    for n in range(RUNS):
        kind, result, history = result_of(swf, domain, f"race-{n}")
        assert kind == "WorkflowExecutionCompleted", (n, result)
        ((_, join),) = result.items()
        assert sorted(part["key"] for part in join["after"]) == [f"fan_{k}" for k in range(FAN)]
        found = audit(history)
        assert len(found.completed) == FAN + 2
        assert (found.duplicates, found.overlapping, found.extra_schedules) == (0, 0, 0), n
        assert found.timers_fired["pause"] == 1
        deciders.update(
            e["decisionTaskStartedEventAttributes"]["identity"]
            for e in history
            if e["eventType"] == "DecisionTaskStarted"
        )
        totals.update(duplicates=found.duplicates, overlapping=found.overlapping,
                      extra=found.extra_schedules, timed_out=found.timed_out)  # fmt: skip
    assert len(deciders) >= 2, deciders  # the deciders did race
    figures.record(
        runs=RUNS,
        deciders=DECIDERS,
        deciders_that_decided=len(deciders),
        decision_tasks=sum(deciders.values()),
        duration_s=duration,
        timed_out_attempts=totals["timed_out"],
        duplicates=totals["duplicates"],
        scheduled_twice=totals["overlapping"] + totals["extra"],
    )
