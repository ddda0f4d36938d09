"""The run a log record, metric or span is about: a context variable the loops set.

The worker sets it while it handles an activity task (so the activity function's own log
records carry it too), the decider while it answers a decision task. Heartbeat threads run
in a copy of the task's context. Secrets (the task token) are kept beside the fields, never
among them, so that formatters can scrub them from text and never print them.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

#: The fields, in the order the text format prints them.
FIELDS = ("domain", "workflow_id", "run_id", "task_id", "attempt", "activity_type", "task_list")


class RunContext:
    """What a log record is about (``fields``) and what it must never show (``secrets``)."""

    __slots__ = ("fields", "secrets")

    def __init__(self, fields: Mapping[str, Any], secrets: tuple[str, ...] = ()) -> None:
        self.fields = {key: value for key, value in fields.items() if value is not None}
        self.secrets = tuple(secret for secret in secrets if secret)

    def scrub(self, text: str) -> str:
        """``text`` with every secret replaced by ``<redacted>``."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "<redacted>")
        return scrub(text)


# A task token as botocore's DEBUG lines show requests and answers (JSON, or a Python dict),
# and the key id and signature of a signed request's Authorization header.
_SECRETS = re.compile(
    r"(?P<key>[\"']?task_?token[\"']?\s*[:=]\s*b?[\"'])[^\"']*(?P<end>[\"'])"
    r"|(?P<auth>(?:Credential|Signature)=)[^,/\s\"']+",
    re.IGNORECASE,
)


def _redact(match: re.Match[str]) -> str:
    if match.group("auth"):
        return match.group("auth") + "<redacted>"
    return match.group("key") + "<redacted>" + match.group("end")


def scrub(text: str) -> str:
    """``text`` with task tokens (``"taskToken": "..."``) and request signatures redacted."""
    lowered = text.lower()
    if "token" not in lowered and "credential=" not in lowered and "signature=" not in lowered:
        return text
    return _SECRETS.sub(_redact, text)


_CURRENT: contextvars.ContextVar[RunContext | None] = contextvars.ContextVar(
    "floto_run_context", default=None
)


def current() -> RunContext | None:
    """The run context in force here (None outside any task)."""
    return _CURRENT.get()


def current_fields() -> dict[str, Any]:
    """The fields of the run context in force here (``{}`` outside any task)."""
    context = _CURRENT.get()
    return dict(context.fields) if context is not None else {}


@contextlib.contextmanager
def run_context(secrets: tuple[str, ...] = (), **fields: Any) -> Iterator[RunContext]:
    """Within the block, log records (and metrics, spans) are about ``fields``.

    Fields given as None are left out; an enclosing context's fields are kept unless
    overridden, and its secrets stay secret.
    """
    outer = _CURRENT.get()
    merged = {**(outer.fields if outer else {}), **fields}
    context = RunContext(merged, (outer.secrets if outer else ()) + tuple(secrets))
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


Decode = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _id(value: Any, decode: Decode) -> str | None:
    return None if value is None else decode(str(value))


def activity_fields(
    domain: str, task_list: str, task: Mapping[str, Any], decode: Decode = _same
) -> dict[str, Any]:
    """The fields of a polled activity task; ``decode`` turns SWF's ids into floto's."""
    execution = task.get("workflowExecution") or {}
    activity_type = task.get("activityType") or {}
    name, version = activity_type.get("name"), activity_type.get("version")
    return {
        "domain": domain,
        "task_list": task_list,
        "workflow_id": _id(execution.get("workflowId"), decode),
        "run_id": execution.get("runId"),
        "task_id": _id(task.get("activityId"), decode),
        "activity_type": f"{name}:{version}" if name is not None else None,
        "started_event_id": task.get("startedEventId"),
    }


def decision_fields(
    domain: str, task_list: str, task: Mapping[str, Any], decode: Decode = _same
) -> dict[str, Any]:
    """The fields of a polled decision task."""
    execution = task.get("workflowExecution") or {}
    return {
        "domain": domain,
        "task_list": task_list,
        "workflow_id": _id(execution.get("workflowId"), decode),
        "run_id": execution.get("runId"),
        "started_event_id": task.get("startedEventId"),
    }


class RunContextFilter(logging.Filter):
    """Adds the run context's fields to each record as attributes (``record.run_id``...).

    A field the record already has (given with ``extra=``) is kept. Every record gets
    ``record.floto_context`` (the :class:`RunContext` or None), which floto's formatters
    read. Add it to a handler to have every record through it, an activity's own too,
    carry the fields; floto's own loggers have it already.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        context = getattr(record, "floto_context", None)
        if context is None:
            context = _CURRENT.get()
            record.floto_context = context
        if context is not None:
            attributes = record.__dict__
            for key, value in context.fields.items():
                if key not in attributes:
                    attributes[key] = value
        return True


_FILTER = RunContextFilter()
#: floto's loggers that log about tasks and runs: their records carry the run context.
RUN_LOGGERS = ("floto.worker", "floto.decider", "floto.api", "floto.history", "floto.launch")


def logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with the run-context filter on it (once)."""
    log = logging.getLogger(name)
    if _FILTER not in log.filters:
        log.addFilter(_FILTER)
    return log


for _name in RUN_LOGGERS:
    logger(_name)
