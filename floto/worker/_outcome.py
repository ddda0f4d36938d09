"""What an activity task's run amounts to: a result to send, or a failure with a reason.

Pure functions, so each rule of the wire contract is testable without SWF.
"""

from __future__ import annotations

import json
import traceback
from collections import Counter
from dataclasses import dataclass
from typing import Any

from floto.boundedjson import dumps_checked, loads
from floto.errors import PayloadError, SpecError
from floto.history import PayloadResolver, load_payload
from floto.limits import MAX_PAYLOAD_CHARS, MAX_VALUE_DEPTH
from floto.specs import JSONEncoder
from floto.specs.task import Task
from floto.wire import details_section, mentions_payload_ref
from floto.worker._context import ActivityContext, as_context
from floto.worker._logs import tail
from floto.worker._trace import format_user_traceback

FULL_TRACEBACK = "traceback with floto's frames"


@dataclass(frozen=True)
class Outcome:
    """``failed`` False: ``result`` is the JSON text to send (None: no result; text over
    SWF's limit is for the payload store). ``failed`` True: ``reason`` and ``details``
    describe the failure."""

    failed: bool
    result: str | None = None
    reason: str | None = None
    details: str | None = None

    @classmethod
    def success(cls, result: str | None) -> Outcome:
        return cls(False, result=result)

    @classmethod
    def failure(cls, reason: str, details: str | None = None) -> Outcome:
        return cls(True, reason=reason, details=details)


class BadInput(ValueError):
    """The task's input is not JSON that floto reads (see :func:`floto.boundedjson.loads`)."""


def parse_context(text: str | None, resolver: PayloadResolver | None = None) -> Any:
    """The context handed to the function: the task's input parsed as JSON (a dict becomes
    an :class:`ActivityContext`), an empty one if absent.

    Payload references in it (a stored input, or stored results of required tasks passed on
    by reference) are read through ``resolver`` and replaced by their values.

    Raises:
        BadInput: the input is not JSON, or is JSON that floto does not read (longer than
            SWF's payload limit, nested deeper than ``MAX_JSON_DEPTH``, numbers not finite),
            or holds a stored payload that cannot be read.
    """
    if text is None or text == "":
        return ActivityContext()
    try:
        value = loads(text, "", max_chars=MAX_PAYLOAD_CHARS)
    except SpecError as error:
        raise BadInput(
            f"the task's input is not JSON floto reads: {error.reason}; it begins {text[:100]!r}"
        ) from None
    if not mentions_payload_ref(text):
        return as_context(value)
    try:
        return as_context(load_payload(text, resolver))
    except (PayloadError, SpecError) as error:
        message = f"the task's input holds a stored payload that cannot be read: {error}"
        raise BadInput(message) from None


def from_exception(error: BaseException, what: str) -> Outcome:
    """A failure whose reason is the exception's message and whose details add the traceback
    from the user's code (floto's frames left out, notebook cells named ``Cell In[n]``), then
    the whole traceback in a section of its own (``floto.wire.split_details``)."""
    try:
        text = str(error)
    except Exception:  # a broken __str__ must not take the worker down with the task
        text = "<exception str() failed>"
    message = f"{type(error).__name__}: {text}" if text else type(error).__name__
    try:
        trace = format_user_traceback(error)
        full = details_section(FULL_TRACEBACK, format_user_traceback(error, keep_floto=True))
    except Exception:  # formatting must never fail the failure
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        full = ""
    return Outcome.failure(message, f"{what} raised {message}\n\n{trace.rstrip()}{full}")


def with_log_tail(outcome: Outcome, log: str) -> Outcome:
    """A failure with the tail of what the attempt printed and logged in its details."""
    if not outcome.failed or not log:
        return outcome
    shown = tail(log)
    name = f"output (last {len(shown):,} of {len(log):,} characters)"
    details = (outcome.details or outcome.reason or "") + details_section(name, shown)
    return Outcome.failure(outcome.reason or "", details)


def _preview(value: Any) -> str:
    """``repr(value)`` cut to 2,000 characters; a placeholder if it cannot be made."""
    try:
        return repr(value)[:2000]
    except Exception:  # too deep, or a __repr__ that raises
        return f"<{type(value).__name__} whose repr failed>"


def activity_outcome(value: Any, what: str) -> Outcome:
    """An activity's return value as a result: always JSON; None means no result."""
    if value is None:
        return Outcome.success(None)
    try:
        text = dumps_checked(value, MAX_VALUE_DEPTH, cls=JSONEncoder)
    except SpecError as error:  # not JSON, NaN, or deeper than floto reads back
        return Outcome.failure(
            f"{what} returned a value that {error.reason}", f"returned value: {_preview(value)}"
        )
    return Outcome.success(text)


def generator_outcome(value: Any, what: str) -> Outcome:
    """A generator's return value (a list of tasks, possibly empty) as a JSON list of tasks."""
    if not isinstance(value, list):
        return Outcome.failure(
            f"generator {what} must return a list of floto tasks, got {type(value).__name__}",
            f"returned value: {_preview(value)}",
        )
    bad = [(n, item) for n, item in enumerate(value) if not isinstance(item, Task)]
    if bad:
        listed = ", ".join(f"[{n}] {type(item).__name__}" for n, item in bad[:5])
        return Outcome.failure(
            f"generator {what} returned elements that are not floto tasks: {listed}"
        )
    try:
        documents = [task.to_dict() for task in value]
    except Exception as error:
        return from_exception(error, f"encoding the tasks of generator {what}")
    ids = [document["id_"] for document in documents]
    duplicates = sorted(task_id for task_id, count in Counter(ids).items() if count > 1)
    if duplicates:
        return Outcome.failure(
            f"generator {what} returned duplicate task ids: {', '.join(duplicates)}"
        )
    try:
        text = json.dumps(documents, cls=JSONEncoder, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        return Outcome.failure(f"generator {what} returned tasks whose input is not JSON: {error}")
    return Outcome.success(text)
