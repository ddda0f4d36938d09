"""Activities of the real run the drawing tests colour (their own registry)."""

from __future__ import annotations

from pathlib import Path

import floto
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()


@floto.activity("viz_ok", "1", registry=REGISTRY)
def ok(context):
    return 1


@floto.activity("viz_flaky", "1", registry=REGISTRY)
def flaky(context):
    """Fails on its first call (counted in a file), then succeeds."""
    counter = Path(context["activity_task"]["dir"]) / "flaky.count"
    with counter.open("a") as handle:
        handle.write("x")
    if len(counter.read_text()) == 1:
        raise RuntimeError("flaky: first call fails")
    return "fine"


@floto.activity("viz_fails", "1", registry=REGISTRY)
def fails(context):
    raise ValueError("viz_fails always fails <here>")


@floto.generator("viz_split", "1", registry=REGISTRY)
def split(context):
    return [ActivityTask("viz_ok", "1", input={"part": n}) for n in range(3)]
