"""ExecutionState: the one model of a workflow execution, derived from its history.

The decider decides from it; graphs, widgets, the CLI and failure reports show it. Nothing
else re-parses events. Everything here is plain data: building it from events is the job of
:mod:`floto.history._derive`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from floto.history._payloads import Resolved, Resolver, dataclass_repr, on_wire, raw
from floto.history._ready import ReadyTasks
from floto.history._tasks import (
    _NOT_USER_KINDS,
    _SILENT_KINDS,
    Attempt,
    AttemptOutcome,
    TaskState,
    TaskStatus,
    WorkflowStatus,
)
from floto.specs.task import Task

__all__ = [
    "Attempt",
    "AttemptOutcome",
    "ExecutionState",
    "Progress",
    "StateIndex",
    "TaskState",
    "TaskStatus",
    "WorkflowStatus",
]


@dataclass
class StateIndex:
    """Bookkeeping the derivation keeps beside an ExecutionState's public fields, so that
    folding an event never walks the whole graph (maintained by floto.history only)."""

    owners: dict[int, tuple[str, str]] = field(default_factory=dict)  # event id -> (role, task)
    dependents: dict[str, list[str]] = field(default_factory=dict)
    completed: int = 0
    failed: dict[str, None] = field(default_factory=dict)  # tasks failed with no retry to come
    blocked: dict[str, str] = field(default_factory=dict)  # blocked task -> the failed task
    canceled: dict[str, None] = field(default_factory=dict)  # canceled by the decider (no failure)
    open_timer_ids: dict[int, str] = field(default_factory=dict)  # started event id -> timer id
    cancel_requested: set[str] = field(default_factory=set)  # activities asked to cancel
    open_activities: int = 0
    open_children: int = 0
    open_timers: int = 0  # every timer: the tasks', retries' back-offs and wake-ups
    throttled: dict[str, None] = field(default_factory=dict)  # tasks waiting for the back-off
    backoff_open: bool = False  # the run's back-off timer is running
    unrecorded: dict[str, None] = field(default_factory=dict)  # base tasks not in a marker yet
    recorded: list[str] = field(default_factory=list)  # task ids in floto.tasks record order
    partial_record: dict[str, Any] | None = None  # a task form whose requirements continue
    handled_signals: set[int] = field(default_factory=set)
    tasks_from_input: bool = False  # DynamicDecider: the base tasks are in the workflow input
    strict_input: bool = True  # a missing or bad task list in the input is a problem
    base_loaded: bool = False
    stripped_input_path: tuple[str, ...] = ()  # where the input's task list was found
    unrecorded_reuse: dict[str, dict[str, Any]] = field(default_factory=dict)  # rerun entries
    reuse_loaded: bool = False  # a rerun's decider has read the earlier run in this process
    shard_members: dict[str, list[str]] = field(default_factory=dict)  # shard id -> members
    unrecorded_shards: dict[str, Any] = field(default_factory=dict)  # shard plans to record
    shards_made: int = 0  # the highest shard number used
    delegated: int = 0  # tasks delegated to shards
    given: dict[str, None] = field(default_factory=dict)  # a shard run's given tasks
    shard_run: bool = False  # this run is a shard: its result maps every member's result
    shard_checked_size: int = -1  # tasks known when the decider last looked at sharding


class Progress(NamedTuple):
    """How far a run has come: tasks known so far (generated ones join when they appear).

    Every task is counted once: ``completed + running + queued + failed + canceled + waiting
    + blocked + not_run + pending == total`` (``reused`` is part of ``completed``)."""

    completed: int  # completed or reused
    total: int
    running: int  # a worker (or a child run) has the attempt
    failed: int  # failed or timed out, with no retry to come
    waiting: int  # waiting to retry
    reused: int  # taken from the earlier run by a rerun
    queued: int = 0  # scheduled, not picked up yet
    blocked: int = 0  # a task it requires failed
    not_run: int = 0  # the run closed before it could start
    canceled: int = 0  # canceled (by the decider, or open when the run closed)
    pending: int = 0  # waiting for its requirements


@dataclass
class ExecutionState:
    """The state of one workflow run, derived from its history by event ids.

    ``tasks`` holds every task known: those of the spec (pending until scheduled), those
    generators created, and any seen only in events. ``order`` lists their ids in a stable
    topological order (requirements first).
    """

    domain: str | None = None
    workflow_id: str | None = None
    run_id: str | None = None
    workflow_type: tuple[str, str] | None = None
    status: WorkflowStatus = WorkflowStatus.OPEN
    # parsed values; stored ones (floto.api's payload store) are read on first use
    workflow_input: Any = Resolved()  # noqa: RUF009 (a descriptor, not a call per instance)
    result: Any = Resolved()  # noqa: RUF009
    failure_reason: str | None = None
    failure_details: Any = Resolved()  # noqa: RUF009
    started_at: Any = None
    closed_at: Any = None
    tasks: dict[str, TaskState] = field(default_factory=dict)
    last_event_id: int = 0  # newest event folded into this state
    # each: name, input, event_id, input_error (why JSON input was not read, or None)
    signals: list[dict[str, Any]] = field(default_factory=list)
    last_event_type: str | None = None  # type of the newest event folded in
    task_list: str | None = None  # the run's decision task list
    input_text: str | None = None  # the workflow input exactly as SWF holds it
    execution_config: dict[str, Any] = field(default_factory=dict)  # timeouts, child policy...
    parent: dict[str, str] | None = None  # the parent run's {workflowId, runId}, if a child
    rerun_of: dict[str, str] | None = None  # the run a rerun reuses ({workflowId, runId})
    continued_from: str | None = None  # run id this run continued (ContinueAsNew)
    new_run_id: str | None = None  # run id of the run this one continued as
    cancel_requested: bool = False
    ready: ReadyTasks = field(default_factory=ReadyTasks)  # tasks that need a decision
    # Why the run must fail, by task id ("" for the run itself): bad generator output, a
    # decision SWF refused, a workflow input without tasks...
    problems: dict[str, str] = field(default_factory=dict)
    # Closing decisions SWF refused: {"decision", "cause", "event_id"} each.
    close_rejections: list[dict[str, Any]] = field(default_factory=list)
    index: StateIndex = field(default_factory=StateIndex, repr=False)
    # reads payloads stored outside SWF (floto.api.Swf.resolve_payload); None: cannot
    resolver: Resolver | None = field(default=None, repr=False, compare=False)

    __repr__ = dataclass_repr

    @property
    def order(self) -> list[str]:
        """Task ids, requirements first (stable)."""
        graph = self.graph
        index = {task_id: i for i, task_id in enumerate(self.tasks)}
        return list(nx.lexicographical_topological_sort(graph, key=index.__getitem__))

    @property
    def graph(self) -> nx.DiGraph:
        """A networkx DiGraph over the known tasks (edges required -> task)."""
        graph: nx.DiGraph = nx.DiGraph()
        for task_id, state in self.tasks.items():
            graph.add_node(task_id, state=state)
        for task_id, state in self.tasks.items():
            for required in state.requires:
                if required in self.tasks:
                    graph.add_edge(required, task_id)
        return graph

    @property
    def failed_tasks(self) -> list[str]:
        """Ids of the tasks that failed (failed, timed out, or a child canceled) with no retry
        to follow; tasks closed only because the run closed are not among them."""
        return [task_id for task_id in self.index.failed if task_id in self.tasks]

    @property
    def blocked_tasks(self) -> dict[str, str]:
        """``{task id: id of the failed task it requires}`` of the blocked tasks."""
        return dict(self.index.blocked)

    @property
    def is_closed(self) -> bool:
        """Whether the run has closed (completed, failed, continued as new, ...)."""
        return self.status is not WorkflowStatus.OPEN

    def counts(self) -> dict[TaskStatus, int]:
        """How many tasks are in each status (floto's own shard tasks left out)."""
        totals = dict.fromkeys(TaskStatus, 0)
        for state in self.tasks.values():
            if state.kind not in _NOT_USER_KINDS:
                totals[state.status] += 1
        return totals

    def progress(self) -> Progress:
        """Completed of the tasks known so far, and every other status counted apart."""
        counts = self.counts()
        return Progress(
            completed=counts[TaskStatus.COMPLETED] + counts[TaskStatus.REUSED],
            total=sum(counts.values()),
            running=counts[TaskStatus.RUNNING],
            failed=counts[TaskStatus.FAILED] + counts[TaskStatus.TIMED_OUT],
            waiting=counts[TaskStatus.WAITING_TO_RETRY],
            reused=counts[TaskStatus.REUSED],
            queued=counts[TaskStatus.SCHEDULED],
            blocked=counts[TaskStatus.BLOCKED],
            not_run=counts[TaskStatus.NOT_RUN],
            canceled=counts[TaskStatus.CANCELED],
            pending=counts[TaskStatus.PENDING],
        )

    @property
    def all_completed(self) -> bool:
        """Whether every known task has completed (and none waits for a decision)."""
        return not self.ready and self.index.completed == len(self.tasks)

    @property
    def is_settled(self) -> bool:
        """Whether nothing more can run: every task completed, failed for good, was canceled
        or is blocked, and none waits for a decision (an open run fails or completes now)."""
        index = self.index
        closed = index.completed + len(index.failed) + len(index.blocked) + len(index.canceled)
        return not self.ready and closed >= len(self.tasks)

    def open_activity_ids(self) -> list[str]:
        """The task ids of activities (and generators) with an open attempt that no
        cancellation was requested for yet."""
        open_ = (TaskStatus.SCHEDULED, TaskStatus.RUNNING)
        return [
            task_id
            for task_id, ts in self.tasks.items()
            if ts.kind in ("activity", "generator") and ts.status in open_ and ts.shard is None
            and task_id not in self.index.cancel_requested
        ]  # fmt: skip

    def open_timer_ids(self) -> list[str]:
        """The SWF ids of the run's open timers (tasks', retries', floto's own)."""
        return list(self.index.open_timer_ids.values())

    def failures(self) -> dict[str, str]:
        """Why the run fails or failed, by task id ("" for the run itself): tasks that failed
        with no retry to come, and problems (bad generator output, refused decisions...)."""
        found = dict(self.problems)
        for task_id in self.index.failed:
            ts = self.tasks[task_id]
            if ts.kind not in _NOT_USER_KINDS:
                found.setdefault(task_id, ts.error or "failed")
        return found

    @property
    def open_activity_count(self) -> int:
        """Activity tasks scheduled and not closed."""
        return self.index.open_activities

    @property
    def open_timer_count(self) -> int:
        """Timers started and not fired or canceled (floto's own back-offs and wake-ups too)."""
        return self.index.open_timers

    @property
    def open_child_count(self) -> int:
        """Child workflows initiated and not closed."""
        return self.index.open_children

    def dependents_of(self, task_id: str) -> list[str]:
        """Ids of the tasks that require ``task_id`` directly."""
        return list(self.index.dependents.get(task_id, ()))

    def sink_results(self, *, by_reference: bool = False) -> dict[str, Any]:
        """``{task id: result}`` of the tasks nothing depends on (the run's result): timers,
        generators and tasks without a result are left out.

        ``by_reference``: stored results stay payload references (what a decider sends)."""
        dependents = self.index.dependents
        return {
            task_id: ts.wire_result if by_reference else ts.result
            for task_id, ts in self.tasks.items()
            if not dependents.get(task_id)
            and ts.has_result
            and ts.kind not in _SILENT_KINDS
            and ts.kind not in _NOT_USER_KINDS
        }

    @property
    def recorded_ids(self) -> list[str]:
        """Ids the run's ``floto.tasks`` markers recorded so far, in order (what compact
        records refer to by position)."""
        return self.index.recorded

    def run_result(self, *, by_reference: bool = False) -> dict[str, Any]:
        """What the run completes with: :meth:`sink_results`; a shard run returns every
        member's result (``{"results": {task id: result}}``) to the run it serves.
        ``by_reference``: stored results stay payload references."""
        if not self.index.shard_run:
            return self.sink_results(by_reference=by_reference)
        results = {
            task_id: ts.wire_result if by_reference else ts.result
            for task_id, ts in self.tasks.items()
            if ts.has_result and ts.kind not in _SILENT_KINDS and ts.kind not in _NOT_USER_KINDS
        }
        return {"results": results}

    def unrecorded_shards(self) -> list[Any]:
        """Shard plans no ``floto.shards`` marker holds yet."""
        return list(self.index.unrecorded_shards.values())

    def unrecorded_tasks(self) -> list[Task]:
        """The spec's tasks not yet written into a ``floto.tasks`` marker, in order."""
        tasks = (self.tasks[task_id].task for task_id in self.index.unrecorded)
        return [task for task in tasks if task is not None]

    def unrecorded_reuse(self) -> list[dict[str, Any]]:
        """The entries of tasks this rerun reused that no ``floto.reused`` marker holds yet."""
        return list(self.index.unrecorded_reuse.values())

    @property
    def needs_reuse(self) -> bool:
        """Whether this run is a rerun whose decider has still to read the earlier run."""
        return self.rerun_of is not None and not self.index.reuse_loaded

    def root_input(self, *, by_reference: bool = False) -> Any:
        """The workflow input as tasks without requirements see it (a DynamicDecider's task
        list removed from it). ``by_reference``: a stored input stays a payload reference
        unless a task list has to be removed from it."""
        path = self.index.stripped_input_path
        if by_reference and not path:
            return on_wire(raw(self, "workflow_input"))
        value = self.workflow_input
        if not path or not isinstance(value, dict):
            return value
        value = dict(value)
        if len(path) == 1:
            value.pop(path[0], None)
            return value
        inner = value.get(path[0])
        if isinstance(inner, dict):
            value[path[0]] = {key: item for key, item in inner.items() if key != path[1]}
        return value

    def context_of(self, task_id: str, *, by_reference: bool = False) -> dict[str, Any]:
        """The context the next attempt of ``task_id`` receives (the seed's "Activity
        Context"): ``workflow`` (the input, for tasks that require nothing), the result of
        each required task that returned one, and the task's own input as ``activity_task``
        (``child_workflow`` for child workflows).

        ``by_reference``: stored values stay payload references, as the decider sends them
        (the worker resolves them); else they are read."""
        ts = self.tasks[task_id]
        context: dict[str, Any] = {}
        requires = ts.requires
        if not requires and self.input_text is not None:
            context["workflow"] = self.root_input(by_reference=by_reference)
        for required_id in requires:
            required = self.tasks.get(required_id)
            if required is None or required.kind in _SILENT_KINDS or not required.has_result:
                continue
            context[required_id] = required.wire_result if by_reference else required.result
        task_input = getattr(ts.task, "input", None)
        if task_input is not None:
            key = "child_workflow" if ts.kind == "child_workflow" else "activity_task"
            context[key] = task_input
        return context

    def is_signal_handled(self, event_id: int) -> bool:
        """Whether the signal recorded by ``event_id`` was acted on (a child started for it,
        or a ``floto.signal_rejected`` marker)."""
        return event_id in self.index.handled_signals

    def __getitem__(self, task_id: str) -> TaskState:
        return self.tasks[task_id]
