"""Reading a run's history newest first, page by page, only as far back as needed.

SWF hands histories out in pages (PollForDecisionTask and GetWorkflowExecutionHistory alike).
Whoever already knows a run up to some event (a decider's cached state, a watcher's state)
needs only the pages with newer events: :class:`NewestFirstPages` reads back to a known event
and no further.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Event = dict[str, Any]
Page = Mapping[str, Any]

PageReader = Callable[[str | None], Page]
"""Reads one page of a history, newest first: ``read_page(next_page_token)`` (None for the
first page) returns ``{"events": [...], "nextPageToken": ...}``."""


class NewestFirstPages:
    """The pages of one history read so far, newest first; more are read on demand.

    Args:
        read_page: reads the page after a token (see :data:`PageReader`).
        first: the first page if it is already at hand (a decision task's poll response);
            else it is read with ``read_page(None)``.
    """

    def __init__(self, read_page: PageReader, first: Page | None = None) -> None:
        self._read_page = read_page
        self.pages = 0
        self._events: dict[int, Event] = {}
        self._token: str | None = None
        self._oldest: int | None = None
        self._add(first if first is not None else self._next(None))

    def _next(self, token: str | None) -> Page:
        return self._read_page(token)

    def _add(self, page: Page) -> None:
        self.pages += 1
        for event in page.get("events") or []:
            event_id = event["eventId"]
            self._events.setdefault(event_id, event)
            if self._oldest is None or event_id < self._oldest:
                self._oldest = event_id
        self._token = page.get("nextPageToken")

    @property
    def exhausted(self) -> bool:
        """Whether every page has been read."""
        return not self._token

    def read_back_to(self, event_id: int) -> None:
        """Read pages until one reaches back to ``event_id`` (or there are no more)."""
        while self._token and (self._oldest is None or self._oldest > event_id):
            self._add(self._next(self._token))

    def read_all(self) -> None:
        """Read every page that is left."""
        while self._token:
            self._add(self._next(self._token))

    def event(self, event_id: int) -> Event | None:
        """The event with ``event_id``, if it has been read."""
        return self._events.get(event_id)

    @property
    def newest_event_id(self) -> int:
        """The highest event id read (0 for an empty history)."""
        return max(self._events, default=0)

    def newer_than(self, event_id: int) -> list[Event]:
        """The events read with an id above ``event_id``, oldest first, each once."""
        return [self._events[key] for key in sorted(self._events) if key > event_id]
