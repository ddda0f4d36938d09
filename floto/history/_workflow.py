"""A run's workflow: the tasks recorded at its first decision, and changes to it.

The tasks a decider records in ``floto.tasks`` markers on a run's first decision (plus what
its generators add) are that run's workflow. A decider whose spec differs compares the two
(:func:`compare_tasks`); an explicit migration (:func:`migrate`) is recorded in
``floto.migrated`` markers, so every reader of the history derives the same graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from floto.errors import SpecError
from floto.history._book import FINAL_STATUS, add_tasks
from floto.history._state import AttemptOutcome, ExecutionState, TaskState, TaskStatus
from floto.specs import decode_tasks
from floto.specs.task import Task

_SHOWN = 5


@dataclass(frozen=True)
class WorkflowChange:
    """How a spec's tasks differ from a run's recorded ones, by task id.

    Attributes:
        added: ids in the spec that the run does not have.
        removed: ids the run has that the spec does not.
        changed: ids in both whose definitions differ, each with the fields that differ.
    """

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def describe(self) -> str:
        """One line: ``1 task added (c:1:...); 1 removed (b:1:...); 1 changed (a:1:...:
        retry_strategy)``."""
        parts = []
        for label, ids in (("added", self.added), ("removed", self.removed)):
            if ids:
                parts.append(f"{_count(ids)} {label} ({_shown(list(ids))})")
        if self.changed:
            shown = [f"{task_id}: {', '.join(fields)}" for task_id, fields in self.changed]
            parts.append(f"{_count(self.changed)} changed ({_shown(shown)})")
        return "; ".join(parts) or "no change"


def _count(items: Sequence[Any]) -> str:
    return f"{len(items)} task{'s' if len(items) != 1 else ''}"


def _shown(items: list[str]) -> str:
    more = len(items) - _SHOWN
    return ", ".join(items[:_SHOWN]) + (f", and {more} more" if more > 0 else "")


def has_record(state: ExecutionState) -> bool:
    """Whether the run's history holds its tasks (``floto.tasks`` markers)."""
    return bool(state.index.recorded)


def recorded_tasks(state: ExecutionState) -> list[Task]:
    """The run's own tasks as recorded (and migrated), generated ones left out."""
    return [
        ts.task
        for ts in state.tasks.values()
        if ts.task is not None and ts.generated_by is None and not ts.is_internal
    ]


def _normal(form: dict[str, Any]) -> dict[str, Any]:
    """A task form as compared: no id, requirements as a sorted list (none: no key)."""
    normal = {key: value for key, value in form.items() if key not in ("id_", "r")}
    requires = normal.pop("requires", None)
    if requires:
        normal["requires"] = sorted(requires)
    return normal


def _form(task: Task) -> dict[str, Any]:
    return _normal(task.to_dict())


def task_forms(tasks: Sequence[Task]) -> dict[str, dict[str, Any]]:
    """``{id: form}`` of ``tasks``, as :func:`compare_forms` compares them."""
    return {task.id_: _form(task) for task in tasks}


def compare_tasks(recorded: Sequence[Task], proposed: Sequence[Task]) -> WorkflowChange:
    """What changes from ``recorded`` (a run's tasks) to ``proposed`` (a spec's)."""
    return compare_forms(task_forms(recorded), task_forms(proposed))


def compare_forms(
    old: Mapping[str, dict[str, Any]], new: Mapping[str, dict[str, Any]]
) -> WorkflowChange:
    """:func:`compare_tasks` on forms (``task_forms``): equal forms cost a dict comparison."""
    changed = []
    for task_id, after in new.items():
        before = old.get(task_id)
        if before is None or before == after:
            continue
        if "input" not in before:  # recorded without its input (too long for a marker)
            after = {key: value for key, value in after.items() if key != "input"}
        fields = sorted(
            key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )
        if fields:
            changed.append((task_id, tuple(fields)))
    return WorkflowChange(
        added=tuple(task_id for task_id in new if task_id not in old),
        removed=tuple(task_id for task_id in old if task_id not in new),
        changed=tuple(changed),
    )


def settle_workflow(
    state: ExecutionState,
    proposed: Sequence[Task] | None = None,
    proposed_forms: Mapping[str, dict[str, Any]] | None = None,
) -> WorkflowChange | None:
    """Settle which tasks are the run's workflow, once per state (later calls return None).

    A run whose history records its tasks keeps them: the result says how ``proposed`` (a
    spec's tasks; default: the input's, held by ``new_state(settle_later=True)``)
    differs from them. A run without a record (a new run, or one of a floto that recorded
    nothing) takes ``proposed``, to be recorded; None is returned. ``proposed_forms``:
    ``task_forms(proposed)``, if the caller keeps them.
    """
    index = state.index
    if index.base_loaded:
        return None
    tasks = list(proposed) if proposed is not None else index.proposed
    index.proposed = None
    kept, index.record_forms = index.record_forms or {}, None
    if has_record(state):
        index.base_loaded = True
        if tasks is None:
            return None
        old = {
            task.id_: _normal(kept[task.id_]) if task.id_ in kept else _form(task)
            for task in recorded_tasks(state)
        }
        return compare_forms(
            old, proposed_forms if proposed_forms is not None else task_forms(tasks)
        )
    if tasks:
        adopt_tasks(state, tasks)
    return None


def adopt_tasks(state: ExecutionState, tasks: Sequence[Task]) -> None:
    """Make ``tasks`` the workflow of a run that has none recorded (they will be)."""
    add_tasks(state, tasks, record=True)
    state.index.base_loaded = True


def migrate(state: ExecutionState, change: WorkflowChange, proposed: Sequence[Task]) -> list[dict]:
    """Move a run onto ``proposed``: added tasks join (recorded in ``floto.tasks``),
    removed ones leave and changed ones not done yet take their new definition (recorded
    in ``floto.migrated``). What completed stays completed; a removed task with an attempt
    still open, or delegated to a shard, is kept (and finishes). Returns the entries."""
    by_id = {task.id_: task for task in proposed}
    kept = state.index.kept_removed  # removed while running, by an earlier migration: kept
    entries: list[dict[str, Any]] = [
        {"remove": task_id} for task_id in change.removed if task_id not in kept
    ]
    entries += [
        {"change": by_id[task_id].to_dict()}
        for task_id, _ in change.changed
        if not state.tasks[task_id].status.is_done  # what completed stays as it ran
    ]
    apply_migration(state, entries)
    add_tasks(state, [by_id[task_id] for task_id in change.added], record=True)
    state.index.unrecorded_migration.extend(entries)
    return entries


def apply_migration(state: ExecutionState, entries: Sequence[Any]) -> None:
    """Apply migration entries (``{"remove": id}``, ``{"change": task form}``); entries
    already applied change nothing."""
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("remove"), str):
            ts = state.tasks.get(entry["remove"])
            if ts is not None and (_open(ts) or ts.shard is not None):
                state.index.kept_removed.add(ts.task_id)
            elif ts is not None:
                _drop(state, ts)
        elif isinstance(entry.get("change"), dict):
            try:
                (task,) = decode_tasks([entry["change"]], path="change", check_graph=False)
            except (SpecError, ValueError):
                continue
            ts = state.tasks.get(task.id_)
            if ts is None or ts.task is None or ts.shard is not None:
                continue  # a shard's member is decided inside its shard
            if _form(ts.task) != _form(task):
                _redefine(state, ts, task)


def migrated_marker_folded(state: ExecutionState, entries: Any) -> None:
    """A ``floto.migrated`` marker: apply its entries; they need no marker any more."""
    if not isinstance(entries, list):
        return
    apply_migration(state, entries)
    pending = state.index.unrecorded_migration
    state.index.unrecorded_migration = [entry for entry in pending if entry not in entries]


def _open(ts: TaskState) -> bool:
    last = ts.last_attempt
    return last is not None and last.outcome is AttemptOutcome.OPEN


def _unlink(state: ExecutionState, ts: TaskState) -> None:
    for required in ts.requires:
        dependents = state.index.dependents.get(required)
        if dependents is not None and ts.task_id in dependents:
            dependents.remove(ts.task_id)


def _drop(state: ExecutionState, ts: TaskState) -> None:
    """Take ``ts`` (and what it generated) out of the graph."""
    index = state.index
    for other in [t for t in state.tasks.values() if t.generated_by == ts.task_id]:
        if not _open(other):
            _drop(state, other)
    _unlink(state, ts)
    del state.tasks[ts.task_id]
    if index.record_forms is not None:
        index.record_forms.pop(ts.task_id, None)
    state.ready.discard(ts.task_id)
    index.unrecorded.pop(ts.task_id, None)
    index.failed.pop(ts.task_id, None)
    if ts.status.is_done:
        index.completed -= 1
    for dependent_id in index.dependents.pop(ts.task_id, []):
        dependent = state.tasks.get(dependent_id)
        if dependent is None:
            continue
        dependent.required_ids = [r for r in dependent.requires if r != ts.task_id]
        if not ts.status.is_done:
            dependent.unmet -= 1
            if dependent.unmet == 0 and dependent.status is TaskStatus.PENDING:
                state.ready.add(dependent)


def _redefine(state: ExecutionState, ts: TaskState, task: Task) -> None:
    """``ts`` takes ``task``'s definition (requirements, retry strategy, ...)."""
    _unlink(state, ts)
    required = list(task.required_ids)
    if ts.generated_by is not None and ts.generated_by not in required:
        required.append(ts.generated_by)
    ts.task, ts.kind, ts.required_ids = task, task.kind, required
    if state.index.record_forms is not None:
        state.index.record_forms[ts.task_id] = task.to_dict()
    unmet = 0
    for required_id in required:
        state.index.dependents.setdefault(required_id, []).append(ts.task_id)
        other = state.tasks.get(required_id)
        if other is None or not other.status.is_done:
            unmet += 1
    ts.unmet = unmet
    _restatus(state, ts)


def _restatus(state: ExecutionState, ts: TaskState) -> None:
    """A task's status again, by its (new) requirements and retry strategy."""
    last = ts.last_attempt
    failed = last is not None and last.outcome in (AttemptOutcome.FAILED, AttemptOutcome.TIMED_OUT)
    if failed and ts.status in (
        TaskStatus.FAILED,
        TaskStatus.TIMED_OUT,
        TaskStatus.WAITING_TO_RETRY,
    ):
        strategy = getattr(ts.task, "retry_strategy", None)
        if strategy is not None and strategy.is_task_resubmitted(ts.failures):
            state.index.failed.pop(ts.task_id, None)
            ts.status = TaskStatus.WAITING_TO_RETRY
        else:
            ts.status = FINAL_STATUS[last.outcome]  # type: ignore[union-attr]
            state.index.failed[ts.task_id] = None
            state.ready.discard(ts.task_id)
            return
    if ts.status is TaskStatus.WAITING_TO_RETRY or (
        ts.status is TaskStatus.PENDING and not ts.unmet
    ):
        state.ready.add(ts)
    elif ts.status is TaskStatus.PENDING:
        state.ready.discard(ts.task_id)
