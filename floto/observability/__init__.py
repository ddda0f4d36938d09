"""Running floto in production: logs that name the run, metrics, traces (docs/production.md).

The worker and decider loops call the hooks here (:func:`activity_task`,
:func:`decision_task`, :func:`polled`, ...); what they produce is chosen by the process:

* logs: every record floto emits while it handles a task, and an activity function's own,
  carries the run context (``domain``, ``workflow_id``, ``run_id``, ``task_id``, ...) as
  record attributes through :class:`RunContextFilter`; :func:`configure_logging` sets up
  text or JSON lines with it;
* metrics: :func:`enable_metrics` / :func:`serve_metrics` (extra ``floto[metrics]``);
* traces: :func:`enable_tracing` (extra ``floto[tracing]``).
"""

from floto.observability._context import (
    FIELDS,
    RunContext,
    RunContextFilter,
    current_fields,
    logger,
    run_context,
)
from floto.observability._hooks import (
    activity_task,
    decision_task,
    heartbeat_failed,
    poll_failed,
    polled,
    task_context,
    throttled,
)
from floto.observability._logs import (
    FORMATS,
    LEVELS,
    JsonFormatter,
    TextFormatter,
    configure_logging,
    formatter,
)
from floto.observability._metrics import (
    Metrics,
    active_metrics,
    disable_metrics,
    enable_metrics,
    serve_metrics,
)
from floto.observability._tracing import disable_tracing, enable_tracing, trace_id_of

__all__ = [
    "FIELDS",
    "FORMATS",
    "LEVELS",
    "JsonFormatter",
    "Metrics",
    "RunContext",
    "RunContextFilter",
    "TextFormatter",
    "active_metrics",
    "activity_task",
    "configure_logging",
    "current_fields",
    "decision_task",
    "disable_metrics",
    "disable_tracing",
    "enable_metrics",
    "enable_tracing",
    "formatter",
    "heartbeat_failed",
    "logger",
    "poll_failed",
    "polled",
    "run_context",
    "serve_metrics",
    "task_context",
    "throttled",
    "trace_id_of",
]
