"""What floto writes into SWF besides task ids: timer ids, child workflow ids, ``control``
fields and marker names. The decider writes them; the derivation reads them back.

Rules (also in docs/decider.md):

* Activity ids and user timer ids are ``floto.ids.to_swf_id(task_id)``.
* A delayed retry's timer id is ``%retry<n>.<encoded task id>`` (``n``: failures so far), or
  ``%retry<n>.#<sha1 of the task id>`` when that would pass 256 characters. ``to_swf_id``
  always escapes ``%`` as ``%25``, so no encoded task id starts with ``%r``: retry timers
  can never collide with user timers. The timer's ``control`` names the task.
* A wake-up timer (fires at once, so that decisions left over after a full response are sent
  on the next decision task) has the id ``%wake<startedEventId>``.
* A child workflow's id is ``to_swf_id(parent workflow id + ":" + task id)``: unique per
  parent workflow id, so two parent runs never start children with one id. When that would
  pass 256 characters it is ``<first 150 characters>.#<sha1>`` instead. The
  StartChildWorkflowExecution ``control`` names the task; ids are never parsed when it is
  there.
* ``control`` is JSON text of an object: ``{"task": id}`` (child workflows),
  ``{"retry": id}`` (retry timers), ``{"task": id, "signal": event id}`` (the Daemon's
  children).
* A rerun (a new run that reuses what an earlier run completed) starts with the input
  ``{"floto.rerun_of": {"workflowId": ..., "runId": ...}, "input": <the input text>}``; the
  history unwraps it, so tasks see the input as it was. Its decider records what it reused in
  ``floto.reused`` markers: JSON lists of ``{"task": id, "result": value}`` (no ``result``
  for a task that returned none), in dependency order.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from floto.boundedjson import loads
from floto.errors import SpecError
from floto.ids import from_swf_id, to_swf_id
from floto.limits import MAX_ID_CHARS, MAX_PAYLOAD_CHARS

TASKS_MARKER = "floto.tasks"
"""Marker whose details are a JSON list of the run's tasks (several markers if large)."""

RESULT_MARKER = "floto.result"
"""Marker recording a run's result before it continues as new (repeat_workflow)."""

SHARDS_MARKER = "floto.shards"
"""Marker whose details list shards: ``[{"shard": id, "members": [task ids]}]``."""

SHARD_TYPE = ("floto_shard", "v1")
"""The workflow type of shards (child runs floto makes to stay under SWF's event limit)."""

SHARD_KEY = "floto.shard"
"""Key of a shard run's input: ``{"tasks": [...], "given": {id: {"result": ...}}, ...}``."""

REUSED_MARKER = "floto.reused"
"""Marker whose details list tasks a rerun reused from the earlier run, with their results."""

RERUN_KEY = "floto.rerun_of"
"""Key of a rerun's input naming the earlier run: ``{"workflowId": ..., "runId": ...}``."""

SIGNAL_REJECTED_MARKER = "floto.signal_rejected"
"""Marker recording a Daemon signal that could not be acted on: ``{"signal", "error"}``."""

RETRY_PREFIX = "%retry"
WAKE_PREFIX = "%wake"


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _encoded_or_hash(task_id: str, room: int) -> str:
    """``to_swf_id(task_id)`` if it fits in ``room`` characters, else ``#<sha1>``."""
    try:
        encoded = to_swf_id(task_id)
    except ValueError:
        encoded = ""
    if encoded and len(encoded) <= room:
        return encoded
    return "#" + _sha1(task_id)


def retry_timer_id(task_id: str, failures: int) -> str:
    """The timer id of the delayed retry that follows the ``failures``-th failure."""
    prefix = f"{RETRY_PREFIX}{failures}."
    return prefix + _encoded_or_hash(task_id, MAX_ID_CHARS - len(prefix))


def wake_timer_id(started_event_id: int) -> str:
    """The id of the wake-up timer started by the decision task ``started_event_id``."""
    return f"{WAKE_PREFIX}{started_event_id}"


def is_retry_timer(timer_id: str) -> bool:
    """Whether ``timer_id`` is a delayed retry's timer."""
    return timer_id.startswith(RETRY_PREFIX)


def is_wake_timer(timer_id: str) -> bool:
    """Whether ``timer_id`` is a wake-up timer."""
    return timer_id.startswith(WAKE_PREFIX)


def child_workflow_id(parent_workflow_id: str, task_id: str) -> str:
    """The workflow id of the child that runs ``task_id`` for the parent ``parent_workflow_id``."""
    joined = f"{parent_workflow_id}:{task_id}"
    try:
        return to_swf_id(joined)
    except ValueError:
        # The parent's id is a valid SWF id already; its head keeps the child recognisable.
        return f"{parent_workflow_id[:150]}.#{_sha1(joined)}"


def task_id_from_child_workflow_id(workflow_id: str) -> str:
    """The task id in a child workflow id made by :func:`child_workflow_id` (best effort).

    Parent workflow ids cannot contain ``:``, so the task id is everything after the first
    one. Ids without ``:`` (hashed, or not floto's) are returned decoded, as they are.
    """
    decoded = from_swf_id(workflow_id)
    _, sep, task_id = decoded.partition(":")
    return task_id if sep else decoded


def control(**fields: Any) -> str:
    """``control`` text for a decision (sorted JSON)."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def read_control(text: Any) -> dict[str, Any]:
    """The object in a ``control`` field, or ``{}`` if it is absent or not floto's."""
    if not isinstance(text, str) or not text.startswith("{"):
        return {}
    try:
        value = loads(text, "control", max_chars=MAX_PAYLOAD_CHARS)
    except SpecError:  # not floto's: too deep, too long, not JSON
        return {}
    return value if isinstance(value, dict) else {}


def rerun_input(input_text: str | None, workflow_id: str, run_id: str) -> str:
    """The input of a rerun of run ``run_id`` whose own input was ``input_text``."""
    wrapper: dict[str, Any] = {RERUN_KEY: {"workflowId": workflow_id, "runId": run_id}}
    if input_text is not None:
        wrapper["input"] = input_text
    return json.dumps(wrapper, sort_keys=True, separators=(",", ":"))


def read_rerun_input(text: str | None) -> tuple[dict[str, str] | None, str | None]:
    """(the earlier run a rerun's input names, the input text as it was); ``(None, text)`` for
    an input that is not a rerun's."""
    if not isinstance(text, str) or not text.startswith('{"' + RERUN_KEY):
        return None, text
    try:
        value = loads(text, "input", max_chars=MAX_PAYLOAD_CHARS)
    except SpecError:  # not JSON floto reads (too deep, NaN...): not a rerun's
        return None, text
    source = value.get(RERUN_KEY) if isinstance(value, dict) else None
    if not (
        isinstance(source, dict)
        and isinstance(source.get("workflowId"), str)
        and isinstance(source.get("runId"), str)
        and set(value) <= {RERUN_KEY, "input"}
        and isinstance(value.get("input", ""), str)
    ):
        return None, text
    return {"workflowId": source["workflowId"], "runId": source["runId"]}, value.get("input")
