"""ExecutionState: the one model of a workflow execution, derived from its history.

The decider decides from it; graphs, widgets, the CLI and failure reports show it. Nothing
else re-parses events. Everything here is plain data: building it from events is the job of
:mod:`floto.history._derive`.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from floto.specs.task import Task

_SILENT_KINDS = frozenset({"timer", "generator"})
"""Kinds whose completion passes no result on (to dependents, or into the run's result)."""

_NOT_USER_KINDS = frozenset({"shard", "given"})
"""floto's own tasks: shards (child runs holding tasks) and, in a shard run, the tasks outside
it whose results it was given. They are left out of counts, failures and results."""


class TaskStatus(str, enum.Enum):
    """Where a task stands. ``str`` values, so they print and serialise plainly."""

    PENDING = "pending"  # not scheduled yet (waiting for requirements)
    SCHEDULED = "scheduled"  # scheduled / timer started / child initiated, not started
    RUNNING = "running"  # picked up by a worker / child started
    COMPLETED = "completed"
    FAILED = "failed"  # last attempt failed and no retry follows
    TIMED_OUT = "timed_out"  # last attempt timed out and no retry follows
    CANCELED = "canceled"
    WAITING_TO_RETRY = "waiting_to_retry"  # an attempt failed; a retry is due or scheduled
    REUSED = "reused"  # a rerun took the task's result from the earlier run, without running it

    @property
    def is_closed(self) -> bool:
        """Whether the task will not change again without a retry."""
        return self in (
            TaskStatus.COMPLETED,
            TaskStatus.REUSED,
            TaskStatus.FAILED,
            TaskStatus.TIMED_OUT,
            TaskStatus.CANCELED,
        )

    @property
    def is_done(self) -> bool:
        """Whether the task's result is there for its dependents (completed, or reused)."""
        return self in (TaskStatus.COMPLETED, TaskStatus.REUSED)


class AttemptOutcome(str, enum.Enum):
    """How one attempt of a task ended (``OPEN`` while it has not)."""

    OPEN = "open"
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CANCELED = "canceled"
    REJECTED = "rejected"  # SWF refused the decision (Schedule*/Start*Failed)


class WorkflowStatus(str, enum.Enum):
    """The execution as a whole."""

    OPEN = "open"
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CANCELED = "canceled"
    TERMINATED = "terminated"
    CONTINUED_AS_NEW = "continued_as_new"


@dataclass
class Attempt:
    """One attempt of a task: one schedule (or timer start, or child start) and its close.

    Times are ``datetime`` objects from the event timestamps (UTC-aware), event ids are SWF's.
    """

    number: int  # 1 for the first attempt
    scheduled_event_id: int
    scheduled_at: Any = None
    started_at: Any = None
    closed_at: Any = None
    outcome: AttemptOutcome = AttemptOutcome.OPEN
    error: str | None = None  # reason/details of a failed, timed out or rejected attempt
    closed_event_id: int | None = None
    details: Any = None  # the failure's details (parsed JSON where possible)
    identity: str | None = None  # the worker (or decider) that took the attempt
    workflow_execution: dict[str, str] | None = None  # a child's {workflowId, runId}

    @property
    def duration(self) -> float | None:
        """Seconds from scheduled to closed, or None while open."""
        if self.scheduled_at is None or self.closed_at is None:
            return None
        return (self.closed_at - self.scheduled_at).total_seconds()


_NO_RESULT = object()


@dataclass
class TaskState:
    """Everything known about one task of the execution."""

    task_id: str
    kind: str  # "activity", "generator", "child_workflow", "timer"
    status: TaskStatus = TaskStatus.PENDING
    attempts: list[Attempt] = field(default_factory=list)
    result: Any = None  # parsed result; see has_result (0, "", [], {} and False are results)
    has_result: bool = False
    error: str | None = None  # last error message, if any attempt failed
    generated_by: str | None = None  # id of the generator that created this task
    task: Task | None = None  # the task spec, when known
    retry_at: Any = None  # when a delayed retry is due (WAITING_TO_RETRY)
    required_ids: list[str] | None = None  # requirements as run (spec + generated), see requires
    unmet: int = 0  # requirements not completed yet (kept by floto.history._derive)
    retry_timer: str | None = None  # id of the open SWF timer of a delayed retry
    retry_due: bool = False  # a delayed retry's timer fired: schedule the next attempt now
    throttled: bool = False  # SWF refused the last attempt for a rate or open-count limit
    shard: str | None = None  # the shard (child run) this task was delegated to

    @property
    def attempt_count(self) -> int:
        """How many attempts were made (scheduled) so far."""
        return len(self.attempts)

    @property
    def failures(self) -> int:
        """Failed or timed-out attempts so far (what retry strategies count)."""
        return sum(
            attempt.outcome in (AttemptOutcome.FAILED, AttemptOutcome.TIMED_OUT)
            for attempt in self.attempts
        )

    @property
    def scheduled_at(self) -> Any:
        """When the first attempt was scheduled."""
        return self.attempts[0].scheduled_at if self.attempts else None

    @property
    def started_at(self) -> Any:
        """When the latest attempt started."""
        return self.attempts[-1].started_at if self.attempts else None

    @property
    def closed_at(self) -> Any:
        """When the latest attempt closed."""
        return self.attempts[-1].closed_at if self.attempts else None

    @property
    def requires(self) -> list[str]:
        """Ids of the tasks this one requires: its spec's, plus the tasks a generator added."""
        if self.required_ids is not None:
            return self.required_ids
        return self.task.required_ids if self.task is not None else []

    @property
    def last_attempt(self) -> Attempt | None:
        """The latest attempt, or None before the first."""
        return self.attempts[-1] if self.attempts else None

    @property
    def is_internal(self) -> bool:
        """Whether this is floto's own task (a shard, or a shard run's given task), not one of
        the workflow's."""
        return self.kind in _NOT_USER_KINDS


def _lane(ts: TaskState) -> str:
    """What the next decision of a ready task takes up: an activity slot, a child slot, or
    nothing ("free": a timer, a retry's back-off timer)."""
    if ts.kind == "timer":
        return "free"
    if ts.status is TaskStatus.WAITING_TO_RETRY and not ts.retry_due:
        strategy = getattr(ts.task, "retry_strategy", None)
        if ts.throttled or (strategy is not None and strategy.delay_in_seconds(ts.failures) > 0):
            return "free"
    return "child" if ts.kind == "child_workflow" else "activity"


class ReadyTasks:
    """The tasks that need a decision, in the order they became ready, kept in lanes by what
    their next decision takes up (see :data:`LANES`), so that a planner whose activity slots
    are full skips the activity lane at once instead of walking it.

    Reads like an ordered set of task ids (``in``, ``len``, iteration).
    """

    LANES = ("free", "child", "activity")

    def __init__(self) -> None:
        self._lane_of: dict[str, str] = {}
        self._lanes: dict[str, dict[str, int]] = {lane: {} for lane in self.LANES}
        self._counter = itertools.count()

    def add(self, ts: TaskState) -> None:
        """``ts`` needs a decision (again: its lane follows its current status). A task
        delegated to a shard never does: its shard does."""
        if ts.shard is not None:
            return
        lane, old = _lane(ts), self._lane_of.get(ts.task_id)
        if old == lane:
            return
        position = next(self._counter)
        if old is not None:
            position = self._lanes[old].pop(ts.task_id)
        self._lane_of[ts.task_id] = lane
        self._lanes[lane][ts.task_id] = position

    def discard(self, task_id: str) -> None:
        """``task_id`` needs no decision (now)."""
        lane = self._lane_of.pop(task_id, None)
        if lane is not None:
            del self._lanes[lane][task_id]

    def lane(self, name: str) -> list[str]:
        """The ready task ids of one lane, in order."""
        return list(self._lanes[name])

    def position(self, task_id: str) -> int:
        """Where ``task_id`` stands in the order tasks became ready (lower: earlier)."""
        return self._lanes[self._lane_of[task_id]][task_id]

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._lane_of

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._lane_of))

    def __len__(self) -> int:
        return len(self._lane_of)

    def __repr__(self) -> str:
        return f"ReadyTasks({list(self._lane_of)!r})"


@dataclass
class StateIndex:
    """Bookkeeping the derivation keeps beside an ExecutionState's public fields, so that
    folding an event never walks the whole graph (maintained by floto.history only)."""

    owners: dict[int, tuple[str, str]] = field(default_factory=dict)  # event id -> (role, task)
    dependents: dict[str, list[str]] = field(default_factory=dict)
    completed: int = 0
    failed: dict[str, None] = field(default_factory=dict)  # tasks failed with no retry to come
    open_activities: int = 0
    open_children: int = 0
    unrecorded: dict[str, None] = field(default_factory=dict)  # base tasks not in a marker yet
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
    """How far a run has come: tasks known so far (generated ones join when they appear)."""

    completed: int  # completed or reused
    total: int
    running: int  # scheduled or running (an attempt is open)
    failed: int  # failed, timed out or canceled, with no retry to come
    waiting: int  # waiting to retry
    reused: int  # taken from the earlier run by a rerun


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
    workflow_input: Any = None
    result: Any = None
    failure_reason: str | None = None
    failure_details: Any = None
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
        """Ids of tasks that failed, timed out or were canceled with no retry to follow."""
        return [
            task_id
            for task_id, state in self.tasks.items()
            if state.status in (TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.CANCELED)
        ]

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
        """Completed of the tasks known so far, with running, failed and waiting counts."""
        counts = self.counts()
        return Progress(
            completed=counts[TaskStatus.COMPLETED] + counts[TaskStatus.REUSED],
            total=sum(counts.values()),
            running=counts[TaskStatus.SCHEDULED] + counts[TaskStatus.RUNNING],
            failed=counts[TaskStatus.FAILED]
            + counts[TaskStatus.TIMED_OUT]
            + counts[TaskStatus.CANCELED],
            waiting=counts[TaskStatus.WAITING_TO_RETRY],
            reused=counts[TaskStatus.REUSED],
        )

    @property
    def all_completed(self) -> bool:
        """Whether every known task has completed (and none waits for a decision)."""
        return not self.ready and self.index.completed == len(self.tasks)

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
    def open_child_count(self) -> int:
        """Child workflows initiated and not closed."""
        return self.index.open_children

    def dependents_of(self, task_id: str) -> list[str]:
        """Ids of the tasks that require ``task_id`` directly."""
        return list(self.index.dependents.get(task_id, ()))

    def sink_results(self) -> dict[str, Any]:
        """``{task id: result}`` of the tasks nothing depends on (the run's result): timers,
        generators and tasks without a result are left out."""
        dependents = self.index.dependents
        return {
            task_id: ts.result
            for task_id, ts in self.tasks.items()
            if not dependents.get(task_id)
            and ts.has_result
            and ts.kind not in _SILENT_KINDS
            and ts.kind not in _NOT_USER_KINDS
        }

    def run_result(self) -> dict[str, Any]:
        """What the run completes with: :meth:`sink_results`; a shard run returns every
        member's result (``{"results": {task id: result}}``) to the run it serves."""
        if not self.index.shard_run:
            return self.sink_results()
        results = {
            task_id: ts.result
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

    def root_input(self) -> Any:
        """The workflow input as tasks without requirements see it (a DynamicDecider's task
        list removed from it)."""
        value = self.workflow_input
        path = self.index.stripped_input_path
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

    def context_of(self, task_id: str) -> dict[str, Any]:
        """The context the next attempt of ``task_id`` receives (the seed's "Activity
        Context"): ``workflow`` (the input, for tasks that require nothing), the result of
        each required task that returned one, and the task's own input as ``activity_task``
        (``child_workflow`` for child workflows)."""
        ts = self.tasks[task_id]
        context: dict[str, Any] = {}
        requires = ts.requires
        if not requires and self.input_text is not None:
            context["workflow"] = self.root_input()
        for required_id in requires:
            required = self.tasks.get(required_id)
            if required is None or required.kind in _SILENT_KINDS or not required.has_result:
                continue
            context[required_id] = required.result
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
