"""History: one decision task's events, read page by page, folded into an ExecutionState."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from floto.history._derive import HistoryError, HistoryGapError, fold_events, new_state
from floto.history._state import ExecutionState
from floto.limits import MAX_HISTORY_PAGE_SIZE

log = logging.getLogger("floto.history")

Event = dict[str, Any]


class History:
    """The history of one decision task, and the ExecutionState derived from it.

    SWF hands a decision task's events newest first, in pages. Given the state a decider
    derived for this run before (``cached``), History reads only the pages with events it
    has not folded yet and folds those; a cached state that does not line up with the
    history (its last event id or type differ) is dropped and the whole history replayed.

    Args:
        swf: the decider's :class:`floto.api.Swf` (further pages are read with it).
        domain: the domain polled.
        task_list: the decision task list polled.
        response: the PollForDecisionTask response that carries a ``taskToken``.
        identity: the decider's identity, sent with every page request.
        cached: this run's state from an earlier decision task, or None.
        make_state: builds the empty state of a run met for the first time.
        page_size: events per page (the same for every page of the task, as SWF requires).

    Attributes:
        state: the run's ExecutionState, up to ``started_event_id``.
        new_events: the events folded in by this task, oldest first.
        pages: how many pages were read (the poll's own page included).
        replayed: True if the whole history was folded (no usable cache).
    """

    def __init__(
        self,
        swf: Any,
        domain: str,
        task_list: str,
        response: dict[str, Any],
        *,
        identity: str | None = None,
        cached: ExecutionState | None = None,
        make_state: Callable[[], ExecutionState] = new_state,
        page_size: int = MAX_HISTORY_PAGE_SIZE,
    ) -> None:
        if "taskToken" not in response:
            raise HistoryError("the poll response carries no decision task (no taskToken)")
        self.swf, self.domain, self.task_list = swf, domain, task_list
        self.identity, self.page_size = identity, page_size
        self.task_token: str = response["taskToken"]
        execution = response.get("workflowExecution") or {}
        self.workflow_id: str | None = execution.get("workflowId")
        self.run_id: str | None = execution.get("runId")
        self.workflow_type: dict[str, str] = response.get("workflowType") or {}
        self.started_event_id: int = int(response.get("startedEventId") or 0)
        self.previous_started_event_id: int = int(response.get("previousStartedEventId") or 0)
        self.pages = 1
        self._events: list[Event] = list(response.get("events") or [])
        self._token: str | None = response.get("nextPageToken")
        self.replayed = False
        self.state = self._derive(cached, make_state)

    @property
    def is_first_decision_task(self) -> bool:
        """Whether no decision task of this run has completed before this one."""
        return self.previous_started_event_id == 0

    def _derive(
        self, cached: ExecutionState | None, make_state: Callable[[], ExecutionState]
    ) -> ExecutionState:
        if cached is not None and self._lines_up(cached):
            try:
                self.new_events = self._newer_than(cached.last_event_id)
                return fold_events(cached, self.new_events)
            except HistoryGapError as error:
                log.warning("run %s: cached state dropped (%s); replaying", self.run_id, error)
        self._read_all()
        self.replayed = True
        state = make_state()
        state.workflow_id, state.run_id = self.workflow_id, self.run_id
        self.new_events = self._newer_than(0)
        return fold_events(state, self.new_events)

    def _lines_up(self, cached: ExecutionState) -> bool:
        """Read pages back to the cached state's last event and check that it matches."""
        known = cached.last_event_id
        if known <= 0 or (self.started_event_id and known > self.started_event_id):
            return False
        while self._token and (not self._events or self._oldest() > known):
            self._read_page()
        match = next((e for e in self._events if e["eventId"] == known), None)
        if match is None or match["eventType"] != cached.last_event_type:
            log.info("run %s: cached state does not match the history; replaying", self.run_id)
            return False
        return True

    def _oldest(self) -> int:
        return min(self._events[0]["eventId"], self._events[-1]["eventId"])

    def _read_all(self) -> None:
        while self._token:
            self._read_page()

    def _read_page(self) -> None:
        page = self.swf.poll_for_decision_task(
            self.domain,
            self.task_list,
            identity=self.identity,
            next_page_token=self._token,
            page_size=self.page_size,
        )
        self.pages += 1
        self._events.extend(page.get("events") or [])
        self._token = page.get("nextPageToken")

    def _newer_than(self, event_id: int) -> list[Event]:
        seen: set[int] = set()
        newer = []
        for event in self._events:
            number = event["eventId"]
            if number > event_id and number not in seen:
                seen.add(number)
                newer.append(event)
        newer.sort(key=lambda event: event["eventId"])
        return newer

    def __repr__(self) -> str:
        return (
            f"<History {self.workflow_id}/{self.run_id} events {self.previous_started_event_id}"
            f"..{self.started_event_id}, {len(self.new_events)} new, {self.pages} page(s)>"
        )
