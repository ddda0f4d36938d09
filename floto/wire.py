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
* A run's back-off timer (every task SWF refused for a passing limit waits for it, so a
  drained quota costs one timer, not one per task) has the id ``%backoff<startedEventId>``.
* A child workflow's id is ``to_swf_id(parent workflow id + ":" + task id)``: unique per
  parent workflow id, so two parent runs never start children with one id. When that would
  pass 256 characters it is ``<first 150 characters>.#<sha1>`` instead. The
  StartChildWorkflowExecution ``control`` names the task; ids are never parsed when it is
  there.
* ``control`` is JSON text of an object: ``{"task": id}`` (child workflows),
  ``{"retry": id}`` (retry timers), ``{"task": id, "signal": event id}`` (the Daemon's
  children).
* A payload too large for its SWF field is stored outside SWF (floto.api's payload store)
  and the field holds a **payload reference** instead: the JSON object
  ``{"floto.payload": {"v": 1, "url": "s3://bucket/key", "size": <bytes>, "sha256": <hex>}}``
  standing for the value the stored text encodes. A reference may also sit *inside* a
  JSON payload (an activity's context passes a required task's stored result on this way),
  so readers resolve references at any depth (see :func:`mentions_payload_ref`).
* A rerun (a new run that reuses what an earlier run completed) starts with the input
  ``{"floto.rerun_of": {"workflowId": ..., "runId": ...}, "input": <the input text>}``; the
  history unwraps it, so tasks see the input as it was. Its decider records what it reused in
  ``floto.reused`` markers: JSON lists of ``{"task": id, "result": value}`` (no ``result``
  for a task that returned none), in dependency order.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from floto.boundedjson import loads
from floto.errors import SpecError
from floto.ids import from_swf_id, to_swf_id
from floto.limits import MAX_ID_CHARS, MAX_PAYLOAD_CHARS

TASKS_MARKER = "floto.tasks"
"""Marker recording the run's tasks (several markers if large); see :func:`pack_task_records`."""

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

MIGRATED_MARKER = "floto.migrated"
"""Marker whose details list how a run moved onto a changed spec (``in_flight="migrate"``):
``[{"remove": task id} | {"change": task form}]`` (added tasks are in ``floto.tasks``)."""

SIGNAL_REJECTED_MARKER = "floto.signal_rejected"
"""Marker recording a Daemon signal that could not be acted on: ``{"signal", "error"}``."""

PAYLOAD_KEY = "floto.payload"
"""The one key of a payload reference object."""

PAYLOAD_REF_VERSION = 1

RETRY_PREFIX = "%retry"
WAKE_PREFIX = "%wake"
BACKOFF_PREFIX = "%backoff"


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


def backoff_timer_id(started_event_id: int) -> str:
    """The id of the run's back-off timer started by the decision task ``started_event_id``:
    every task SWF refused for a passing limit (a rate, an open count) waits for it."""
    return f"{BACKOFF_PREFIX}{started_event_id}"


def is_backoff_timer(timer_id: str) -> bool:
    """Whether ``timer_id`` is a run's back-off timer."""
    return timer_id.startswith(BACKOFF_PREFIX)


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


@dataclass(frozen=True)
class PayloadRef:
    """A payload stored outside SWF: where (``url``, ``s3://bucket/key``), how many bytes of
    UTF-8 text (``size``) and their SHA-256 (``sha256``, hex)."""

    url: str
    size: int
    sha256: str

    def to_value(self) -> dict[str, Any]:
        """The reference as a JSON value (what SWF's field, or a context, holds)."""
        fields = {"v": PAYLOAD_REF_VERSION, "url": self.url, "size": self.size,
                  "sha256": self.sha256}  # fmt: skip
        return {PAYLOAD_KEY: fields}

    def to_text(self) -> str:
        """The reference as JSON text."""
        return json.dumps(self.to_value(), sort_keys=True, separators=(",", ":"))

    @property
    def bucket_and_key(self) -> tuple[str, str]:
        """``(bucket, key)`` of an ``s3://`` url."""
        bucket, _, key = self.url.removeprefix("s3://").partition("/")
        return bucket, key


def read_payload_ref(value: Any) -> PayloadRef | None:
    """The reference a JSON value is, or None if it is not one (anything else, even a
    look-alike with other fields, is a plain value)."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    fields = value.get(PAYLOAD_KEY)
    if not isinstance(fields, dict) or fields.get("v") != PAYLOAD_REF_VERSION:
        return None
    url, size, sha256 = fields.get("url"), fields.get("size"), fields.get("sha256")
    if not (isinstance(url, str) and url.startswith("s3://") and isinstance(sha256, str)):
        return None
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    return PayloadRef(url, size, sha256)


def payload_ref_of_text(text: Any) -> PayloadRef | None:
    """The reference a field's whole text is, or None (cheap for ordinary payloads)."""
    if not isinstance(text, str) or not text.startswith('{"' + PAYLOAD_KEY) or len(text) > 4096:
        return None
    try:
        return read_payload_ref(json.loads(text))
    except ValueError:
        return None


def mentions_payload_ref(text: Any) -> bool:
    """Whether JSON text may hold a payload reference anywhere in it (a substring test, so
    payloads without one are never walked). Escaped quotes inside JSON strings never match.
    """
    return isinstance(text, str) and f'"{PAYLOAD_KEY}"' in text


# -- compact task records (floto.tasks markers) --------------------------------------------
RECORDS_VERSION = 2
_ENVELOPE = 64  # room for {"at":..,"more":..,"tasks":[],"v":2} around the forms


def compact_ids(ids: list[str], positions: dict[str, int]) -> list[Any]:
    """Requirement ids as record positions: ``i`` for one task, ``[a, b]`` for the run of
    tasks recorded at a..b (in order), the id itself for a task not recorded."""
    packed: list[Any] = []
    for task_id in ids:
        position = positions.get(task_id)
        if position is None:
            packed.append(task_id)
            continue
        last = packed[-1] if packed else None
        if isinstance(last, int) and not isinstance(last, bool) and position == last + 1:
            packed[-1] = [last, position]
        elif isinstance(last, list) and position == last[1] + 1:
            last[1] = position
        else:
            packed.append(position)
    return packed


def expand_ids(packed: Any, recorded: list[str]) -> list[str]:
    """The ids :func:`compact_ids` packed, given the run's recorded task ids in order.

    Raises:
        ValueError: an item that is not a position, a range or an id.
    """
    if not isinstance(packed, list):
        raise ValueError(f"requirements must be a list, got {type(packed).__name__}")
    ids: list[str] = []
    for item in packed:
        if isinstance(item, str):
            ids.append(item)
        elif isinstance(item, int) and not isinstance(item, bool) and 0 <= item < len(recorded):
            ids.append(recorded[item])
        elif (
            isinstance(item, list) and len(item) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in item)
            and 0 <= item[0] <= item[1] < len(recorded)
        ):  # fmt: skip
            ids.extend(recorded[item[0] : item[1] + 1])
        else:
            raise ValueError(f"bad requirement {item!r} in a task record")
    return ids


def _record(at: int, forms: list[str], more: bool, extend: str | None = None) -> str:
    head = f'{{"at":{at},"v":{RECORDS_VERSION},"more":{"true" if more else "false"}'
    if extend is not None:
        head += f',"extend":{extend}'
    return head + ',"tasks":[' + ",".join(forms) + "]}"


def _split_list(items: list[Any], room: int) -> tuple[list[Any], list[Any]]:
    """The longest head of ``items`` whose JSON fits ``room`` characters, and the rest."""
    size, count = 2, 0
    for item in items:
        extra = len(json.dumps(item, separators=(",", ":"))) + 1
        if size + extra > room and count:
            break
        size += extra
        count += 1
    return items[:count], items[count:]


def pack_task_records(
    forms: list[dict[str, Any]], recorded: list[str], limit: int = MAX_PAYLOAD_CHARS
) -> list[list[str]]:
    """The details of the ``floto.tasks`` markers recording ``forms`` (task JSON forms, in
    order, each after its requirements), each at most ``limit`` characters, in groups that
    must be recorded together (one response).

    ``recorded``: ids the run's earlier markers recorded, in order. A requirement on a task
    recorded before is written as its position (runs of positions as ``[first, last]``), so
    a fan-in of 10,000 tasks costs a few characters; a task whose requirements still do not
    fit is continued in the next markers of its group (``more`` / ``extend``). A task whose
    JSON alone is too long is recorded without its input.
    """
    positions = {task_id: n for n, task_id in enumerate(recorded)}
    groups: list[list[str]] = []
    chunk: list[str] = []
    chunk_at, size = len(recorded), _ENVELOPE
    room = limit - _ENVELOPE
    for form in forms:
        position = len(positions)
        packed = compact_ids(list(form.get("requires") or []), positions)
        positions[form["id_"]] = position
        body = {key: value for key, value in form.items() if key != "requires"}
        if len(_dumps(body)) + 16 > room // 2:
            body.pop("input", None)
        text = _dumps({**body, "r": packed}) if packed else _dumps(body)
        if chunk and size + len(text) + 1 > limit:
            groups.append([_record(chunk_at, chunk, False)])
            chunk, chunk_at, size = [], position, _ENVELOPE
        if len(text) <= room:
            chunk.append(text)
            size += len(text) + 1
            continue
        # one task too long even alone: its requirements go on in continuation records
        head, rest = _split_list(packed, room - len(_dumps(body)) - 8)
        chunk.append(_dumps({**body, "r": head}))
        group = [_record(chunk_at, chunk, True)]
        while rest:
            part, rest = _split_list(rest, room - 16)
            group.append(_record(position, [], bool(rest), _dumps(part)))
        groups.append(group)
        chunk, chunk_at, size = [], position + 1, _ENVELOPE
    if chunk:
        groups.append([_record(chunk_at, chunk, False)])
    return groups


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


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


# -- a failed attempt's details: sections ------------------------------------------------------
DETAILS_SECTION = "--- floto: {} ---"
"""A failed attempt's details (text) open with what the user's code raised (its traceback
without floto's frames); sections follow, each opened by a line ``--- floto: <name> ---``:
``traceback with floto's frames`` and ``output (last <n> characters)``."""
_SECTION_LINE = re.compile(r"^--- floto: (?P<name>[^\n]+?) ---$", re.MULTILINE)


def details_section(name: str, body: str) -> str:
    """One section of a failed attempt's details (see ``DETAILS_SECTION``)."""
    return "\n\n" + DETAILS_SECTION.format(name) + "\n" + body.rstrip("\n")


def split_details(text: str) -> tuple[str, dict[str, str]]:
    """``(head, {section name: body})`` of a failed attempt's details."""
    matches = list(_SECTION_LINE.finditer(text))
    if not matches:
        return text, {}
    sections = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        sections[match["name"]] = text[match.end() + 1 : end].strip("\n")
    return text[: matches[0].start()].rstrip("\n"), sections


def task_log_key(
    domain: str, workflow_id: str, run_id: str, activity_id: str, started_event_id: int
) -> str:
    """Where a worker keeps what one attempt printed and logged, in the payload store (a
    name under the store's prefix): ``logs/<domain>/<sha1 of the run and activity>/<event>``."""
    digest = _sha1(json.dumps([domain, workflow_id, run_id, activity_id]))
    return f"logs/{digest}/{started_event_id}.txt"


def details_traceback(text: str) -> tuple[str, dict[str, str]]:
    """``(the traceback from the user's code, the other sections)`` of a failure's details:
    :func:`split_details`, without the worker's first line when a traceback follows it (the
    traceback ends with the same error)."""
    head, sections = split_details(text)
    first, _, rest = head.partition("\n\n")
    if " raised " in first and rest.lstrip().startswith("Traceback"):
        head = rest
    return head.strip("\n"), sections
