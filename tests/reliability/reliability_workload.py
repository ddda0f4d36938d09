"""The reliability suite's workload: a ~200-activity workflow with a generator, a chain, a timer
and a child workflow; its activity functions; and the audit that reads what happened from the
histories alone.

The parent workflow::

    prepare ─┬─ fan_out x2 (generators: WORK_COUNT "work" tasks) ── collect ─┐
             ├─ chain_0 ── chain_1 ── ... ── chain_{CHAIN-1} ────────────┤
             ├─ cool_down (timer) ── after_timer ───────────────────────┼─ finish
             └─ child (child workflow: CHILD_COUNT parts, a timer, join) ┘

``finish`` is the only sink: the run's result is what it saw, so the test checks every
generated result arrived exactly once without trusting anything but SWF's histories.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import floto
from floto.api import ActivityType, Swf, WorkflowType
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Task, Timer
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()
WORK_COUNT = 150
CHAIN = 25
CHILD_COUNT = 12
RETRIES = InstantRetry(20)  # a task outlives many kills of the processes that run it
PARENT_DECIDERS = "parent-deciders"
CHILD_DECIDERS = "child-deciders"
WORKERS = "workers"
DECISION_TIMEOUT = 3  # seconds before a killed decider's decision task goes to another
ACTIVITY_TIMEOUT = 5  # seconds before a killed worker's task is retried
JOURNAL = "FLOTO_RELIABILITY_JOURNAL"  # file each function run appends a line to


def _journal(kind: str, context: Any) -> None:
    """One line per function run (not per completion SWF accepted): re-executions show."""
    path = os.environ.get(JOURNAL)
    if path:
        key = (context.get("activity_task") or {}) if isinstance(context, dict) else {}
        with open(path, "a", encoding="utf-8") as journal:
            journal.write(f"{kind} {key.get('key', key.get('n'))} {os.getpid()}\n")


@floto.activity("step", "1", registry=REGISTRY)
def step(context):
    """Returns its key; for ``chain_n``, also what the previous link returned."""
    _journal("step", context)
    own = context["activity_task"]
    previous = [v for k, v in context.items() if k not in ("workflow", "activity_task")]
    return {"key": own["key"], "after": previous}


@floto.generator("fan_out", "1", registry=REGISTRY)
def fan_out(context):
    """Work tasks for the numbers ``first`` to ``first + count - 1``."""
    _journal("fan_out", context)
    own = context["activity_task"]
    return [
        ActivityTask(name="work", version="1", input={"n": n}, retry_strategy=RETRIES)
        for n in range(own["first"], own["first"] + own["count"])
    ]


@floto.activity("work", "1", registry=REGISTRY)
def work(context):
    """Returns its number, after 0.05 to 0.3 s of "work" (so that kills land mid-task)."""
    n = context["activity_task"]["n"]
    time.sleep(0.05 + (n % 6) * 0.05)
    _journal("work", context)
    return {"n": n}


@floto.activity("collect", "1", registry=REGISTRY)
def collect(context):
    """Every generated task's number, as it arrived (the generator's dependents receive the
    generated tasks' results): each must be there exactly once."""
    _journal("collect", context)
    numbers = [v["n"] for k, v in context.items() if isinstance(v, dict) and "n" in v]
    return {"numbers": sorted(numbers)}


@floto.activity("finish", "1", registry=REGISTRY)
def finish(context):
    """Everything it was handed, by the kind of task that sent it."""
    _journal("finish", context)
    seen = {k: v for k, v in context.items() if k not in ("workflow", "activity_task")}
    return {"seen": seen}


def _step(key: str, requires: list[Task]) -> ActivityTask:
    return ActivityTask(name="step", version="1", input={"key": key}, requires=requires,
                        retry_strategy=RETRIES)  # fmt: skip


def child_spec(domain: str) -> DeciderSpec:
    """The child workflow: CHILD_COUNT parts in parallel, a timer, and a join."""
    start = _step("child_start", [])
    parts = [_step(f"part_{n}", [start]) for n in range(CHILD_COUNT)]
    pause = Timer("child_pause", 1, requires=[start])
    join = _step("child_join", [*parts, pause])
    return DeciderSpec(domain=domain, task_list=CHILD_DECIDERS, default_activity_task_list=WORKERS,
                       activity_tasks=[start, *parts, pause, join])  # fmt: skip


def parent_spec(domain: str, task_list: str = PARENT_DECIDERS) -> DeciderSpec:
    """The ~200-activity parent workflow (see the module's docstring)."""
    prepare = _step("prepare", [])
    half = WORK_COUNT // 2  # two generators: one's 150 task documents pass SWF's 32,768
    generators = [
        Generator(name="fan_out", version="1", requires=[prepare], retry_strategy=RETRIES,
                  input={"key": f"fan_out_{first}", "first": first, "count": count})
        for first, count in ((0, half), (half, WORK_COUNT - half))
    ]  # fmt: skip
    gathered = ActivityTask(name="collect", version="1", input={"key": "collect"},
                            requires=generators, retry_strategy=RETRIES)  # fmt: skip
    chain: list[Task] = []
    for n in range(CHAIN):
        chain.append(_step(f"chain_{n}", [chain[-1] if chain else prepare]))
    cool_down = Timer("cool_down", 2, requires=[prepare])
    after_timer = _step("after_timer", [cool_down])
    child = ChildWorkflow(workflow_type_name="child", workflow_type_version="1",
                          input={"key": "child"}, requires=[prepare], task_list=CHILD_DECIDERS,
                          retry_strategy=RETRIES)  # fmt: skip
    last = ActivityTask(name="finish", version="1", input={"key": "finish"},
                        requires=[gathered, chain[-1], after_timer, child],
                        retry_strategy=RETRIES)  # fmt: skip
    tasks = [prepare, *generators, gathered, *chain, cool_down, after_timer, child, last]
    return DeciderSpec(domain=domain, task_list=task_list, default_activity_task_list=WORKERS,
                       activity_tasks=tasks)  # fmt: skip


RACING_DECIDERS = "racing-deciders"
FAN = 4


def small_spec(domain: str) -> DeciderSpec:
    """A small run for racing deciders: a root, FAN steps in parallel, a timer, a join."""
    root = _step("root", [])
    parts = [_step(f"fan_{n}", [root]) for n in range(FAN)]
    pause = Timer("pause", 1, requires=[root])
    join = _step("join", [*parts, pause])
    return DeciderSpec(domain=domain, task_list=RACING_DECIDERS,
                       default_activity_task_list=WORKERS,
                       activity_tasks=[root, *parts, pause, join])  # fmt: skip


def register_types(swf: Swf, domain: str) -> None:
    """The parent and child workflow types and the activity types, with short timeouts."""
    types = (("parent", PARENT_DECIDERS), ("child", CHILD_DECIDERS), ("small", RACING_DECIDERS))
    for name, task_list in types:
        swf.register_workflow_type(
            WorkflowType(domain=domain, name=name, version="1", default_task_list=task_list,
                         default_task_start_to_close_timeout=DECISION_TIMEOUT,
                         default_execution_start_to_close_timeout=900)
        )  # fmt: skip
    for name in ("step", "fan_out", "work", "collect", "finish"):
        swf.register_activity_type(
            ActivityType(domain=domain, name=name, version="1", default_task_list=WORKERS,
                         default_task_start_to_close_timeout=ACTIVITY_TIMEOUT,
                         default_task_heartbeat_timeout="NONE",
                         default_task_schedule_to_start_timeout="NONE",
                         default_task_schedule_to_close_timeout="NONE")
        )  # fmt: skip


def attributes(event: dict[str, Any]) -> dict[str, Any]:
    kind = event["eventType"]
    return event.get(kind[0].lower() + kind[1:] + "EventAttributes") or {}


@dataclass
class Audit:
    """What one run's history shows, counted per activity id."""

    completed: Counter[str] = field(default_factory=Counter)
    scheduled: Counter[str] = field(default_factory=Counter)
    timed_out: int = 0
    failed: int = 0
    overlapping: int = 0  # a task scheduled again while an attempt of it was still open
    timers_fired: Counter[str] = field(default_factory=Counter)
    children_completed: Counter[str] = field(default_factory=Counter)

    @property
    def extra_schedules(self) -> int:
        """Attempts scheduled beyond one per task and one per timed-out or failed attempt."""
        return sum(self.scheduled.values()) - len(self.scheduled) - self.timed_out - self.failed

    @property
    def duplicates(self) -> int:
        """Tasks completed more than once (each extra completion counts)."""
        counters = (self.completed, self.timers_fired, self.children_completed)
        return sum(n - 1 for counter in counters for n in counter.values() if n > 1)


def audit(history: list[dict[str, Any]]) -> Audit:
    """Count completions, schedules, timeouts and overlapping attempts in a history."""
    found = Audit()
    open_by_id: Counter[str] = Counter()
    id_of: dict[int, str] = {}
    for event in history:
        kind, attrs = event["eventType"], attributes(event)
        if kind == "ActivityTaskScheduled":
            activity_id = attrs["activityId"]
            id_of[event["eventId"]] = activity_id
            found.scheduled[activity_id] += 1
            found.overlapping += open_by_id[activity_id] > 0
            open_by_id[activity_id] += 1
        elif kind in ("ActivityTaskCompleted", "ActivityTaskFailed", "ActivityTaskTimedOut",
                      "ActivityTaskCanceled"):  # fmt: skip
            activity_id = id_of[attrs["scheduledEventId"]]
            open_by_id[activity_id] -= 1
            if kind == "ActivityTaskCompleted":
                found.completed[activity_id] += 1
            found.timed_out += kind == "ActivityTaskTimedOut"
            found.failed += kind == "ActivityTaskFailed"
        elif kind == "TimerFired":
            found.timers_fired[attrs["timerId"]] += 1
        elif kind == "ChildWorkflowExecutionCompleted":
            found.children_completed[attrs["workflowExecution"]["workflowId"]] += 1
    return found


def journal_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
