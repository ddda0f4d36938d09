"""Task ids: the seed's default id, and the reversible form floto sends to SWF.

A task's default id is ``name:version:hash`` where ``hash`` is the first 10 hex digits of
``sha1(json.dumps(input, sort_keys=True) + "".join(required_ids))``.

SWF's documentation forbids ``:``, ``/``, ``|``, control characters, leading or trailing
white space and the literal ``arn`` in activity, timer and workflow ids. floto therefore sends
each id percent-encoded: ``%`` and each forbidden character become ``%XX`` (two upper-case hex
digits of the code point; ``%uXXXX`` above 0xFF is never needed because only ASCII and C1
control characters are escaped), and an id that is exactly ``arn`` becomes ``%61rn``.
``simple_activity:v1:2be88ca424`` travels as ``simple_activity%3Av1%3A2be88ca424``.
Users only ever see the seed's id; :func:`from_swf_id` reverses the encoding.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from floto.errors import SpecError
from floto.limits import MAX_ID_CHARS

_ESCAPED = re.compile(r"[%:/|\x00-\x1f\x7f-\x9f]")
_EDGE_SPACE = re.compile(r"^\s|\s$")
_PERCENT_ESCAPE = re.compile(r"%([0-9A-F]{2})")
_DEFAULT_ID = re.compile(r"^(?P<name>.+):(?P<version>[^:]+):(?P<hash>[0-9a-f]{10})$")


def id_hash(input: Any, required_ids: Iterable[str]) -> str:
    """The 10 hex digits the seed appends to a default id."""
    text = json.dumps(input, sort_keys=True) + "".join(required_ids)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def default_task_id(name: str, version: str, input: Any, required_ids: Iterable[str]) -> str:
    """The seed's default id: ``name:version:hash``."""
    return f"{name}:{version}:{id_hash(input, required_ids)}"


def split_default_id(task_id: str) -> tuple[str, str, str] | None:
    """``(name, version, hash)`` of a default id ``name:version:hash``, else None."""
    match = _DEFAULT_ID.match(task_id)
    return (match["name"], match["version"], match["hash"]) if match else None


def task_name(task_id: str) -> str:
    """The name in a default id (``fetch`` of ``fetch:1:3e774b6f38``); other ids as they are."""
    parts = split_default_id(task_id)
    return parts[0] if parts else task_id


def _escape(match: re.Match[str]) -> str:
    return f"%{ord(match.group(0)):02X}"


def to_swf_id(task_id: str) -> str:
    """Encode a floto task id into an id SWF accepts (see the module docstring).

    Raises:
        SpecError: the encoded id is longer than SWF's 256 characters.
    """
    encoded = _ESCAPED.sub(_escape, task_id)
    encoded = _EDGE_SPACE.sub(_escape, encoded)
    if encoded == "arn":
        encoded = "%61rn"
    if len(encoded) > MAX_ID_CHARS:
        raise SpecError(
            f"id is {len(encoded)} characters once encoded for SWF, over the limit of "
            f"{MAX_ID_CHARS}",
            path="id_",
            task_id=task_id,
        )
    return encoded


def from_swf_id(swf_id: str) -> str:
    """Decode an id produced by :func:`to_swf_id` (ids floto did not encode pass through)."""
    if "%" not in swf_id:
        return swf_id
    return _PERCENT_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), swf_id)


def wire_id_problem(task_id: str) -> str | None:
    """Why ``task_id`` cannot travel to SWF (too long once encoded), or None if it can."""
    try:
        to_swf_id(task_id)
    except SpecError as error:
        return str(error)
    return None
