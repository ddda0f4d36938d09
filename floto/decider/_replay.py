"""Replay: a decider against a recorded history, decision task by decision task.

For each decision task the history answered, a new decider rebuilds the run's state from the
events before it (as a decider deployed at that moment would, cold) and plans; every point
where its decisions differ from the recorded ones is reported. Nothing is sent to SWF.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
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
        kind: ``"tasks"`` (records other tasks), ``"schedule"``, ``"not_scheduled"``,
            ``"input"``, ``"retry"``, ``"timer"``, ``"close"``, ``"marker"``, ``"other"``.
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

    Raises:
        SpecError: the history or spec is malformed; HistoryError: the events do not fold.
    """
    events = load_events(history)
    replayer = _Replayer(_decider_of(decider, events), in_flight)
    report = ReplayReport(workflow_id=workflow_id)
    for task in decision_tasks(events):
        before = [event for event in events if event["eventId"] <= task.started_event_id]
        state, planned = replayer.decide(before, task.started_event_id, task.decisions)
        report.decisions += 1
        for kind, subject, message in compare_decisions(state, planned, task.decisions):
            report.differences.append(
                Difference(task.number, task.started_event_id, kind, subject, message)
            )
    return report


def _decider_of(decider: Any, events: Sequence[dict[str, Any]]) -> Decider:
    if isinstance(decider, Decider):
        return decider
    from floto.api import Swf  # offline: a client that is never called

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
    """Decides one decision task from the events before it, as a cold decider would."""

    def __init__(self, decider: Decider, in_flight: str | None) -> None:
        self.decider = decider
        self.in_flight = InFlight(in_flight or decider.in_flight.policy, quiet=True)
        self.sharder = copy.copy(decider.sharder)
        self.sharder._registered = True  # a replay registers nothing
        self.config = dataclasses.replace(decider.config, fit=_fit_offline)

    def decide(
        self, events: Iterable[dict[str, Any]], started: int, recorded: list[dict[str, Any]]
    ) -> tuple[ExecutionState, list[dict[str, Any]]]:
        events = list(events)
        first = events[0].get("workflowExecutionStartedEventAttributes") or {}
        response = {"workflowType": first.get("workflowType"), "startedEventId": started}
        state = self.decider.make_state_for(response)
        fold_events(state, events)
        shard = (first.get("workflowType") or {}).get("name") == wire.SHARD_TYPE[0]
        if not shard:
            self.in_flight.settle(state, self.decider.tasks or None)
        if state.needs_reuse:  # the earlier run is not read: reuse what the rerun recorded
            apply_reuse(state, reused_entries_of(recorded), record=True)
            state.index.reuse_loaded = True
        self.sharder.prepare(state)
        return state, plan(state, self.config, started_event_id=started).decisions


def _fit_offline(text: str, *, what: str = "payload") -> str:
    """The reference a stored copy of ``text`` would have (nothing is stored)."""
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    ref = wire.PayloadRef(f"s3://replay/{digest}", len(data), digest)
    return json.dumps(ref.to_value(), sort_keys=True, separators=(",", ":"))
