"""Encoding inputs for SWF and cutting free-text fields to SWF's limits."""

from __future__ import annotations

import json
from typing import Any

from floto.errors import PayloadTooLargeError, SpecError
from floto.limits import MAX_PAYLOAD_CHARS
from floto.specs import JSONEncoder

CUT_MARKER = "\n... [cut by floto: {dropped:,} of {total:,} characters dropped]"


def encode_payload(value: Any, *, field: str = "input", what: str | None = None) -> str | None:
    """SWF text for ``value``: a str verbatim, None as None, anything else as sorted JSON.

    Tasks, retry strategies, DeciderSpecs and dates inside ``value`` are encoded by
    :class:`floto.specs.JSONEncoder`.

    Raises:
        SpecError: ``value`` is not JSON-serialisable.
        PayloadTooLargeError: the text is longer than SWF's 32,768 characters.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, cls=JSONEncoder, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise SpecError(f"is not JSON-serialisable: {error}", path=field) from None
    check_payload_size(text, what=what or field, field=field)
    return text


def check_payload_size(text: str, *, what: str, field: str = "") -> None:
    """Raise :class:`PayloadTooLargeError` if ``text`` is over SWF's payload limit."""
    if len(text) > MAX_PAYLOAD_CHARS:
        raise PayloadTooLargeError(what, size=len(text), limit=MAX_PAYLOAD_CHARS, field=field)


def cut(text: str | None, limit: int) -> str | None:
    """``text`` shortened to at most ``limit`` characters, ending with a marker if it was cut."""
    if text is None or len(text) <= limit:
        return text
    marker = CUT_MARKER.format(dropped=len(text) - limit, total=len(text))
    # The marker's own length changes the count of dropped characters only slightly; recompute.
    keep = max(limit - len(marker), 0)
    marker = CUT_MARKER.format(dropped=len(text) - keep, total=len(text))
    keep = max(limit - len(marker), 0)
    return (text[:keep] + marker)[:limit]


def cut_reason(text: str | None, limit: int) -> str | None:
    """A one-line reason cut to ``limit`` characters with a trailing '...'."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 3] + "..."
