"""OpenTelemetry spans of decision tasks and activity attempts (extra ``floto[tracing]``).

All spans of one run share one trace whose id is derived from the run id, so nothing new
travels through SWF: a decider and the workers of one run, in any processes, put their spans
in the same trace. Spans are made only after :func:`enable_tracing`.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from floto.observability._extras import require

_tracer: Any = None


def _otel() -> Any:
    return require("opentelemetry.trace", "tracing needs OpenTelemetry", "tracing")


def enable_tracing(tracer_provider: Any = None) -> None:
    """Make spans from now on, through ``tracer_provider`` (default: OpenTelemetry's global
    provider, which the application configures with its exporter)."""
    global _tracer
    trace = _otel()
    _tracer = trace.get_tracer("floto", tracer_provider=tracer_provider)


def disable_tracing() -> None:
    """Make no more spans."""
    global _tracer
    _tracer = None


def trace_id_of(run_id: str) -> int:
    """The 128-bit trace id of a run: the first 16 bytes of SHA-256 of its run id (never 0)."""
    return int.from_bytes(hashlib.sha256(run_id.encode()).digest()[:16], "big") or 1


def _run_parent(trace: Any, run_id: str) -> Any:
    """A context whose (remote, never exported) parent span is the run's root."""
    span_id = int.from_bytes(hashlib.sha256(b"span:" + run_id.encode()).digest()[:8], "big")
    parent = trace.SpanContext(
        trace_id=trace_id_of(run_id), span_id=span_id or 1, is_remote=True,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
    )  # fmt: skip
    return trace.set_span_in_context(trace.NonRecordingSpan(parent))


@contextlib.contextmanager
def span(name: str, fields: Mapping[str, Any]) -> Iterator[Any]:
    """A span named ``name`` in the run's trace (``fields`` as ``floto.*`` attributes), or
    None while tracing is off."""
    tracer = _tracer
    if tracer is None:
        yield None
        return
    trace = _otel()
    run_id = fields.get("run_id")
    context = _run_parent(trace, str(run_id)) if run_id else None
    attributes = {
        f"floto.{key}": value if isinstance(value, (str, int, float, bool)) else str(value)
        for key, value in fields.items() if value is not None
    }  # fmt: skip
    with tracer.start_as_current_span(name, context=context, attributes=attributes) as current:
        yield current


def mark_failed(current: Any, reason: str) -> None:
    """Set a span's status to ERROR with ``reason`` (a task that failed without raising)."""
    if current is None:
        return
    from opentelemetry.trace import Status, StatusCode

    current.set_status(Status(StatusCode.ERROR, reason[:256]))
