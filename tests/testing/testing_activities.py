"""Activities of floto.testing's own tests (a registry of their own, never the default one)."""

from __future__ import annotations

import collections
import os
import threading

import floto
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()
CALLS: collections.Counter[str] = collections.Counter()
_LOCK = threading.Lock()


@floto.activity("add", "1", registry=REGISTRY)
def add(context):
    """Sums the numbers among the results it is given and its own input's ``n``."""
    total = context.get("activity_task", {}).get("n", 0)
    return total + sum(v for k, v in context.items() if isinstance(v, int) and k != "workflow")


@floto.activity("fails", "1", registry=REGISTRY)
def fails(context):
    raise ValueError("this activity always fails")


@floto.activity("fails_until", "1", registry=REGISTRY)
def fails_until(context):
    """Fails until called ``times`` times for ``key`` (counted in this process)."""
    spec = context["activity_task"]
    with _LOCK:
        CALLS[spec["key"]] += 1
        calls = CALLS[spec["key"]]
    if calls <= spec["times"]:
        raise RuntimeError(f"failure {calls}")
    return calls


@floto.activity("pid", "1", registry=REGISTRY)
def pid():
    return os.getpid()


@floto.activity("big", "1", registry=REGISTRY)
def big(context):
    """A result over SWF's 32,768 characters: it travels through the payload store."""
    return "x" * context.get("activity_task", {}).get("size", 100_000)
