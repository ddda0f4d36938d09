"""History: one decision task's events, read page by page, folded into an ExecutionState."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from floto.history._derive import HistoryError, HistoryGapError, fold_events, new_state
from floto.history._pages import Event, NewestFirstPages, PageReader
from floto.history._state import ExecutionState

log = logging.getLogger("floto.history")


class History:
    """The history of one decision task, and the ExecutionState derived from it.

    SWF hands a decision task's events newest first, in pages. Given the state a decider
    derived for this run before (``cached``), History reads only the pages with events it
    has not folded yet and folds those; a cached state that does not line up with the
    history (its last event id or type differ) is dropped and the whole history replayed.

    Args:
        response: the PollForDecisionTask response that carries a ``taskToken`` (the first
            page).
        read_page: reads the task's next page from its ``nextPageToken`` (a decider polls
            the same task list with the token and the same page size, as SWF requires).
        cached: this run's state from an earlier decision task, or None.
        make_state: builds the empty state of a run met for the first time.

    Attributes:
        state: the run's ExecutionState, up to ``started_event_id``.
        new_events: the events folded in by this task, oldest first.
        pages: how many pages were read (the poll's own page included).
        replayed: True if the whole history was folded (no usable cache).
    """

    def __init__(
        self,
        response: dict[str, Any],
        read_page: PageReader,
        *,
        cached: ExecutionState | None = None,
        make_state: Callable[[], ExecutionState] = new_state,
    ) -> None:
        if not response.get("taskToken"):
            raise HistoryError("the poll response carries no decision task (no taskToken)")
        self.task_token: str = response["taskToken"]
        execution = response.get("workflowExecution") or {}
        self.workflow_id: str | None = execution.get("workflowId")
        self.run_id: str | None = execution.get("runId")
        self.workflow_type: dict[str, str] = response.get("workflowType") or {}
        self.started_event_id: int = int(response.get("startedEventId") or 0)
        self.previous_started_event_id: int = int(response.get("previousStartedEventId") or 0)
        self._pages = NewestFirstPages(read_page, response)
        self.replayed = False
        self.new_events: list[Event] = []
        self.state = self._derive(cached, make_state)

    @property
    def pages(self) -> int:
        """How many pages were read (the poll's own page included)."""
        return self._pages.pages

    @property
    def is_first_decision_task(self) -> bool:
        """Whether no decision task of this run has completed before this one."""
        return self.previous_started_event_id == 0

    def _derive(
        self, cached: ExecutionState | None, make_state: Callable[[], ExecutionState]
    ) -> ExecutionState:
        if cached is not None and self._lines_up(cached):
            try:
                self.new_events = self._pages.newer_than(cached.last_event_id)
                return fold_events(cached, self.new_events)
            except HistoryGapError as error:
                log.warning("run %s: cached state dropped (%s); replaying", self.run_id, error)
        self._pages.read_all()
        self.replayed = True
        state = make_state()
        state.workflow_id, state.run_id = self.workflow_id, self.run_id
        self.new_events = self._pages.newer_than(0)
        return fold_events(state, self.new_events)

    def _lines_up(self, cached: ExecutionState) -> bool:
        """Read pages back to the cached state's last event and check that it matches."""
        known = cached.last_event_id
        if known <= 0 or (self.started_event_id and known > self.started_event_id):
            return False
        self._pages.read_back_to(known)
        match = self._pages.event(known)
        if match is None or match["eventType"] != cached.last_event_type:
            log.info("run %s: cached state does not match the history; replaying", self.run_id)
            return False
        return True

    def __repr__(self) -> str:
        return (
            f"<History {self.workflow_id}/{self.run_id} events {self.previous_started_event_id}"
            f"..{self.started_event_id}, {len(self.new_events)} new, {self.pages} page(s)>"
        )
