"""A Lab on the session's local engine (attached through AWS_ENDPOINT_URL_SWF), one domain per
module, and the activities the tests run (in floto's default registry, as in a notebook)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest

import floto

pytest.importorskip("ipywidgets")


@floto.activity("nb_test_echo", "1")
def echo(context):
    time.sleep(float(context.get("activity_task", {}).get("sleep", 0)))
    return context.get("activity_task", {}).get("value")


@floto.activity("nb_test_fail", "1")
def fail(context):
    raise ValueError("bad value: " + str(context.get("activity_task")))


@floto.generator("nb_test_fan", "1")
def fan(context):
    from floto.specs.task import ActivityTask

    count = context["activity_task"]["count"]
    return [ActivityTask("nb_test_echo", "1", input={"value": n}) for n in range(count)]


@pytest.fixture(scope="module")
def lab(local_engine) -> Iterator[object]:
    from floto.notebook import Lab

    assert os.environ["AWS_ENDPOINT_URL_SWF"] == local_engine.endpoint_url
    lab = Lab(f"nb-{uuid.uuid4().hex[:10]}", workers=3)
    try:
        yield lab
    finally:
        lab.close()
