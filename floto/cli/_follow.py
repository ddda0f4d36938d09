"""Following a run: read only the history pages with new events, fold only those into the
run's ExecutionState (floto.history does all the reading of events).

Until floto.history has its own follower (``ExecutionFollower`` fed by
``Swf.history_page_reader``), this is the one place that pairs SWF's pages with
``floto.history.fold_events``; switching over changes this module only.
"""

from __future__ import annotations

from typing import Any

from floto.history import ExecutionState, fold_events, state_from_events

PAGE_SIZE = 100


class RunFollower:
    """New events of one run, and its ExecutionState kept up to date.

    Args:
        swf: a :class:`floto.api.Swf`.
        domain, workflow_id: the run's domain and workflow id.
        run_id: the run (None: the open run of ``workflow_id``, else its latest).
        spec: a DeciderSpec or task list the graph comes from (default: the history's own).
    """

    def __init__(
        self, swf: Any, domain: str, workflow_id: str, run_id: str | None = None, spec: Any = None
    ) -> None:
        self.swf, self.domain, self.workflow_id = swf, domain, workflow_id
        self.run_id = run_id or swf.latest_run_id(domain, workflow_id)
        self.state: ExecutionState = state_from_events(
            [], spec, domain=domain, workflow_id=workflow_id, run_id=self.run_id
        )

    def poll(self) -> list[dict[str, Any]]:
        """The events added since the last call, oldest first (folded into :attr:`state`)."""
        known = self.state.last_event_id
        fresh: list[dict[str, Any]] = []
        pages = self.swf.iter_history_pages(
            self.domain, workflow_id=self.workflow_id, run_id=self.run_id, page_size=PAGE_SIZE
        )
        for page in pages:  # newest first: stop at the first page that reaches known events
            fresh.extend(event for event in page if event["eventId"] > known)
            if not page or min(event["eventId"] for event in page) <= known + 1:
                break
        fresh.sort(key=lambda event: event["eventId"])
        fold_events(self.state, fresh)
        return fresh
