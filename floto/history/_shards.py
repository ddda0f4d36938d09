"""Shards: work that would take a run past SWF's event limit runs in child workflows.

SWF ends a run at 25,000 history events. When a run's projected events pass a budget, its
decider moves groups of pending tasks into *shards*: child workflows of floto's shard type,
decided by the same decider, that run those tasks and return ``{task id: result}``. In the
parent the tasks keep their ids and their dependents keep requiring them; a task delegated to a
shard never becomes ready itself, the shard does, and when the shard closes its members
complete (or fail) with their own results and errors. The plan is recorded in
``floto.shards`` markers, so every reader of the parent's history derives the same state.

Which tasks go together keeps the work parallel: "wide" groups of pending tasks that require
the same tasks (a fan-out's middle, a generator's output) are cut into shards of at most
``size`` tasks, and each pending task whose requirements all lie in one shard follows them in
(the seed's ``copy -> length`` pairs). A graph with no wide group (a long chain) is cut into
consecutive pieces of its topological order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from floto import wire
from floto.history._book import (
    FINAL_STATUS,
    add_tasks,
    block_dependents,
    block_task,
    mark_completed,
)
from floto.history._payloads import shallow_value, value_payload
from floto.history._state import (
    AttemptOutcome,
    ExecutionState,
    TaskState,
    TaskStatus,
)
from floto.limits import EVENTS_PER_TASK, RUN_OVERHEAD_EVENTS
from floto.specs import decode_tasks
from floto.specs.task import ChildWorkflow

SHARD_KIND = "shard"
GIVEN_KIND = "given"
_SHARDABLE = frozenset({"activity", "generator", "child_workflow", "timer"})
MIN_WIDE_GROUP = 8
"""A group of pending tasks with one requirement set is cut into shards from this size on."""


@dataclass(frozen=True)
class ShardPlan:
    """One shard: its id and its members, in order."""

    shard_id: str
    members: tuple[str, ...]

    def to_entry(self) -> dict[str, Any]:
        return {"shard": self.shard_id, "members": list(self.members)}


# -- deciding ----------------------------------------------------------------------------------
def projected_events(state: ExecutionState) -> int:
    """Events the run has plus those its tasks still need (tasks in shards cost their shard)."""
    index = state.index
    own = len(state.tasks) - index.completed - index.delegated - len(index.given)
    return state.last_event_id + RUN_OVERHEAD_EVENTS + EVENTS_PER_TASK * max(own, 0)


def plan_shards(
    state: ExecutionState, *, budget: int, size: int, max_chars: int
) -> list[ShardPlan]:
    """Shards that bring the run's projection back under ``budget`` (none if it is under):
    at most ``size`` tasks each (more if that many shards would not fit the budget: such
    shards shard themselves in turn), whose task documents take at most ``max_chars``."""
    if projected_events(state) <= budget:
        return []
    candidates = [
        ts
        for ts in state.tasks.values()
        if ts.kind in _SHARDABLE
        and ts.status is TaskStatus.PENDING
        and ts.shard is None
        and ts.task is not None
        and not ts.attempts
    ]
    if len(candidates) < 2:
        return []
    # Half the budget for the shards themselves: bigger shards if there would be too many.
    size = max(size, -(-len(candidates) * EVENTS_PER_TASK * 2 // budget))
    weights = {ts.task_id: len(json.dumps(_member_document(ts))) + 1 for ts in candidates}
    limits = _Limits(size, max_chars, weights)
    units = _wide_units(state, candidates)
    if not units:  # no wide group: consecutive pieces of the topological order
        units = [[ts.task_id] for ts in _topological(state, candidates)]
    shards = limits.pack(units)
    numbers = _shard_numbers(state, len(shards))
    return [
        ShardPlan(f"floto.shard:{n}", tuple(members))
        for n, members in zip(numbers, shards, strict=True)
    ]


class _Limits:
    """How much one shard may hold: tasks, and characters of task documents."""

    def __init__(self, size: int, max_chars: int, weights: dict[str, int]) -> None:
        self.size, self.max_chars, self.weights = size, max_chars, weights
        self._used: dict[int, int] = {}  # id() of a shard's member list -> its characters

    def room(self, members: list[str], task_id: str) -> bool:
        used = self._used.get(id(members), 0)
        return len(members) < self.size and used + self.weights[task_id] <= self.max_chars

    def put(self, members: list[str], task_id: str) -> None:
        members.append(task_id)
        self._used[id(members)] = self._used.get(id(members), 0) + self.weights[task_id]

    def pack(self, units: list[list[str]]) -> list[list[str]]:
        """Shards holding the units in order, a unit never split unless it alone is too big."""
        shards: list[list[str]] = []
        for unit in units:
            if not shards or not all(self._fits(shards[-1], unit)):
                shards.append([])
            for task_id in unit:
                if not self.room(shards[-1], task_id):
                    shards.append([])
                self.put(shards[-1], task_id)
        return shards

    def _fits(self, members: list[str], unit: list[str]) -> list[bool]:
        used = self._used.get(id(members), 0) + sum(self.weights[t] for t in unit)
        return [len(members) + len(unit) <= self.size, used <= self.max_chars]


def _wide_groups(candidates: list[TaskState]) -> list[list[str]]:
    by_requirements: dict[frozenset[str], list[str]] = {}
    for ts in candidates:
        by_requirements.setdefault(frozenset(ts.requires), []).append(ts.task_id)
    return [ids for ids in by_requirements.values() if len(ids) >= MIN_WIDE_GROUP]


def _wide_units(state: ExecutionState, candidates: list[TaskState]) -> list[list[str]]:
    """Each member of a wide group with the pending tasks that follow it alone (those whose
    unfinished requirements all lie in its unit), so that a shard takes whole units."""
    pending = {ts.task_id for ts in candidates}
    taken: set[str] = set()
    units: list[list[str]] = []
    for group in _wide_groups(candidates):
        for member in group:
            if member in taken:
                continue
            unit, inside = [member], {member}
            queue = [member]
            while queue:
                for dependent in state.dependents_of(queue.pop()):
                    if dependent in inside or dependent in taken or dependent not in pending:
                        continue
                    requires = state.tasks[dependent].requires
                    if all(r in inside or state.tasks[r].status.is_done for r in requires):
                        inside.add(dependent)
                        unit.append(dependent)
                        queue.append(dependent)
            taken |= inside
            units.append(unit)
    return units


def _topological(state: ExecutionState, candidates: list[TaskState]) -> list[TaskState]:
    """``candidates`` with requirements first (Kahn's algorithm over the candidates only)."""
    wanted = {ts.task_id: ts for ts in candidates}
    waiting = {
        task_id: sum(1 for r in ts.requires if r in wanted) for task_id, ts in wanted.items()
    }
    queue = [task_id for task_id, count in waiting.items() if count == 0]
    order: list[TaskState] = []
    while queue:
        task_id = queue.pop(0)
        order.append(wanted[task_id])
        for dependent in state.dependents_of(task_id):
            if dependent in waiting:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    queue.append(dependent)
    return order


def _shard_numbers(state: ExecutionState, count: int) -> list[int]:
    numbers: list[int] = []
    n = state.index.shards_made
    while len(numbers) < count:
        n += 1
        if f"floto.shard:{n}" not in state.tasks:
            numbers.append(n)
    return numbers


# -- applying ----------------------------------------------------------------------------------
def apply_shards(state: ExecutionState, plans: Iterable[ShardPlan], *, record: bool) -> None:
    """Delegate each plan's members to a new shard task (plans already applied are skipped)."""
    index = state.index
    for plan in plans:
        if plan.shard_id in state.tasks:
            index.unrecorded_shards.pop(plan.shard_id, None)
            continue
        members = [m for m in plan.members if m in state.tasks]
        inside = set(members)
        external = sorted({r for m in members for r in state.tasks[m].requires} - inside)
        shard_type, version = wire.SHARD_TYPE
        task = ChildWorkflow(shard_type, version, id_=plan.shard_id, requires=external)
        add_tasks(state, [task])
        shard = state.tasks[plan.shard_id]
        shard.kind = SHARD_KIND
        index.shard_members[plan.shard_id] = members
        index.shards_made = max(index.shards_made, _number(plan.shard_id))
        for member in members:
            ts = state.tasks[member]
            ts.shard = plan.shard_id
            state.ready.discard(member)
            index.delegated += 1
        if record:
            index.unrecorded_shards[plan.shard_id] = plan


def _number(shard_id: str) -> int:
    try:
        return int(shard_id.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 0


def shards_marker_folded(state: ExecutionState, entries: Any) -> None:
    """A ``floto.shards`` marker: apply its plans (needing no marker any more)."""
    if not isinstance(entries, list):
        return
    plans = [
        ShardPlan(entry["shard"], tuple(m for m in entry["members"] if isinstance(m, str)))
        for entry in entries
        if isinstance(entry, dict)
        and isinstance(entry.get("shard"), str)
        and isinstance(entry.get("members"), list)
    ]
    for plan in plans:
        state.index.unrecorded_shards.pop(plan.shard_id, None)
    apply_shards(state, plans, record=False)


def shard_members(state: ExecutionState, ts: TaskState) -> list[TaskState]:
    """The member tasks of shard ``ts``."""
    return [state.tasks[m] for m in state.index.shard_members.get(ts.task_id, ())]


def shard_attempt_opened(state: ExecutionState, ts: TaskState, status: TaskStatus) -> None:
    """The shard child was initiated (SCHEDULED) or started (RUNNING): its members follow."""
    for member in shard_members(state, ts):
        if member.status is TaskStatus.PENDING or member.status is TaskStatus.SCHEDULED:
            member.status = status


def shard_completed(state: ExecutionState, ts: TaskState, result: Any) -> None:
    """The shard child completed: every member completes, with its result if it had one."""
    result = shallow_value(result)  # members' stored results stay references
    results = result.get("results") if isinstance(result, dict) else None
    results = results if isinstance(results, dict) else {}
    for member in shard_members(state, ts):
        has_result = member.task_id in results
        mark_completed(
            state, member, value_payload(results.get(member.task_id), state.resolver), has_result
        )


def shard_failed(state: ExecutionState, ts: TaskState, outcome: AttemptOutcome, error: str,
                 details: Any) -> None:  # fmt: skip
    """The shard child did not complete: the members its failure names fail with their own
    errors; without names (timed out, terminated) every unfinished member fails."""
    named = details if isinstance(details, dict) else {}
    members = shard_members(state, ts)
    failing = [m for m in members if m.task_id in named] or [
        m for m in members if not m.status.is_done
    ]
    final = FINAL_STATUS[outcome]
    for member in failing:  # their retries ran inside the shard: none is left here
        member.error, member.status = str(named.get(member.task_id, error)), final
        state.index.failed[member.task_id] = None
        state.index.blocked.pop(member.task_id, None)
    for member in members:
        if member.status in (TaskStatus.SCHEDULED, TaskStatus.RUNNING):
            member.status = TaskStatus.PENDING
    for member in members:  # what did not finish inside the shard cannot run here either
        if member.status is TaskStatus.PENDING:
            block_task(state, member, ts.task_id)
    for member in failing:
        block_dependents(state, member.task_id)


# -- the shard run -----------------------------------------------------------------------------
def shard_input(state: ExecutionState, ts: TaskState) -> dict[str, Any]:
    """What a shard child starts with: its members' task documents, the results of the tasks
    outside it they require, and the workflow input if a member requires nothing."""
    members = shard_members(state, ts)
    given = {}
    for required in ts.requires:
        other = state.tasks.get(required)
        given[required] = {"result": other.wire_result} if other and other.has_result else {}
    document: dict[str, Any] = {
        "tasks": [_member_document(member) for member in members],
        "given": given,
    }
    if any(not member.requires for member in members) and state.input_text is not None:
        document["workflow"] = state.root_input(by_reference=True)
    return {wire.SHARD_KEY: document}


def _member_document(member: TaskState) -> dict[str, Any]:
    assert member.task is not None
    document = member.task.to_dict()
    requires = [r for r in member.requires if r != member.generated_by]
    if requires:
        document["requires"] = requires
    else:
        document.pop("requires", None)
    return document


def load_shard_input(state: ExecutionState, value: dict[str, Any]) -> None:
    """Build a shard run's graph from its input: the given tasks done with their results,
    then the members (so a member's context is what it would have been in the parent)."""
    index = state.index
    index.shard_run = True
    given_value = value.get("given")
    given: dict[str, Any] = given_value if isinstance(given_value, dict) else {}
    for task_id, entry in given.items():
        placeholder = TaskState(task_id=task_id, kind=GIVEN_KIND, required_ids=[])
        state.tasks[task_id] = placeholder
        index.given[task_id] = None
        has_result = isinstance(entry, dict) and "result" in entry
        result = value_payload(entry.get("result"), state.resolver) if has_result else None
        mark_completed(state, placeholder, result, has_result, TaskStatus.REUSED)
    if "workflow" in value:
        state.workflow_input = value_payload(value["workflow"], state.resolver)
    else:
        state.input_text = None  # members that require nothing see no workflow input
    tasks = decode_tasks(value.get("tasks") or [], path=f"{wire.SHARD_KEY}.tasks",
                         check_graph=False)  # fmt: skip
    known = set(given) | {task.id_ for task in tasks}
    for task in tasks:
        for required in task.required_ids:
            if required not in known:
                raise ValueError(f"shard task {task.id_} requires {required!r}, not given")
    index.base_loaded = True
    add_tasks(state, tasks)
