"""One trace per run: a span per decision task and per activity attempt, ids as attributes,
the trace id derived from the run id (OpenTelemetry's SDK, in-memory exporter; a real run)."""

from __future__ import annotations

from collections import Counter

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

import floto
import floto.testing
from floto import observability
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()
PROVIDER = TracerProvider()
EXPORTER = InMemorySpanExporter()
PROVIDER.add_span_processor(SimpleSpanProcessor(EXPORTER))


@floto.activity("traced", "1", registry=REGISTRY)
def traced(context):
    with trace.get_tracer("user", tracer_provider=PROVIDER).start_as_current_span("user work"):
        return "done"


@floto.activity("traced_fails", "1", registry=REGISTRY)
def traced_fails():
    raise ValueError("no")


@pytest.fixture
def spans():
    EXPORTER.clear()
    observability.enable_tracing(PROVIDER)
    yield EXPORTER
    observability.disable_tracing()


def test_a_run_is_one_trace_of_decisions_and_attempts(local_engine, spans):
    a = ActivityTask(name="traced", version="1")
    b = ActivityTask(name="traced", version="1", input=2, requires=[a])
    bad = ActivityTask(name="traced_fails", version="1", retry_strategy=InstantRetry(1))
    with floto.testing.Environment(engine=local_engine, registry=REGISTRY, workers=1) as env:
        launched = env.launch([a, b, bad])
        env.wait(launched)
        events = Counter(event["eventType"] for event in env.history(launched))
    finished = spans.get_finished_spans()
    mine = [s for s in finished if s.attributes.get("floto.run_id") == launched.run_id]
    names = Counter(s.name for s in mine)
    assert names["floto.decision"] == events["DecisionTaskCompleted"]
    assert names["floto.activity"] == events["ActivityTaskStarted"] == 4
    trace_id = observability.trace_id_of(launched.run_id)
    assert {s.context.trace_id for s in mine} == {trace_id}
    activity_spans = [s for s in mine if s.name == "floto.activity"]
    assert Counter(s.attributes["floto.task_id"] for s in activity_spans) == {
        a.id_: 1, b.id_: 1, bad.id_: 2,
    }  # fmt: skip
    assert all(s.attributes["floto.workflow_id"] == launched.workflow_id for s in mine)
    assert all(s.attributes["floto.domain"] == env.domain for s in mine)
    failed = [s for s in activity_spans if s.attributes["floto.task_id"] == bad.id_]
    assert {s.status.status_code for s in failed} == {StatusCode.ERROR}
    # the activity's own spans nest under its attempt's span, in the same trace
    user = [s for s in finished if s.name == "user work" and s.context.trace_id == trace_id]
    parents = {s.context.span_id: s for s in activity_spans}
    assert len(user) == 2 and all(s.parent.span_id in parents for s in user)
    decisions = [s for s in mine if s.name == "floto.decision"]
    assert Counter(s.attributes["floto.cache"] for s in decisions)["cold"] == 1


def test_trace_ids_are_stable_distinct_and_never_zero():
    assert observability.trace_id_of("run-1") == observability.trace_id_of("run-1")
    assert observability.trace_id_of("run-1") != observability.trace_id_of("run-2")
    assert 0 < observability.trace_id_of("") < 2**128
