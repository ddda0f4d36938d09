"""Benchmark of the local engine's time skipping, against a real-time engine in the same run.

Run: ``python bench/bench_time_skipping.py [--quick]``. Prints:
- the wall time a one-hour timer takes to fire under time skipping (median of N), and the
  engine-time gap between TimerStarted and TimerFired;
- the gap, as the engine sees it, between a worker's answer and its next poll (a boto3 loop
  and floto's ActivityWorker): what the skip grace (0.25 s) must cover; and between a client's
  start of a run and its poll for the run's decision task: what the pickup time (2 s) covers;
- the cost of a cheap call and of decision poll + respond with and without time skipping, and
  their ratios (the idle probe runs on the ticker thread, woken by each event).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from floto.local import LocalEngine


class Domain:
    """A fresh domain with one workflow type and one activity type."""

    def __init__(self, swf: Any) -> None:
        self.swf, self.name = swf, f"bench-{uuid.uuid4().hex[:8]}"
        swf.register_domain(name=self.name, workflowExecutionRetentionPeriodInDays="1")
        swf.register_workflow_type(
            domain=self.name,
            name="wf",
            version="1",
            defaultTaskList={"name": "tl"},
            defaultExecutionStartToCloseTimeout="86400",
            defaultTaskStartToCloseTimeout="60",
            defaultChildPolicy="TERMINATE",
        )
        swf.register_activity_type(
            domain=self.name,
            name="act",
            version="1",
            defaultTaskList={"name": "atl"},
            defaultTaskScheduleToStartTimeout="NONE",
            defaultTaskScheduleToCloseTimeout="NONE",
            defaultTaskStartToCloseTimeout="NONE",
            defaultTaskHeartbeatTimeout="NONE",
        )
        self.count = 0

    def start(self) -> dict[str, str]:
        self.count += 1
        wid = f"w{self.count}"
        run = self.swf.start_workflow_execution(
            domain=self.name, workflowId=wid, workflowType={"name": "wf", "version": "1"}
        )
        return {"workflowId": wid, "runId": run["runId"]}

    def decide(self, *decisions: dict[str, Any]) -> None:
        task = self.swf.poll_for_decision_task(domain=self.name, taskList={"name": "tl"})
        self.swf.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=list(decisions)
        )

    def events(self, run: dict[str, str]) -> list[dict[str, Any]]:
        return self.swf.get_workflow_execution_history(domain=self.name, execution=run)["events"]


def _stamps(events: list[dict[str, Any]], kind: str) -> list[float]:
    return [e["eventTimestamp"].timestamp() for e in events if e["eventType"] == kind]


def hour_timer(dom: Domain) -> tuple[float, float]:
    """(wall seconds until TimerFired is in the history, engine seconds it waited)."""
    run = dom.start()
    timer = {"timerId": "hour", "startToFireTimeout": "3600"}
    dom.decide({"decisionType": "StartTimer", "startTimerDecisionAttributes": timer})
    began = time.perf_counter()
    while not _stamps(events := dom.events(run), "TimerFired"):
        time.sleep(0.005)
    wall = time.perf_counter() - began
    dom.swf.terminate_workflow_execution(domain=dom.name, workflowId=run["workflowId"])
    return wall, _stamps(events, "TimerFired")[0] - _stamps(events, "TimerStarted")[0]


def _schedule_many(dom: Domain, count: int) -> dict[str, str]:
    run = dom.start()
    dom.decide(
        *[
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": {
                    "activityType": {"name": "act", "version": "1"},
                    "activityId": f"a{i}",
                },
            }
            for i in range(count)
        ]
    )
    return run


def _gaps(events: list[dict[str, Any]]) -> list[float]:
    done, started = _stamps(events, "ActivityTaskCompleted"), _stamps(events, "ActivityTaskStarted")
    return sorted((started[i + 1] - done[i]) * 1000 for i in range(len(done) - 1))


def boto3_gaps(dom: Domain, count: int) -> list[float]:
    run = _schedule_many(dom, count)
    for _ in range(count):
        task = dom.swf.poll_for_activity_task(domain=dom.name, taskList={"name": "atl"})
        dom.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="1")
    return _gaps(dom.events(run))


def start_poll_gaps(dom: Domain, count: int) -> list[float]:
    """Engine-time gaps (ms) between a run's start and its first decision poll, for a client
    that starts a run and then polls for it, one call after the other."""
    gaps = []
    for _ in range(count):
        run = dom.start()
        dom.decide({"decisionType": "CompleteWorkflowExecution"})
        events = dom.events(run)
        started = _stamps(events, "WorkflowExecutionStarted")[0]
        gaps.append((_stamps(events, "DecisionTaskStarted")[0] - started) * 1000)
    return sorted(gaps)


def floto_worker_gaps(engine: LocalEngine, dom: Domain, count: int) -> list[float]:
    engine.configure_environment(credentials="dummy")
    import floto
    from floto.worker import ActivityWorker

    @floto.activity(name="act", version="1")
    def act() -> int:
        return 1

    run = _schedule_many(dom, count)
    ActivityWorker(domain=dom.name, task_list="atl").run(max_tasks=count)
    return _gaps(dom.events(run))


def call_costs(engines: dict[str, LocalEngine], n: int) -> dict[str, dict[str, float]]:
    """Median ms of a cheap call and of decision poll + respond on each engine, sampled in
    alternation so that both see the same machine load."""
    doms = {label: Domain(engine.client("swf")) for label, engine in engines.items()}
    complete = {"decisionType": "CompleteWorkflowExecution"}
    samples: dict[str, dict[str, list[float]]] = {
        label: {"cheap": [], "poll+respond": []} for label in engines
    }
    for _ in range(n):
        for label, dom in doms.items():
            began = time.perf_counter()
            dom.swf.describe_domain(name=dom.name)
            samples[label]["cheap"].append(time.perf_counter() - began)
            dom.start()
            began = time.perf_counter()
            dom.decide(complete)
            samples[label]["poll+respond"].append(time.perf_counter() - began)
    return {
        label: {key: statistics.median(values) * 1000 for key, values in kinds.items()}
        for label, kinds in samples.items()
    }


def spread(values: list[float]) -> str:
    pick = values[min(len(values) - 1, int(0.99 * len(values)))]
    return f"median {statistics.median(values):6.1f}  p99 {pick:6.1f}  max {values[-1]:6.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    args = parser.parse_args()
    n, timers, count = (50, 3, 100) if args.quick else (200, 7, 300)
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with LocalEngine(poll_wait=5, time_skipping=True) as engine:
        dom = Domain(engine.client("swf"))
        runs = [hour_timer(dom) for _ in range(timers)]
        walls = sorted(wall for wall, _ in runs)
        print(f"one-hour timer under time skipping ({timers} runs):")
        print(f"  wall time to TimerFired: {spread([w * 1000 for w in walls])} ms")
        waited = sorted(w for _, w in runs)
        print(f"  engine time waited: {waited[0]:.3f}-{waited[-1]:.3f} s")
        print(f"  speed-up: {3600 / statistics.median(walls):,.0f}x")
        print(f"worker answer -> next poll, at the engine ({count} activities), ms:")
        print(f"  boto3 loop:           {spread(boto3_gaps(Domain(engine.client('swf')), count))}")
        gaps = floto_worker_gaps(engine, Domain(engine.client("swf")), count)
        print(f"  floto ActivityWorker: {spread(gaps)}")
        print(f"a client's start -> its next poll, at the engine ({count} runs), ms:")
        print(f"  boto3, one call after the other: {spread(start_poll_gaps(dom, count))}")
    with LocalEngine(poll_wait=5) as real, LocalEngine(poll_wait=5, time_skipping=True) as skip:
        costs = call_costs({"real": real, "skipping": skip}, n)
    print("per call (median ms, sampled alternately): real time | time skipping | ratio")
    for key, value in costs["real"].items():
        skipping = costs["skipping"][key]
        print(f"  {key:>13}: {value:7.2f} | {skipping:7.2f} | {skipping / value:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
