"""Activities and specs the command-line tests run (imported by `floto worker` / `decider`)."""

from __future__ import annotations

import time
from pathlib import Path

import floto
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Timer

ACTIVITIES = "cli-activities"
STATIC = "cli-static"
DYNAMIC = "cli-dynamic"


@floto.activity(name="hello", version="1")
def hello(context):
    return f"Hello {context.get('workflow', {}).get('name', 'World')}!"


@floto.activity(name="broken", version="1")
def broken():
    print("about to break")  # captured per attempt, read back by `floto show --task --logs`
    raise ValueError("broken on purpose")


@floto.activity(name="slow", version="1")
def slow(context):
    time.sleep(float(context.get("activity_task", 1)))
    return "slept"


hello_task = ActivityTask(name="hello", version="1")
hello_spec = DeciderSpec(
    domain="floto_cli_tests",
    task_list=STATIC,
    default_activity_task_list=ACTIVITIES,
    activity_tasks=[hello_task],
)


def broken_tasks() -> list:
    first = ActivityTask(name="hello", version="1")
    return [
        first,
        ActivityTask(
            name="broken", version="1", requires=[first], retry_strategy=InstantRetry(retries=1)
        ),
    ]


def waiting_tasks() -> list:
    """A run that stays open for two minutes (a timer), for signal, cancel and terminate."""
    return [Timer(id_="wait", delay_in_seconds=120)]


def slow_tasks(seconds: float = 1.5) -> list:
    return [ActivityTask(name="slow", version="1", input=seconds)]


@floto.activity(name="flaky", version="1")
def flaky(context):
    """Fails until the file named by its input exists; creates it on the first failure."""
    marker = Path(context["activity_task"])
    if not marker.exists():
        marker.write_text("failed once")
        raise RuntimeError("first attempt fails")
    return "fixed"


def flaky_tasks(marker: str) -> list:
    first = ActivityTask(name="hello", version="1")
    return [first, ActivityTask(name="flaky", version="1", input=marker, requires=[first])]


def two_broken_tasks() -> list:
    """``broken-a`` fails at once, ``broken-b`` after a 1 s task: under "continue" both fail
    in one run; under "fail_fast" only the first."""
    wait = ActivityTask(name="slow", version="1", id_="wait-1s", input=1)
    return [
        ActivityTask(name="broken", version="1", id_="broken-a"),
        wait,
        ActivityTask(name="broken", version="1", id_="broken-b", requires=[wait]),
    ]
