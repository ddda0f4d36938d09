"""Every record floto logs about a task names the run, so do an activity's own records, and
no task token ever reaches the log output (a real run on the local engine, JSON lines)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

import floto
import floto.testing
from floto.api import Swf
from floto.observability import (
    JsonFormatter,
    RunContextFilter,
    TextFormatter,
    configure_logging,
    run_context,
)
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()
user_log = logging.getLogger("user.activities")


@floto.activity("greet", "1", registry=REGISTRY)
def greet(context):
    user_log.info("greeting %s", context.get("activity_task", {}).get("who"))
    return "hello"


@floto.activity("grumble", "1", registry=REGISTRY)
def grumble(context):
    user_log.warning("about to fail")
    raise RuntimeError("grumbling")


@pytest.fixture
def json_lines():
    """Every record (root, DEBUG) as JSON lines in a buffer, through floto's filter."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RunContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.fixture
def tokens(monkeypatch):
    """Every task token a poll handed out during the test."""
    seen: list[str] = []
    for name in ("poll_for_activity_task", "poll_for_decision_task"):
        original = getattr(Swf, name)

        def recording(self, *args, _original=original, **kwargs):
            answer = _original(self, *args, **kwargs)
            if answer.get("taskToken"):
                seen.append(answer["taskToken"])
            return answer

        monkeypatch.setattr(Swf, name, recording)
    return seen


def test_a_runs_records_name_it_and_hold_no_token(local_engine, json_lines, tokens):
    ok = ActivityTask(name="greet", version="1", input={"who": "ops"})
    bad = ActivityTask(name="grumble", version="1", retry_strategy=InstantRetry(retries=1))
    with floto.testing.Environment(engine=local_engine, registry=REGISTRY, workers=1) as env:
        launched = env.launch([ok, bad])
        state = env.wait(launched)
    assert state.tasks[bad.id_].attempts and len(state.tasks[bad.id_].attempts) == 2
    text = json_lines.getvalue()
    records = [json.loads(line) for line in text.splitlines()]
    mine = [r for r in records if r.get("run_id") == launched.run_id]
    about = {"domain": env.domain, "workflow_id": launched.workflow_id}

    greeting = [r for r in mine if r["message"] == "greeting ops"]
    assert len(greeting) == 1 and greeting[0]["logger"] == "user.activities"
    assert greeting[0] | about == greeting[0] and greeting[0]["task_id"] == ok.id_
    assert greeting[0]["activity_type"] == "greet:1"
    failing = [r for r in mine if r["message"] == "about to fail"]
    assert len(failing) == 2 and {r["task_id"] for r in failing} == {bad.id_}
    assert len({r["started_event_id"] for r in failing}) == 2  # one per attempt

    worker_lines = [r for r in mine if r["logger"] == "floto.worker"]
    assert {r["task_id"] for r in worker_lines} == {ok.id_, bad.id_}
    assert all(r | about == r for r in worker_lines)
    decider_lines = [r for r in mine if r["logger"] == "floto.decider"]
    assert decider_lines and all(r | about == r for r in decider_lines)

    assert len(set(tokens)) >= 4  # 3 activity tasks, and decision tasks
    assert not [token for token in tokens if token in text]  # botocore's DEBUG lines too
    assert "Credential=" in text and not re.search(r"Credential=(?!<redacted>)", text)


def test_text_lines_show_the_fields_and_hide_secrets():
    buffer = io.StringIO()
    handler = configure_logging("INFO", "text", buffer)
    try:
        with run_context(("s3cr3t-token",), domain="d", workflow_id="w", run_id="r", task_id="t"):
            logging.getLogger("user").info("token is %s", "s3cr3t-token")
            logging.getLogger("user").info("mine", extra={"run_id": "given"})
        logging.getLogger("user").info("outside")
    finally:
        logging.getLogger().removeHandler(handler)
    first, second, third = buffer.getvalue().splitlines()
    fields = "[domain=d workflow_id=w run_id=r task_id=t]"
    assert first.endswith(f"user INFO: token is <redacted> {fields}")
    assert "s3cr3t" not in buffer.getvalue()
    assert second.endswith(f"mine {fields}")
    assert third.endswith("user INFO: outside")
    assert isinstance(handler.formatter, TextFormatter)


def test_json_lines_keep_a_records_own_extra_fields():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m %s", ("a",), None)
    record.run_id = "given"
    with run_context(domain="d", run_id="r"):
        RunContextFilter().filter(record)
    document = json.loads(JsonFormatter().format(record))
    assert document["message"] == "m a" and document["domain"] == "d"
    assert document["run_id"] == "given"


def test_bad_levels_and_formats_are_refused_by_name():
    with pytest.raises(ValueError, match="log format must be one of text, json, got 'xml'"):
        configure_logging("INFO", "xml")
    with pytest.raises(ValueError, match="log level must be one of DEBUG"):
        configure_logging("LOUD")
