"""Replay: a decider against a recorded history, decision task by decision task.

For each decision task the history answered, a new decider rebuilds the run's state from the
events before it (as a decider deployed at that moment would, cold) and plans; every point
where its decisions differ from the recorded ones is reported. Nothing is sent to SWF.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from floto import wire
from floto.decider._decider import Decider, DynamicDecider
from floto.decider._inflight import InFlight
from floto.decider._planner import plan
from floto.decider._replay_compare import compare_decisions
from floto.history import (
    ExecutionState,
    apply_reuse,
    decision_tasks,
    fold_events,
    has_record,
    load_events,
    reused_entries_of,
)
from floto.specs import DeciderSpec


@dataclass(frozen=True)
class Difference:
    """One point where the replayed decider decides otherwise than the history recorded.

    Attributes:
        decision: the decision task's number (1: the run's first).
        event_id: its DecisionTaskStarted event id.
        kind: ``"tasks"`` (would record other tasks), ``"schedule"``, ``"not_scheduled"``,
            ``"input"`` (another input, type or task list), ``"retry"`` (another retry or
            retry delay), ``"timer"``, ``"close"`` (completes, fails... earlier, later or
            otherwise), ``"migrate"`` (would migrate the run), ``"marker"``, ``"other"``.
        task: the task (or timer, marker) concerned, if any.
        message: what differs, in words.
    """

    decision: int
    event_id: int
    kind: str
    task: str | None
    message: str

    def __str__(self) -> str:
        return f"decision {self.decision} (event {self.event_id}): {self.message}"


@dataclass
class ReplayReport:
    """What a replay found: ``differences`` (empty: the decider decides as recorded) over
    ``decisions`` replayed decision tasks of run ``workflow_id``."""

    workflow_id: str | None = None
    decisions: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def same(self) -> bool:
        """Whether every decision task would be answered as recorded."""
        return not self.differences

    def __str__(self) -> str:
        head = f"{self.workflow_id or 'run'}: {self.decisions} decision task(s) replayed"
        if self.same:
            return f"{head}, no differences"
        lines = [f"{head}, {len(self.differences)} difference(s):"]
        return "\n".join(lines + [f"  {difference}" for difference in self.differences])


def replay_history(
    history: Any,
    decider: Decider | DeciderSpec | Any = None,
    *,
    in_flight: str | None = None,
    workflow_id: str | None = None,
    cold: bool = False,
    swf: Any = None,
) -> ReplayReport:
    """Replay ``history`` with ``decider`` and report where it decides otherwise.

    Args:
        history: the run's events (a list, ``{"events": [...]}``, or JSON text of either,
            or ``floto history --json`` lines).
        decider: a :class:`Decider` (or DynamicDecider); or a DeciderSpec (or its JSON), a
            ``floto.dsl.Workflow`` or a list of tasks, for a Decider made for the replay;
            None: a DynamicDecider (the tasks come with the run's input).
        in_flight: the policy replayed (default: the decider's; see ``Decider``).
        workflow_id: shown in the report (default: none).
        cold: rebuild the state from the events at every decision task (what the default
            does wherever the replayed decider and the record could part; slower).
        swf: the :class:`floto.api.Swf` whose payload store holds the run's stored payloads,
            for a decider made here (default: none; nothing is ever sent to SWF).

    Raises:
        SpecError: the history or spec is malformed; HistoryError: the events do not fold.
    """
    events = load_events(history)
    replayer = _Replayer(_decider_of(decider, events, swf), in_flight, cold=cold)
    report = ReplayReport(workflow_id=workflow_id)
    for task in decision_tasks(events):
        state, planned = replayer.decide(events, task.started_event_id, task.decisions)
        report.decisions += 1
        for kind, subject, message in compare_decisions(state, planned, task.decisions):
            report.differences.append(
                Difference(task.number, task.started_event_id, kind, subject, message)
            )
    return report


def _decider_of(decider: Any, events: Sequence[dict[str, Any]], swf: Any) -> Decider:
    if isinstance(decider, Decider):
        return decider
    if swf is None:  # offline: a client that is never called
        from floto.api import Swf

        swf = Swf(region_name="us-east-1", endpoint_url="http://127.0.0.1:9", payload_store=False)
    task_list = _task_list(events) or "replay"
    if decider is None:
        return DynamicDecider(DeciderSpec(domain="replay", task_list=task_list), swf=swf)
    if isinstance(decider, (list, tuple)):  # the tasks of a spec (or a Workflow's)
        decider = DeciderSpec(domain="replay", task_list=task_list, activity_tasks=list(decider))
    elif hasattr(decider, "decider_spec") and callable(decider.decider_spec):  # a Workflow
        decider = decider.decider_spec(domain="replay", task_list=task_list)
    return Decider(decider, swf=swf)


def _task_list(events: Sequence[dict[str, Any]]) -> str | None:
    first = events[0].get("workflowExecutionStartedEventAttributes") or {}
    return (first.get("taskList") or {}).get("name")


class _Replayer:
    """Decides each decision task from the events before it, as a cold decider would.

    A state whose workflow is settled from the run's record, and whose record holds all
    this decider planned to record, is kept and folded on (a warm decider decides as a cold
    one); otherwise (the first decision, a migration, tasks or shards the history does not
    record) the decision task starts cold: the cost stays linear where nothing differs.
    """

    def __init__(self, decider: Decider, in_flight: str | None, *, cold: bool = False) -> None:
        self.decider = decider
        self.in_flight = InFlight(in_flight or decider.in_flight.policy, quiet=True)
        self.sharder = copy.copy(decider.sharder)
        self.sharder._registered = True  # a replay registers nothing
        self.config = dataclasses.replace(decider.config, fit=_fit_offline)
        self.cold = cold
        self._kept: ExecutionState | None = None
        self._ids: list[int] = []

    def decide(
        self, events: Sequence[dict[str, Any]], started: int, recorded: list[dict[str, Any]]
    ) -> tuple[ExecutionState, list[dict[str, Any]]]:
        """The state before decision task ``started`` and the decisions planned from it."""
        state, keep = self._kept, True
        if state is not None:
            fold_events(state, self._between(events, state.last_event_id, started))
            if _planned_unrecorded(state):
                state = None  # the history did not record what was planned: start cold
        if state is None:
            state, keep = self._cold(events, started, recorded)
        self.sharder.prepare(state)
        decisions = plan(state, self.config, started_event_id=started).decisions
        self._kept = state if keep and not self.cold else None
        return state, decisions

    def _cold(
        self, events: Sequence[dict[str, Any]], started: int, recorded: list[dict[str, Any]]
    ) -> tuple[ExecutionState, bool]:
        """A cold state, and whether it may be kept: its tasks came from the run's record
        (on a first decision they come from the spec, which later markers would join), and
        it was not migrated (a migration depends on when it happens)."""
        first = events[0].get("workflowExecutionStartedEventAttributes") or {}
        response = {"workflowType": first.get("workflowType"), "startedEventId": started}
        state = self.decider.make_state_for(response)
        fold_events(state, self._between(events, 0, started))
        keep = has_record(state)
        if (first.get("workflowType") or {}).get("name") != wire.SHARD_TYPE[0]:
            change = self.in_flight.settle(state, self.decider.tasks or None)
            keep = keep and not (change and self.in_flight.policy == "migrate")
        if state.needs_reuse:  # the earlier run is not read: reuse what the rerun recorded
            apply_reuse(state, reused_entries_of(recorded), record=True)
            state.index.reuse_loaded = True
        return state, keep

    def _between(
        self, events: Sequence[dict[str, Any]], after: int, until: int
    ) -> list[dict[str, Any]]:
        """The events with ids in ``(after, until]`` (``events`` sorted by id)."""
        if len(self._ids) != len(events):
            self._ids = [event["eventId"] for event in events]
        start = bisect.bisect_right(self._ids, after)
        return list(events[start : bisect.bisect_right(self._ids, until, lo=start)])


def _planned_unrecorded(state: ExecutionState) -> bool:
    """Whether the state holds markers its decider planned that the history lacks."""
    index = state.index
    return bool(
        index.unrecorded or index.unrecorded_reuse or index.unrecorded_shards
        or index.unrecorded_migration
    )  # fmt: skip


def _fit_offline(text: str, *, what: str = "payload") -> str:
    """The reference a stored copy of ``text`` would have (nothing is stored)."""
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    ref = wire.PayloadRef(f"s3://replay/{digest}", len(data), digest)
    return json.dumps(ref.to_value(), sort_keys=True, separators=(",", ":"))
