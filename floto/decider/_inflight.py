"""Runs in flight across a deploy: which tasks decide a run whose decider's spec changed.

A run is decided by the tasks recorded at its first decision (``floto.tasks`` markers, plus
what its generators add). A decider whose spec differs says so once per run, at WARNING,
and by its ``in_flight`` policy keeps the recorded tasks, migrates the run onto its spec, or
fails the run naming the differences. New runs take the decider's spec.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from floto.history import (
    ExecutionState,
    WorkflowChange,
    has_record,
    migrate,
    settle_workflow,
    task_forms,
)
from floto.specs.task import Task

log = logging.getLogger("floto.decider")

IN_FLIGHT_POLICIES = ("recorded", "migrate", "fail")
"""``Decider(in_flight=...)``: how a run recorded with other tasks than the spec's is decided."""

_TOLD_MAX = 10_000

_WHAT = {
    "recorded": "it goes on with the tasks it started with (in_flight='recorded')",
    "migrate": "it moves onto this spec: what completed stays completed, removed tasks are "
    "dropped, added tasks are scheduled (in_flight='migrate')",
    "fail": "it is failed (in_flight='fail')",
}


def check_policy(policy: str) -> str:
    """``policy`` if it is one of :data:`IN_FLIGHT_POLICIES`, else ValueError naming them."""
    if policy not in IN_FLIGHT_POLICIES:
        choices = ", ".join(repr(choice) for choice in IN_FLIGHT_POLICIES)
        raise ValueError(f"in_flight must be one of {choices}, got {policy!r}")
    return policy


def change_reason(change: WorkflowChange) -> str:
    """Why a run is failed under ``in_flight='fail'``."""
    return (
        f"the workflow changed while the run was in flight: {change.describe()} "
        "(the decider's in_flight='fail'; see docs/changing-workflows.md)"
    )


class InFlight:
    """Settles each run's workflow once, by a policy; says once per run what differs."""

    def __init__(self, policy: str = "recorded", *, quiet: bool = False) -> None:
        self.policy = check_policy(policy)
        self.quiet = quiet  # a replay: nothing is logged
        self._told: OrderedDict[str, None] = OrderedDict()
        self._spec: tuple[Sequence[Task] | None, dict[str, Any]] = (None, {})  # forms, once

    def settle(
        self, state: ExecutionState, proposed: Sequence[Task] | None
    ) -> WorkflowChange | None:
        """Settle ``state``'s workflow (a no-op once settled); returns how the run's recorded
        tasks differ from ``proposed``: the spec's tasks (None: the tasks the run's input
        brought, a DynamicDecider's)."""
        if state.index.base_loaded:
            return None
        tasks = list(proposed) if proposed is not None else state.index.proposed
        change = settle_workflow(state, proposed, self._forms(proposed, state))
        if not change:
            return change
        self._tell(state, change)
        if self.policy == "fail":
            state.problems[""] = change_reason(change)
        elif self.policy == "migrate":
            migrate(state, change, tasks or [])
        return change

    def _forms(self, proposed: Sequence[Task] | None, state: ExecutionState) -> Any:
        """The spec's task forms, made once per decider (None: the input's tasks, per run;
        or a run without a record, which compares nothing)."""
        if proposed is None or not has_record(state):
            return None
        if self._spec[0] is not proposed:
            self._spec = (proposed, task_forms(proposed))
        return self._spec[1]

    def _tell(self, state: ExecutionState, change: WorkflowChange) -> None:
        key = state.run_id or ""
        if self.quiet or key in self._told:
            return
        self._told[key] = None
        while len(self._told) > _TOLD_MAX:
            self._told.popitem(last=False)
        log.warning("run %s of %s started with other tasks than this decider's: %s; %s",
                    state.run_id, state.workflow_id, change.describe(),
                    _WHAT[self.policy])  # fmt: skip
