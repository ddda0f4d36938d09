"""The calls the worker and decider loops make: one ``with`` per task, one call per poll.

Each sets the run context (logs), counts (metrics, when enabled) and spans (tracing, when
enabled); with neither enabled a task costs a context-variable set and a clock read.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping
from typing import Any

from floto.observability import _metrics, _tracing
from floto.observability._context import (
    Decode,
    activity_fields,
    current_fields,
    decision_fields,
    run_context,
)


class ActivityObservation:
    """One activity attempt being observed; tell it the outcome with :meth:`outcome`."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.fields = fields
        self.span: Any = None
        self.result: str | None = None
        self.reason: str | None = None

    def outcome(self, result: str, reason: str | None = None) -> None:
        """``completed``, ``failed`` or ``canceled`` (as responded), with a failure's reason."""
        self.result, self.reason = result, reason


@contextlib.contextmanager
def activity_task(
    domain: str, task_list: str, task: Mapping[str, Any], decode: Decode = str
) -> Iterator[ActivityObservation]:
    """Observe one polled activity task while the block handles it (its token is secret);
    ``decode`` turns SWF's ids into the ones logs show."""
    fields = activity_fields(domain, task_list, task, decode)
    observation = ActivityObservation(fields)
    metrics = _metrics.active_metrics()
    labels = (domain, task_list, fields.get("activity_type"))
    if metrics is not None:
        metrics.child(metrics.activity_tasks, *labels, "started").inc()
    began = time.perf_counter()
    with (
        run_context((str(task.get("taskToken") or ""),), **fields),
        _tracing.span("floto.activity", fields) as span,
    ):
        observation.span = span
        try:
            yield observation
        finally:
            if observation.result == "failed":
                _tracing.mark_failed(span, observation.reason or "failed")
            if metrics is not None:
                metrics.child(metrics.activity_seconds, *labels).observe(
                    time.perf_counter() - began
                )
                if observation.result is not None:
                    metrics.child(metrics.activity_tasks, *labels, observation.result).inc()


class DecisionObservation:
    """One decision task being observed."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.fields = fields
        self.cached: bool | None = None
        self.decision_types: list[str] = []
        self.timed_out: list[str] = []

    def planned(self, cached: bool, decisions: list[dict[str, Any]], new_events: Any) -> None:
        """What the task found (``cached``: the run's state was in the cache), what it sent
        and the history events new since the previous decision task."""
        self.cached = cached
        self.decision_types = [str(decision.get("decisionType")) for decision in decisions]
        previous = int(self.fields.get("previous_started_event_id") or 0)
        for event in new_events:
            if event.get("eventType") == "ActivityTaskTimedOut" and event["eventId"] > previous:
                self.timed_out.append(str(event["eventId"]))


@contextlib.contextmanager
def decision_task(
    domain: str, task_list: str, task: Mapping[str, Any], decode: Decode = str
) -> Iterator[DecisionObservation]:
    """Observe one polled decision task while the block answers it."""
    fields = decision_fields(domain, task_list, task, decode)
    observation = DecisionObservation(
        {**fields, "previous_started_event_id": task.get("previousStartedEventId")}
    )
    began = time.perf_counter()
    with (
        run_context((str(task.get("taskToken") or ""),), **fields),
        _tracing.span("floto.decision", fields) as span,
    ):
        try:
            yield observation
        finally:
            if span is not None and observation.cached is not None:
                span.set_attribute("floto.cache", "hit" if observation.cached else "cold")
                span.set_attribute("floto.decisions", len(observation.decision_types))
            metrics = _metrics.active_metrics()
            if metrics is not None and observation.cached is not None:
                _count_decision(metrics, domain, task_list, observation, began)


def _count_decision(
    metrics: _metrics.Metrics, domain: str, task_list: str,
    observation: DecisionObservation, began: float,
) -> None:  # fmt: skip
    cache = "hit" if observation.cached else "cold"
    metrics.child(metrics.decision_tasks, domain, task_list, cache).inc()
    metrics.child(metrics.decision_seconds, domain, task_list).observe(time.perf_counter() - began)
    for decision_type in observation.decision_types:
        metrics.child(metrics.decisions, domain, task_list, decision_type).inc()
    if observation.timed_out:
        metrics.child(metrics.timed_out, domain, task_list, "").inc(len(observation.timed_out))


def polled(role: str, domain: str, task_list: str, got_task: bool) -> None:
    """A poll by a ``worker`` or ``decider`` came back, with a task or empty."""
    metrics = _metrics.active_metrics()
    if metrics is not None:
        result = "task" if got_task else "empty"
        metrics.child(metrics.polls, role, domain, task_list, result).inc()


def poll_failed(role: str, domain: str, task_list: str, error: BaseException, delay: float) -> None:
    """A poll (or a decider's round) failed; the loop waits ``delay`` seconds."""
    metrics = _metrics.active_metrics()
    if metrics is None:
        return
    code = str(getattr(error, "code", None) or type(error).__name__)
    metrics.child(metrics.polls, role, domain, task_list, "error").inc()
    metrics.child(metrics.poll_errors, role, domain, task_list, code).inc()
    metrics.child(metrics.backoffs, role, domain, task_list).inc()
    metrics.child(metrics.backoff_seconds, role, domain, task_list).inc(delay)


def throttled(operation: str) -> None:
    """An SWF call was answered with throttling (it is retried)."""
    metrics = _metrics.active_metrics()
    if metrics is not None:
        metrics.child(metrics.throttles, operation).inc()


def heartbeat_failed() -> None:
    """A heartbeat of the task in the current run context failed."""
    metrics = _metrics.active_metrics()
    if metrics is not None:
        fields = current_fields()
        labels = (fields.get("domain"), fields.get("task_list"), fields.get("activity_type"))
        metrics.child(metrics.heartbeat_failures, *labels).inc()


def task_context(domain: str, task_list: str, task: Mapping[str, Any], decode: Decode = str) -> Any:
    """The run context of a polled activity task, as a ``with`` block (logs only)."""
    fields = activity_fields(domain, task_list, task, decode)
    return run_context((str(task.get("taskToken") or ""),), **fields)
