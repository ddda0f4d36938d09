"""History events: any SWF event type, attributes kept as given, JSON cached per event."""

from __future__ import annotations

import json
from typing import Any

from floto.local._clock import CLOCK


def _decapitalize(name: str) -> str:
    return name[0].lower() + name[1:]


class Event:
    """One history event.

    Unlike moto's ``HistoryEvent`` it accepts every SWF event type, keeps falsy attributes
    (``""``, ``0``; only ``None`` is dropped) and serialises itself once: events never change
    after they are recorded, so a history page is a join of cached JSON strings.
    """

    __slots__ = ("_json", "attributes", "event_id", "event_type", "timestamp")

    def __init__(
        self, event_id: int, event_type: str, attributes: dict[str, Any], timestamp: float
    ) -> None:
        self.event_id = event_id
        self.event_type = event_type
        self.timestamp = timestamp
        self.attributes = {k: v for k, v in attributes.items() if v is not None}
        self._json: str | None = None

    # snapshots: the fields in order, without the cached JSON (made again when first read)
    def __getstate__(self) -> tuple[int, str, dict[str, Any], float]:
        return self.event_id, self.event_type, self.attributes, self.timestamp

    def __setstate__(self, state: tuple[int, str, dict[str, Any], float]) -> None:
        self.event_id, self.event_type, self.attributes, self.timestamp = state
        self._json = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "eventId": self.event_id,
            "eventType": self.event_type,
            "eventTimestamp": self.timestamp,
            f"{_decapitalize(self.event_type)}EventAttributes": self.attributes,
        }

    def to_json(self) -> str:
        if self._json is None:
            self._json = json.dumps(self.to_dict(), separators=(",", ":"))
        return self._json


def new_event(
    event_id: int, event_type: str, timestamp: float | None = None, **attrs: Any
) -> Event:
    """Build an event; ``attrs`` are given in SWF's camelCase already."""
    return Event(event_id, event_type, attrs, CLOCK.now() if timestamp is None else timestamp)


def type_dict(_type: Any) -> dict[str, str]:
    """``{"name": ..., "version": ...}`` for a moto activity or workflow type."""
    return {"name": _type.name, "version": _type.version}
