"""ExecutionFollower: keep one run's ExecutionState up to date by reading only new pages."""

from __future__ import annotations

import logging
from typing import Any

from floto.history._derive import HistoryGapError, fold_events, state_from_events
from floto.history._pages import Event, NewestFirstPages, PageReader
from floto.history._payloads import Resolver
from floto.history._state import ExecutionState

log = logging.getLogger("floto.history")


class ExecutionFollower:
    """Follows one run: each :meth:`poll` reads only the history pages with events the state
    has not seen (newest first, stopping at the first known event) and folds those.

    Watching a run this way costs one page request per poll while nothing happens, whatever
    the history's length. The state is the same one the decider derives
    (:func:`floto.history.state_from_events` semantics: the graph comes from ``spec`` if
    given, else from the run's ``floto.tasks`` markers, its input and its generators).

    Args:
        read_page: reads one page of the run's history, newest first (see
            :data:`floto.history.PageReader`; ``floto.api.Swf.history_page_reader`` makes one).
        domain, workflow_id, run_id: the run, for display.
        spec: a DeciderSpec or task list giving the graph, or None.
        resolver: reads payloads stored outside SWF (``floto.api.Swf.resolve_payload``), so
            results, inputs and details read as their values.

    Attributes:
        state: the run's ExecutionState so far.
        polls: how many times :meth:`poll` ran; ``pages``: pages read in all.
    """

    def __init__(
        self,
        read_page: PageReader,
        *,
        domain: str | None = None,
        workflow_id: str | None = None,
        run_id: str | None = None,
        spec: Any = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._read_page = read_page
        self._resolver = resolver
        self._identity = {"domain": domain, "workflow_id": workflow_id, "run_id": run_id}
        self._spec = spec
        self.state = self._empty_state()
        self.polls = 0
        self.pages = 0

    def _empty_state(self) -> ExecutionState:
        return state_from_events([], self._spec, resolver=self._resolver, **self._identity)

    def poll(self) -> list[Event]:
        """Read what is new and fold it in; returns the new events, oldest first."""
        self.polls += 1
        pages = NewestFirstPages(self._read_page)
        known = self.state.last_event_id
        pages.read_back_to(known)
        if known and not self._lines_up(pages, known):
            pages.read_all()
            self.state = self._empty_state()
            known = 0
        new = pages.newer_than(known)
        self.pages += pages.pages
        try:
            fold_events(self.state, new)
        except HistoryGapError as error:  # pages changed under us: start over next time
            log.warning("run %s: %s; re-reading the history", self.state.run_id, error)
            self.state = self._empty_state()
            return []
        return new

    def _lines_up(self, pages: NewestFirstPages, known: int) -> bool:
        match = pages.event(known)
        if match is not None and match["eventType"] == self.state.last_event_type:
            return True
        log.info("run %s: history does not continue the state; replaying", self.state.run_id)
        return False

    def __repr__(self) -> str:
        state = self.state
        return (
            f"<ExecutionFollower {state.workflow_id}/{state.run_id} at event "
            f"{state.last_event_id}, {state.status.value}>"
        )
