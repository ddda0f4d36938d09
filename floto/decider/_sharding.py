"""Keeping runs under SWF's event limit: a decider moves work into shards (child runs it
decides itself) when a run's projected events pass its budget."""

from __future__ import annotations

import logging

from floto import wire
from floto.api import Swf, WorkflowType
from floto.history import ExecutionState, apply_shards, plan_shards, projected_events
from floto.limits import EVENT_BUDGET, EVENTS_PER_TASK, MAX_PAYLOAD_CHARS

log = logging.getLogger("floto.decider")


class Sharder:
    """Plans shards for the runs of one decider.

    Args:
        swf, domain: where the shard workflow type is registered (once, when first needed).
        budget: events a run is planned for (SWF ends a run at 25,000).
    """

    def __init__(self, swf: Swf, domain: str, budget: int = EVENT_BUDGET) -> None:
        if isinstance(budget, bool) or not isinstance(budget, int) or budget < 10 * EVENTS_PER_TASK:
            raise ValueError(f"event_budget must be a whole number >= {10 * EVENTS_PER_TASK}, "
                             f"got {budget!r}")  # fmt: skip
        self.swf, self.domain, self.budget = swf, domain, budget
        self.size = max(2, budget // EVENTS_PER_TASK // 2)
        self.max_chars = MAX_PAYLOAD_CHARS // 2  # the rest is for the results it is given
        self._registered = False

    def prepare(self, state: ExecutionState) -> None:
        """Shard ``state``'s pending work if its graph grew past the budget."""
        index = state.index
        if index.shard_checked_size == len(state.tasks):
            return  # nothing new since the last look
        index.shard_checked_size = len(state.tasks)
        plans = plan_shards(state, budget=self.budget, size=self.size, max_chars=self.max_chars)
        if not plans:
            return
        self._register()
        apply_shards(state, plans, record=True)
        index.shard_checked_size = len(state.tasks)
        moved = sum(len(plan.members) for plan in plans)
        log.info("run %s: %d tasks moved into %d shard(s); %d events projected", state.run_id,
                 moved, len(plans), projected_events(state))  # fmt: skip

    def _register(self) -> None:
        if not self._registered:
            name, version = wire.SHARD_TYPE
            self.swf.register_workflow_type(
                WorkflowType(domain=self.domain, name=name, version=version, default_task_list=None,
                             description="floto: tasks moved out of a run near SWF's event limit")
            )  # fmt: skip
            self._registered = True
