"""Prometheus metrics of the worker and decider loops (extra ``floto[metrics]``).

Nothing is counted until :func:`enable_metrics` (or :func:`serve_metrics`) is called; until
then every hook is one ``if``. Labels are the domain, the task list and the activity type,
never a run id (one series per run would grow without end).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from floto.observability._extras import require

ACTIVITY_LABELS = ("domain", "task_list", "activity_type")
LOOP_LABELS = ("domain", "task_list")
ACTIVITY_BUCKETS = (0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400)
DECISION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
OUTCOMES = ("completed", "failed", "canceled")


def _prometheus() -> Any:
    return require("prometheus_client", "metrics need prometheus-client", "metrics")


class Metrics:
    """floto's counters and histograms, registered in one Prometheus registry.

    Names (each counter ends in ``_total`` when exposed):

    * ``floto_polls{role, domain, task_list, result}``: polls by worker or decider that
      brought a ``task``, came back ``empty`` or failed (``error``);
    * ``floto_activity_tasks{domain, task_list, activity_type, outcome}``: activity tasks
      handled, by ``started`` (the function was called) and ``completed`` / ``failed`` /
      ``canceled`` (the response SWF got); ``floto_activity_task_seconds``: their run time;
    * ``floto_activity_tasks_timed_out{domain, task_list, activity_type}``: timeouts the
      decider saw in new history events (``task_list``: the decision task list);
    * ``floto_decision_tasks{domain, task_list, cache}``: decision tasks answered, ``hit``
      (the run's state was cached) or ``cold`` (the whole history replayed);
      ``floto_decision_task_seconds``: from the poll's answer to the response;
      ``floto_decisions{domain, task_list, decision_type}``: decisions sent;
    * ``floto_poll_errors{role, domain, task_list, error}``, ``floto_backoffs{role, domain,
      task_list}`` and ``floto_backoff_seconds``: failed polls and the waits after them;
    * ``floto_throttles{operation}``: SWF calls answered with throttling (each is retried);
    * ``floto_heartbeat_failures{domain, task_list, activity_type}``.
    """

    def __init__(self, registry: Any = None) -> None:
        prom = _prometheus()
        self.registry = registry if registry is not None else prom.REGISTRY
        counter, histogram = prom.Counter, prom.Histogram
        reg = {"registry": self.registry}
        self.polls = counter("floto_polls", "Polls for tasks, by result.",
                             ("role", *LOOP_LABELS, "result"), **reg)  # fmt: skip
        self.activity_tasks = counter("floto_activity_tasks", "Activity tasks, by outcome.",
                                      (*ACTIVITY_LABELS, "outcome"), **reg)  # fmt: skip
        self.activity_seconds = histogram(
            "floto_activity_task_seconds", "Run time of activity functions.", ACTIVITY_LABELS,
            buckets=ACTIVITY_BUCKETS, **reg,
        )  # fmt: skip
        self.timed_out = counter("floto_activity_tasks_timed_out", "Activity timeouts seen "
                                 "by deciders.", ACTIVITY_LABELS, **reg)  # fmt: skip
        self.decision_tasks = counter("floto_decision_tasks", "Decision tasks answered.",
                                      (*LOOP_LABELS, "cache"), **reg)  # fmt: skip
        self.decision_seconds = histogram(
            "floto_decision_task_seconds", "Poll answer to response, per decision task.",
            LOOP_LABELS, buckets=DECISION_BUCKETS, **reg,
        )  # fmt: skip
        self.decisions = counter("floto_decisions", "Decisions sent.",
                                 (*LOOP_LABELS, "decision_type"), **reg)  # fmt: skip
        self.poll_errors = counter("floto_poll_errors", "Failed polls.",
                                   ("role", *LOOP_LABELS, "error"), **reg)  # fmt: skip
        self.backoffs = counter("floto_backoffs", "Back-off waits after errors.",
                                ("role", *LOOP_LABELS), **reg)  # fmt: skip
        self.backoff_seconds = counter("floto_backoff_seconds", "Seconds of back-off waits.",
                                       ("role", *LOOP_LABELS), **reg)  # fmt: skip
        self.throttles = counter("floto_throttles", "SWF calls throttled.", ("operation",), **reg)
        self.heartbeat_failures = counter("floto_heartbeat_failures", "Heartbeats that failed.",
                                          ACTIVITY_LABELS, **reg)  # fmt: skip
        self._children: dict[tuple[Any, ...], Any] = {}

    def child(self, metric: Any, *labels: Any) -> Any:
        """``metric.labels(*labels)``, cached (the hooks run once or more per task)."""
        key = (id(metric), *labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*(str(label) for label in labels))
        return found


_lock = threading.Lock()
_active: Metrics | None = None
_servers: dict[tuple[str, int], Any] = {}


def enable_metrics(registry: Any = None) -> Metrics:
    """Start counting (once per process; later calls return the same :class:`Metrics`).

    ``registry``: a ``prometheus_client.CollectorRegistry`` (default: prometheus-client's
    global one, which ``prometheus_client.start_http_server`` serves).
    """
    global _active
    with _lock:
        if _active is None:
            _active = Metrics(registry)
        elif registry is not None and _active.registry is not registry:
            raise ValueError("floto's metrics are already enabled with another registry")
        return _active


def disable_metrics() -> None:
    """Stop counting and unregister floto's metrics (tests; a process that enables them again)."""
    global _active
    with _lock:
        metrics, _active = _active, None
    if metrics is not None:
        for name in vars(metrics).values():
            if hasattr(name, "_name") and hasattr(name, "collect"):
                with contextlib.suppress(KeyError):
                    metrics.registry.unregister(name)


def active_metrics() -> Metrics | None:
    """The enabled :class:`Metrics`, or None."""
    return _active


def serve_metrics(port: int, host: str = "0.0.0.0", registry: Any = None) -> int:
    """Enable floto's metrics and serve them over HTTP at ``host:port`` (``/metrics``), from a
    daemon thread. Returns the port (the one chosen when ``port`` is 0)."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"metrics port must be a whole number from 0 to 65535, got {port!r}")
    metrics = enable_metrics(registry)
    with _lock:
        server = _servers.get((host, port))
        if server is None:
            try:
                server, _thread = _prometheus().start_http_server(
                    port, addr=host, registry=metrics.registry
                )
            except OSError as error:
                raise OSError(
                    f"could not serve metrics on {host}:{port}: {error.strerror or error}"
                ) from error
            port = server.server_port
            _servers[(host, port)] = server
        return int(server.server_port)
