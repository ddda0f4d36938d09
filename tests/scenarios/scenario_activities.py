"""Activity functions the scenario workers run (one registry, shared by every scenario)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import floto
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Generator
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


@_activity("ingest")
def ingest(context):
    """Fails with ValueError for an input marked ``bad`` until ``{dir}/fixed`` exists."""
    spec = context.get("activity_task", {})
    if spec.get("bad") and not (Path(spec["dir"]) / "fixed").exists():
        raise ValueError(f"bad input in file {spec['n']}")
    return spec.get("n", 0)


@_activity("combine")
def combine(context):
    """Sums the results of the tasks it requires."""
    return sum(value for key, value in context.items() if isinstance(value, int))


@_activity("patient")
def patient(context):
    """Works for ``seconds`` unless floto.cancel_requested() says to stop: then writes how
    long it ran into ``{dir}/{key}.stopped`` and returns early."""
    spec = context["activity_task"]
    began = time.monotonic()
    while time.monotonic() - began < spec["seconds"]:
        if floto.cancel_requested():
            elapsed = time.monotonic() - began
            (Path(spec["dir"]) / f"{spec['key']}.stopped").write_text(f"{elapsed:.3f}")
            return "stopped early"
        time.sleep(0.05)
    return "worked to the end"


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


@floto.generator("ingest_all", "1", registry=REGISTRY)
def ingest_all(context):
    """Generates ``count`` ingest tasks, those numbered in ``bad`` failing."""
    spec = context["activity_task"]
    return [
        ActivityTask(name="ingest", version="1", id_=f"file-{n}",
                     input={"n": n, "bad": n in spec["bad"], "dir": spec["dir"]})
        for n in range(spec["count"])
    ]  # fmt: skip


@floto.generator("empty_generator", "1", registry=REGISTRY)
def empty_generator(context):
    return []


@floto.generator("nested_outer", "1", registry=REGISTRY)
def nested_outer(context):
    """Generates a generator (nested_inner, k=2) and a task that requires it."""
    inner = Generator(name="nested_inner", version="1", input={"k": 2})
    after = ActivityTask(name="add", version="1", input={"n": 1000}, requires=[inner])
    return [inner, after]


@floto.generator("nested_inner", "1", registry=REGISTRY)
def nested_inner(context):
    return [ActivityTask(name="add", version="1", input={"n": i}) for i in range(2)]


@floto.generator("needs_outside", "1", registry=REGISTRY)
def needs_outside(context):
    """Generates a task requiring the spec's task ``add:1:outside``."""
    return [ActivityTask(name="add", version="1", input={"n": 7}, requires=["add:1:outside"])]


@floto.generator(name="weekDays", version="1", registry=REGISTRY)
def week_days(context):
    """The seed README's generator, as written there."""
    from_date_iso = context["workflow"]["from_date"]
    to_date_iso = context["workflow"]["to_date"]
    from_date = dt.datetime.strptime(from_date_iso, "%Y-%m-%d").date()
    to_date = dt.datetime.strptime(to_date_iso, "%Y-%m-%d").date()
    days = [from_date + dt.timedelta(days=n) for n in range(0, (to_date - from_date).days + 1)]
    week_days = [day for day in days if day.weekday() < 5]

    def get_tasks(date):
        rs = floto.specs.retry_strategy.InstantRetry(retries=3)
        copy_file = ActivityTask(
            name="copyFile", version="1", input=date.isoformat(), retry_strategy=rs
        )
        length = ActivityTask(
            name="fileLength", version="1", requires=[copy_file], retry_strategy=rs
        )
        return [copy_file, length]

    tasks = [get_tasks(date) for date in week_days]
    tasks = [t for sublist in tasks for t in sublist]
    return tasks


@_activity("copyFile")
def copy_file(context):
    return {"path": "/data/" + context["activity_task"]}


@_activity("fileLength")
def file_length(context):
    (copied,) = context.values()
    return len(copied["path"])


@_activity("big")
def big(context):
    """Returns ``{"blob": "b" * size}`` (``activity_task['size']`` characters)."""
    return {"blob": "b" * context["activity_task"]["size"]}


@_activity("measure")
def measure(context):
    """Describes each value it received: its JSON size and SHA-256 (no value is echoed)."""
    import hashlib
    import json

    described = {}
    for key, value in context.items():
        text = json.dumps(value, sort_keys=True)
        described[key] = {"chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()}
    return described


def activity_types() -> list[tuple[str, str]]:
    return [(definition.name, definition.version) for definition in REGISTRY]


def context_of(result: Any) -> Any:
    return result["context"]
