"""Encoding inputs for SWF and cutting free-text fields to SWF's limits."""

from __future__ import annotations

from typing import Any

from floto.boundedjson import dumps_checked
from floto.errors import PayloadTooLargeError
from floto.limits import MAX_JSON_DEPTH, MAX_PAYLOAD_CHARS
from floto.specs import JSONEncoder


def encode_payload(value: Any, *, field: str = "input", what: str | None = None) -> str | None:
    """SWF text for ``value``: a str verbatim, None as None, anything else as sorted JSON.

    Tasks, retry strategies, DeciderSpecs and dates inside ``value`` are encoded by
    :class:`floto.specs.JSONEncoder`.

    Raises:
        SpecError: ``value`` is not JSON-serialisable (NaN and infinities included), or nests
            deeper than floto reads (``floto.limits.MAX_JSON_DEPTH``).
        PayloadTooLargeError: the text is longer than SWF's 32,768 characters.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    else:  # no deeper than floto's readers (deciders, workers) accept
        text = dumps_checked(value, MAX_JSON_DEPTH, field, cls=JSONEncoder, sort_keys=True)
    check_payload_size(text, what=what or field, field=field)
    return text


def check_payload_size(text: str, *, what: str, field: str = "") -> None:
    """Raise :class:`PayloadTooLargeError` if ``text`` is over SWF's payload limit."""
    if len(text) > MAX_PAYLOAD_CHARS:
        raise PayloadTooLargeError(what, size=len(text), limit=MAX_PAYLOAD_CHARS, field=field)
