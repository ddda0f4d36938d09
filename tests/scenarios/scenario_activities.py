"""Activity functions the scenario workers run (one registry, shared by every scenario)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import floto
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()


def _activity(name: str, version: str = "1"):
    return floto.activity(name, version, registry=REGISTRY)


@_activity("echo")
def echo(context):
    """Returns its whole context, so tests can see exactly what the decider sent."""
    return {"context": context}


@_activity("no_context")
def no_context():
    """Takes no context and returns nothing."""
    return None


@_activity("zero")
def zero(context):
    """Returns 0: a falsy result that must still count as a result."""
    return 0


@_activity("add")
def add(context):
    """Sums the numbers among its inputs (results of required tasks and activity_task['n'])."""
    total = context.get("activity_task", {}).get("n", 0)
    for key, value in context.items():
        if key not in ("activity_task", "workflow") and isinstance(value, (int, float)):
            total += value
    return total


@_activity("flaky")
def flaky(context):
    """Fails until it has been called ``fail_times`` times for ``key`` (counted in a file)."""
    spec = context["activity_task"]
    counter = Path(spec["dir"]) / f"{spec['key']}.count"
    with counter.open("a") as handle:
        handle.write("x")
    calls = len(counter.read_text())
    if calls <= spec["fail_times"]:
        raise RuntimeError(f"flaky failure {calls}")
    return {"calls": calls}


@_activity("always_fails")
def always_fails(context):
    raise ValueError("this activity always fails")


@_activity("sleep")
def sleep(context):
    """Sleeps ``seconds`` (longer than its start-to-close timeout makes it time out)."""
    time.sleep(context.get("activity_task", {}).get("seconds", 1))
    return "slept"


@_activity("pid")
def pid(context):
    return os.getpid()


@floto.generator("fan_out", "1", registry=REGISTRY)
def fan_out(context):
    """Generates ``count`` pairs copy -> length, like the seed's weekDays generator."""
    count = context.get("activity_task", {}).get("count", 3)
    tasks = []
    for number in range(count):
        copy = ActivityTask(
            name="add", version="1", input={"n": number}, retry_strategy=InstantRetry(retries=1)
        )
        length = ActivityTask(name="add", version="1", input={"n": 100}, requires=[copy])
        tasks.extend([copy, length])
    return tasks


@floto.generator("bad_generator", "1", registry=REGISTRY)
def bad_generator(context):
    """Returns a task that requires a task id nobody knows."""
    return [ActivityTask(name="add", version="1", requires=["nobody:1:0000000000"])]


@floto.generator("empty_generator", "1", registry=REGISTRY)
def empty_generator(context):
    return []


def activity_types() -> list[tuple[str, str]]:
    return [(definition.name, definition.version) for definition in REGISTRY]


def context_of(result: Any) -> Any:
    return result["context"]
