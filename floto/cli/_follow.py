"""Following a run with floto.history's ExecutionFollower: each poll reads only the history
pages with new events and folds only those (floto.history does all the reading of events)."""

from __future__ import annotations

from typing import Any

from floto.history import ExecutionFollower

PAGE_SIZE = 100


def run_follower(
    swf: Any, domain: str, workflow_id: str, run_id: str | None = None, spec: Any = None
) -> ExecutionFollower:
    """An ExecutionFollower of one run (``run_id`` None: the open run, else the latest).

    Args:
        swf: a :class:`floto.api.Swf`.
        domain, workflow_id, run_id: the run.
        spec: a DeciderSpec or task list the graph comes from (default: the history's own).
    """
    run_id = run_id or swf.latest_run_id(domain, workflow_id)
    read_page = swf.history_page_reader(domain, workflow_id, run_id, page_size=PAGE_SIZE)
    return ExecutionFollower(
        read_page, domain=domain, workflow_id=workflow_id, run_id=run_id, spec=spec,
        resolver=swf.resolve_payload,
    )  # fmt: skip
