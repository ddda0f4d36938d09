"""The activities and spec the metrics test serves with `floto worker` / `floto decider`."""

from __future__ import annotations

import floto
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask

ACTIVITIES = "obs-activities"
DECISIONS = "obs-decisions"
OK_TASKS = 4


@floto.activity(name="obs_ok", version="1")
def ok(context):
    return context.get("activity_task")


@floto.activity(name="obs_fails", version="1")
def fails():
    raise ValueError("fails on purpose")


first = ActivityTask(name="obs_ok", version="1", input=0)
tasks = [first] + [
    ActivityTask(name="obs_ok", version="1", input=i, requires=[first]) for i in range(1, OK_TASKS)
]
tasks.append(
    ActivityTask(name="obs_fails", version="1", requires=[first], retry_strategy=InstantRetry(1))
)
spec = DeciderSpec(
    domain="floto_obs_tests",
    task_list=DECISIONS,
    default_activity_task_list=ACTIVITIES,
    activity_tasks=tasks,
)
