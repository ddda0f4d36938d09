"""Rerun from a failure: which tasks of an earlier run a rerun reuses, and reusing them.

A rerun is a new run whose input names an earlier run (see :mod:`floto.wire`). Its decider
reads the earlier run's state once and reuses every task that completed there: the task is
not run again, its recorded result feeds its dependents, and it shows as ``REUSED``. The
entries are recorded in ``floto.reused`` markers, so the rerun's own history says what it
reused and any reader (a cold decider, a drawing, a notebook) derives the same state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from floto.history._book import mark_completed
from floto.history._generated import expand_generator
from floto.history._payloads import value_payload
from floto.history._state import ExecutionState, TaskStatus

Entry = dict[str, Any]


def reuse_entries(earlier: ExecutionState, *, input_changed: bool = False) -> list[Entry]:
    """What a rerun of ``earlier`` reuses: an entry per task that completed (or was reused)
    there, requirements first — ``{"task": id, "result": value}``, without ``result`` for a
    task that returned none.

    With ``input_changed`` the tasks that saw the workflow input (tasks that require nothing,
    timers aside) and everything downstream of them run again.
    """
    tainted = _downstream_of_input(earlier) if input_changed else set()
    entries: list[Entry] = []
    for task_id in earlier.order:
        ts = earlier.tasks[task_id]
        if not ts.status.is_done or task_id in tainted:
            continue
        entry: Entry = {"task": task_id}
        if ts.has_result:
            entry["result"] = ts.wire_result  # a stored result stays a reference, unread
        entries.append(entry)
    return entries


def _downstream_of_input(state: ExecutionState) -> set[str]:
    queue = [
        task_id for task_id, ts in state.tasks.items() if not ts.requires and ts.kind != "timer"
    ]
    seen = set(queue)
    while queue:
        for dependent in state.dependents_of(queue.pop()):
            if dependent not in seen:
                seen.add(dependent)
                queue.append(dependent)
    return seen


def apply_reuse(state: ExecutionState, entries: Iterable[Entry], *, record: bool) -> int:
    """Mark the entries' tasks reused, in order (a generator's entry brings in its generated
    tasks, whose own entries follow). Tasks unknown here, already done or already attempted
    are skipped. ``record``: the entries still have to be written into markers. Returns how
    many tasks were reused."""
    reused = 0
    for entry in entries:
        task_id = entry.get("task")
        ts = state.tasks.get(task_id) if isinstance(task_id, str) else None
        if ts is None or ts.status is not TaskStatus.PENDING or ts.attempts:
            if isinstance(task_id, str):
                state.index.unrecorded_reuse.pop(task_id, None)
            continue
        has_result = "result" in entry
        result = value_payload(entry.get("result"), state.resolver)
        if ts.kind == "generator":
            expand_generator(state, ts, result)
        mark_completed(state, ts, result, has_result, TaskStatus.REUSED)
        reused += 1
        if record:
            state.index.unrecorded_reuse[ts.task_id] = entry
    return reused


def reused_marker_folded(state: ExecutionState, entries: Any) -> None:
    """A ``floto.reused`` marker: reuse its entries, and they need no marker any more."""
    if not isinstance(entries, list):
        return
    valid = [entry for entry in entries if isinstance(entry, dict)]
    for entry in valid:
        if isinstance(entry.get("task"), str):
            state.index.unrecorded_reuse.pop(entry["task"], None)
    apply_reuse(state, valid, record=False)
