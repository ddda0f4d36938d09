"""Pages of histories and of execution lists, with opaque ``nextPageToken`` values.

A page is serialised on its own from each event's cached JSON, so the cost of a call grows
with the page size, not with the history.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from moto.swf.exceptions import SWFValidationException

from floto.limits import MAX_HISTORY_PAGE_SIZE


def encode_token(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(token: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError) as exc:
        raise SWFValidationException(f"Invalid nextPageToken: {token[:64]}") from exc
    if not isinstance(data, dict):
        raise SWFValidationException(f"Invalid nextPageToken: {token[:64]}")
    return data


def page_size(params: dict[str, Any]) -> int:
    size = params.get("maximumPageSize") or MAX_HISTORY_PAGE_SIZE
    return min(int(size), MAX_HISTORY_PAGE_SIZE)


@dataclass
class HistoryCursor:
    """Where the next page of one history starts: events ``[lo, hi)``, ``done`` of them read."""

    run_id: str
    lo: int
    hi: int | None
    reverse: bool
    done: int = 0
    task_token: str | None = None

    def token(self) -> str:
        return encode_token(asdict(self))

    @classmethod
    def from_token(cls, token: str) -> HistoryCursor:
        data = decode_token(token)
        try:
            cursor = cls(**data)
        except TypeError as exc:
            raise SWFValidationException(f"Invalid nextPageToken: {token[:64]}") from exc
        if not cursor.well_formed():
            raise SWFValidationException(f"Invalid nextPageToken: {token[:64]}")
        return cursor

    def well_formed(self) -> bool:
        """Whether each field has its type (a token is the client's to tamper with)."""
        return (
            isinstance(self.run_id, str)
            and _count(self.lo)
            and (self.hi is None or _count(self.hi))
            and isinstance(self.reverse, bool)
            and _count(self.done)
            and (self.task_token is None or isinstance(self.task_token, str))
        )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def history_page(events: Sequence[Any], cursor: HistoryCursor, size: int) -> tuple[str, str | None]:
    """The JSON array of the next page and the token for the one after (None at the end)."""
    hi = len(events) if cursor.hi is None else min(cursor.hi, len(events))
    total = hi - cursor.lo
    count = max(0, min(size, total - cursor.done))
    if cursor.reverse:
        top = hi - cursor.done
        page: Sequence[Any] = [events[i] for i in range(top - 1, top - 1 - count, -1)]
    else:
        start = cursor.lo + cursor.done
        page = events[start : start + count]
    cursor.done += count
    body = "[" + ",".join(evt.to_json() for evt in page) + "]"
    return body, (cursor.token() if cursor.done < total else None)


def list_page(items: list[Any], params: dict[str, Any]) -> tuple[list[Any], str | None]:
    """One page of an execution list (already filtered and ordered)."""
    token = params.get("nextPageToken")
    offset = decode_token(token).get("offset", 0) if token else 0
    if not _count(offset):
        raise SWFValidationException(f"Invalid nextPageToken: {str(token)[:64]}")
    size = page_size(params)
    page = items[offset : offset + size]
    more = offset + size < len(items)
    return page, (encode_token({"offset": offset + size}) if more else None)
