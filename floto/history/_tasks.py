"""One task of an execution, as its history tells it: its status, attempts, result and error.

Plain data, kept by :mod:`floto.history._derive`; :class:`ExecutionState` holds one per task.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from floto.history._payloads import Resolved, dataclass_repr, on_wire, raw
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
    BLOCKED = "blocked"  # a task it requires (directly or not) failed: it cannot run
    NOT_RUN = "not_run"  # the run closed before the task could start

    @property
    def is_closed(self) -> bool:
        """Whether the task will not change again without a retry (or a rerun)."""
        return self in _CLOSED_STATUSES

    @property
    def is_done(self) -> bool:
        """Whether the task's result is there for its dependents (completed, or reused)."""
        return self in (TaskStatus.COMPLETED, TaskStatus.REUSED)


_CLOSED_STATUSES = frozenset(
    {
        TaskStatus.COMPLETED,
        TaskStatus.REUSED,
        TaskStatus.FAILED,
        TaskStatus.TIMED_OUT,
        TaskStatus.CANCELED,
        TaskStatus.BLOCKED,
        TaskStatus.NOT_RUN,
    }
)


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
    # the failure's details (parsed JSON where possible; a stored one is read on first use)
    details: Any = Resolved()  # noqa: RUF009 (a descriptor, not a call per instance)
    identity: str | None = None  # the worker (or decider) that took the attempt
    workflow_execution: dict[str, str] | None = None  # a child's {workflowId, runId}
    started_event_id: int | None = None  # an activity's ActivityTaskStarted (names its log)

    __repr__ = dataclass_repr

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
    # the parsed result (a stored one is read on first use); see has_result (0, "", [], {}
    # and False are results)
    result: Any = Resolved()  # noqa: RUF009 (a descriptor, not a call per instance)
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
    blocked_by: str | None = None  # BLOCKED: the failed task it (directly or not) requires

    __repr__ = dataclass_repr

    @property
    def wire_result(self) -> Any:
        """The result as SWF holds it: a stored result (or one holding stored values) stays a
        payload reference, so it can be passed on without being read."""
        return on_wire(raw(self, "result"))

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
