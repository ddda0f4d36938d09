"""Log formats (text and JSON lines) that show the run context, and the one set-up the
``floto worker`` / ``decider`` / ``local`` commands use."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any, TextIO

from floto.observability._context import FIELDS, RunContext, RunContextFilter, scrub

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TEXT_FORMAT = "%(asctime)s %(name)s %(levelname)s: %(message)s"
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "floto_context", "taskName",
}  # fmt: skip


def _context_of(record: logging.LogRecord) -> RunContext | None:
    context = getattr(record, "floto_context", None)
    return context if isinstance(context, RunContext) else None


def _ordered(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    known = [(key, fields[key]) for key in FIELDS if key in fields]
    return known + [(key, value) for key, value in fields.items() if key not in FIELDS]


class TextFormatter(logging.Formatter):
    """``time logger LEVEL: message [domain=... workflow_id=... run_id=... task_id=...]``.

    Secrets of the record's run context (the task token) are replaced by ``<redacted>``.
    """

    def __init__(self, fmt: str = TEXT_FORMAT, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        context = _context_of(record)
        if context is None:
            return scrub(text)
        if context.fields:
            pairs = " ".join(f"{key}={value}" for key, value in _ordered(context.fields))
            first, newline, rest = text.partition("\n")
            text = f"{first} [{pairs}]{newline}{rest}"
        return context.scrub(text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
    the run context's fields, a record's other ``extra`` fields, and ``exception``; task
    tokens and request signatures redacted as in :class:`TextFormatter`."""

    def format(self, record: logging.LogRecord) -> str:
        context = _context_of(record)
        clean = context.scrub if context is not None else scrub
        document: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": clean(record.getMessage()),
        }
        if context is not None:
            document.update(context.fields)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                document[key] = clean(value) if isinstance(value, str) else value
        if record.exc_info:
            document["exception"] = clean(self.formatException(record.exc_info))
        elif record.exc_text:
            document["exception"] = clean(record.exc_text)
        if record.stack_info:
            document["stack"] = clean(self.formatStack(record.stack_info))
        return clean(json.dumps(document, default=str, ensure_ascii=False))


def formatter(fmt: str = "text") -> logging.Formatter:
    """The formatter of a format name (``text`` or ``json``)."""
    if fmt == "text":
        return TextFormatter()
    if fmt == "json":
        return JsonFormatter()
    raise ValueError(f"log format must be one of {', '.join(FORMATS)}, got {fmt!r}")


def configure_logging(
    level: str | int = "INFO", fmt: str = "text", stream: TextIO | None = None
) -> logging.Handler:
    """Log to ``stream`` (default stderr) at ``level`` in format ``fmt``, run context included.

    Replaces the root logger's handlers with one handler that carries the
    :class:`RunContextFilter` (so an activity's own records show the run too); botocore's
    loggers are held at WARNING (its DEBUG lines hold request bodies). Returns the handler.
    """
    if isinstance(level, str):
        if level.upper() not in LEVELS:
            raise ValueError(f"log level must be one of {', '.join(LEVELS)}, got {level!r}")
        level = getattr(logging, level.upper())
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(formatter(fmt))
    handler.addFilter(RunContextFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("botocore").setLevel(logging.WARNING)
    return handler
