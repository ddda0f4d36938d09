"""Decision planning, pure: (ExecutionState, PlanConfig) -> the decisions of one response.

The state says what needs a decision (``state.ready``), what failed and why
(``state.problems``, failed tasks), and whether every task has completed. Nothing here reads
SWF or remembers earlier responses: a response lost to a timed-out decision task is simply
planned again from the next state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from floto import wire
from floto.boundedjson import check_depth
from floto.decider import _decisions as d
from floto.decider._failing import closing, fails_now, failure_details, failure_reason
from floto.errors import PayloadError, PayloadTooLargeError, SpecError
from floto.history import SHARD_KIND, ExecutionState, TaskState, TaskStatus, shard_input
from floto.limits import (
    EVENT_GUARD,
    MAX_DECISIONS_PER_RESPONSE,
    MAX_HISTORY_EVENTS,
    MAX_JSON_DEPTH,
    MAX_OPEN_ACTIVITY_TASKS,
    MAX_OPEN_CHILD_WORKFLOWS,
    MAX_OPEN_TIMERS,
    MAX_PAYLOAD_CHARS,
)
from floto.specs.task import ActivityTask, ChildWorkflow, Timer

log = logging.getLogger("floto.decider")

UNHANDLED = "UNHANDLED_DECISION"
CLOSING = frozenset(
    {
        "CompleteWorkflowExecution",
        "FailWorkflowExecution",
        "CancelWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
    }
)


@dataclass(frozen=True)
class PlanConfig:
    """How a decider plans.

    Attributes:
        default_activity_task_list: task list of activities that name none.
        repeat_workflow: continue as new after a successful completion.
        max_decisions: decisions per response (SWF's decision tasks take 100 at most here).
        max_request_chars: characters of decisions per response (SWF takes 1 MB requests).
        max_open_activities: open activities per run floto allows itself; the rest wait.
        max_open_children: open child workflows per run (SWF's limit is 1,000).
        max_open_timers: open timers per run, floto's back-offs and wake-ups included (SWF's
            limit is 1,000); timers past it wait for one to fire.
        throttle_delay: seconds before retrying a decision SWF refused for a passing limit.
        fit: ``fit(text, what=...)``: the text, or the reference of a copy in the payload
            store when it is over SWF's limit (``floto.api.Swf.fit_payload``); None: text
            over the limit is a problem of the run.
        event_guard: a run with this many events is failed with floto's reason, before SWF
            terminates it at its limit.
        failure_policy: ``"continue"`` (tasks not depending on a failure still run; the run
            fails once nothing more can run) or ``"fail_fast"`` (see ``floto.decider._failing``).
    """

    default_activity_task_list: str | None = None
    repeat_workflow: bool = False
    max_decisions: int = MAX_DECISIONS_PER_RESPONSE
    max_request_chars: int = 900_000
    max_open_activities: int = MAX_OPEN_ACTIVITY_TASKS
    max_open_children: int = MAX_OPEN_CHILD_WORKFLOWS
    max_open_timers: int = MAX_OPEN_TIMERS
    throttle_delay: int = 5
    event_guard: int = EVENT_GUARD
    fit: Callable[..., str] | None = field(default=None, compare=False)
    failure_policy: str = "continue"


def fit_text(text: str, what: str, config: PlanConfig) -> str:
    """``text`` as it can be sent: itself, or the reference of a stored copy.

    Raises:
        PayloadTooLargeError: over SWF's limit and nothing can store it (or over the cap).
        PayloadError: the store failed (transient ones should be retried by the loop).
    """
    if len(text) <= MAX_PAYLOAD_CHARS:
        return text
    if config.fit is None:
        raise PayloadTooLargeError(what, size=len(text), limit=MAX_PAYLOAD_CHARS)
    return config.fit(text, what=what)


def _unsendable(error: Exception) -> str:
    """A run problem for a payload that cannot be sent (transient store errors propagate)."""
    if isinstance(error, PayloadError) and error.transient:
        raise error
    return str(error)


@dataclass
class Plan:
    """One response's decisions.

    Attributes:
        decisions: SWF decision dicts, at most ``max_decisions``.
        closing: the closing decision's type, if the plan closes the run.
        deferred: ready tasks left for a later decision task.
    """

    decisions: list[dict[str, Any]] = field(default_factory=list)
    closing: str | None = None
    deferred: int = 0


class _Batch:
    """Decisions of one response, within the count and size limits (one slot kept free)."""

    def __init__(self, config: PlanConfig) -> None:
        self.config = config
        self.decisions: list[dict[str, Any]] = []
        self.chars = 0

    def fits(self, decision: dict[str, Any]) -> bool:
        size = len(d.dumps(decision))
        room = len(self.decisions) + 2 <= self.config.max_decisions
        if room and self.chars + size <= self.config.max_request_chars:
            self.decisions.append(decision)
            self.chars += size
            return True
        return False

    def fits_all(self, decisions: list[dict[str, Any]]) -> bool:
        """Add all of ``decisions`` or none."""
        count = len(self.decisions)
        size = sum(len(d.dumps(decision)) for decision in decisions)
        if count + len(decisions) + 1 > self.config.max_decisions:
            return False
        if self.chars + size > self.config.max_request_chars:
            return False
        self.decisions.extend(decisions)
        self.chars += size
        return True


def plan(state: ExecutionState, config: PlanConfig, *, started_event_id: int = 0) -> Plan:
    """The decisions for ``state`` (``started_event_id``: the decision task's, for ids)."""
    if state.is_closed:
        return Plan()
    refused = _refused_for_good(state)
    if "FailWorkflowExecution" in refused:
        log.error("run %s: SWF refused to fail it (%s); nothing left to decide",
                  state.run_id, refused["FailWorkflowExecution"])  # fmt: skip
        return Plan()
    started = started_event_id
    if state.cancel_requested:
        decisions, closes = closing(state, config, [d.cancel("cancellation requested")], started)
        return Plan(decisions, "CancelWorkflowExecution" if closes else None)
    if state.last_event_id >= config.event_guard:
        return _fail_plan({"": (
            f"the run has {state.last_event_id:,} events, near SWF's limit of "
            f"{MAX_HISTORY_EVENTS:,}: floto fails it rather than let SWF terminate it "
            "(a retry without end? see docs/limits-and-payloads.md)"
        )}, config, state, started)  # fmt: skip
    failures = state.failures()
    if failures and fails_now(state, failures, config.failure_policy):
        return _fail_plan(failures, config, state, started)
    for decision in ("CompleteWorkflowExecution", "ContinueAsNewWorkflowExecution"):
        if decision in refused:
            problem = {"": f"SWF refused {decision}: {refused[decision]}"}
            return _fail_plan(problem, config, state, started)
    return _progress(state, config, started_event_id)


def _refused_for_good(state: ExecutionState) -> dict[str, str]:
    """Closing decisions SWF refused for a cause other than new events arriving."""
    return {
        rejection["decision"]: rejection["cause"]
        for rejection in state.close_rejections
        if rejection["cause"] != UNHANDLED
    }


def _progress(state: ExecutionState, config: PlanConfig, started_event_id: int) -> Plan:
    batch = _Batch(config)
    groups = d.tasks_markers(state.unrecorded_tasks(), state.recorded_ids)
    singles = d.reused_markers(state.unrecorded_reuse())
    singles += d.list_markers(
        wire.SHARDS_MARKER, [d.dumps(plan.to_entry()) for plan in state.unrecorded_shards()]
    )
    groups += [[marker] for marker in singles]
    for group in groups:
        if not batch.fits_all(group):
            return Plan([*batch.decisions, d.wake_timer(started_event_id)], None, 0)
    if state.all_completed:
        return _close(state, config, batch, started_event_id)
    problems: dict[str, str] = {}
    deferred = _schedule_ready(state, config, batch, problems)
    if problems:
        return _fail_plan({**state.failures(), **problems}, config, state, started_event_id)
    _back_off(state, config, batch, started_event_id)
    plan_ = Plan(batch.decisions, None, deferred)
    if deferred:
        plan_.decisions.append(d.wake_timer(started_event_id))
    return plan_


def _back_off(state: ExecutionState, config: PlanConfig, batch: _Batch, started: int) -> None:
    """Tasks SWF refused for a passing limit wait for one back-off timer of the run: when a
    quota is drained, a refusal costs one timer, not one per task (whose own timers the
    timer quota would refuse in turn, decision after decision)."""
    if not state.index.throttled or state.index.backoff_open:
        return
    started_now = sum(1 for decision in batch.decisions if decision["decisionType"] == "StartTimer")
    if state.open_timer_count + started_now >= config.max_open_timers:
        return  # a timer closing brings the next decision task
    batch.fits(d.start_timer(wire.backoff_timer_id(started), config.throttle_delay))


def _schedule_ready(
    state: ExecutionState, config: PlanConfig, batch: _Batch, problems: dict[str, str]
) -> int:
    """Add a decision per ready task; returns how many had to wait for room in the response.

    Ready tasks come in lanes (``ExecutionState.ready``): timers first, then child workflows
    and activities while the run has slots for them. A lane whose slots are full is left at
    once, so the cost of a decision follows the decisions made, not the ready list. Tasks held
    back by the open-timer, open-activity or open-children limits are not counted: a timer
    firing or a task closing will bring the next decision task anyway.
    """
    slots = {
        "free": config.max_open_timers - state.open_timer_count,
        "child": config.max_open_children - state.open_child_count,
        "activity": config.max_open_activities - state.open_activity_count,
    }
    start, positions = len(batch.decisions), []
    visited = deferred = 0
    for lane in state.ready.LANES:
        for task_id in state.ready.lane(lane):
            if lane in slots and slots[lane] <= 0:
                break
            visited += 1
            decision = _decision_for(state, state.tasks[task_id], config, problems)
            if decision is None:
                continue
            if not batch.fits(decision):
                deferred = len(state.ready) - visited + 1
                break
            positions.append(state.ready.position(task_id))
            kind = decision["decisionType"]
            if kind == "StartTimer":
                slots["free"] -= 1
            elif kind == "ScheduleActivityTask":
                slots["activity"] -= 1
            elif kind == "StartChildWorkflowExecution":
                slots["child"] -= 1
        if deferred:
            break
    # The lanes' decisions, in the order their tasks became ready.
    order = sorted(range(len(positions)), key=positions.__getitem__)
    batch.decisions[start:] = [batch.decisions[start + index] for index in order]
    return deferred


def _decision_for(
    state: ExecutionState, ts: TaskState, config: PlanConfig, problems: dict[str, str]
) -> dict[str, Any] | None:
    """The decision that moves a ready task on (schedule, retry timer), or None."""
    if ts.task is None:
        problems[ts.task_id] = "cannot schedule a task that is not among the workflow's tasks"
        return None
    if ts.status is TaskStatus.WAITING_TO_RETRY and not ts.retry_due:
        if ts.retry_timer is not None or ts.throttled:
            return None  # waits for its retry's timer, or for the run's back-off timer
        strategy = getattr(ts.task, "retry_strategy", None)
        delay = strategy.delay_in_seconds(ts.failures) if strategy is not None else 0
        if delay > 0:
            return d.start_retry_timer(ts.task_id, ts.failures, delay)
    return _start(state, ts, config, problems)


def _start(
    state: ExecutionState, ts: TaskState, config: PlanConfig, problems: dict[str, str]
) -> dict[str, Any] | None:
    task = ts.task
    if isinstance(task, Timer):
        return d.start_user_timer(ts.task_id, task)
    if ts.kind == SHARD_KIND:
        return _start_shard(state, ts, config, problems)
    what = "child workflow input" if isinstance(task, ChildWorkflow) else "activity input"
    text = d.dumps(state.context_of(ts.task_id, by_reference=True))
    try:  # what the worker or child decider would refuse to read, refused here instead
        check_depth(text, MAX_JSON_DEPTH, what)
        text = fit_text(text, what, config)
    except (PayloadTooLargeError, PayloadError) as error:
        problems[ts.task_id] = _unsendable(error)
        return None
    except SpecError as error:
        problems[ts.task_id] = str(error)
        return None
    if isinstance(task, ChildWorkflow):
        workflow_id = wire.child_workflow_id(state.workflow_id or "", ts.task_id)
        return d.start_child(ts.task_id, task, workflow_id, text)
    assert isinstance(task, ActivityTask)
    return d.schedule_activity(ts.task_id, task, text, config.default_activity_task_list)


_SHARD_SETTINGS = ("executionStartToCloseTimeout", "taskStartToCloseTimeout", "childPolicy")


def _start_shard(
    state: ExecutionState, ts: TaskState, config: PlanConfig, problems: dict[str, str]
) -> dict | None:
    """StartChildWorkflowExecution of a shard, on this run's own decision task list (the same
    decider decides it) with this run's timeouts; an input over SWF's limit is stored."""
    try:
        text = fit_text(d.dumps(shard_input(state, ts)), "shard input", config)
    except (PayloadTooLargeError, PayloadError) as error:
        problems[ts.task_id] = _unsendable(error)
        return None
    name, version = wire.SHARD_TYPE
    settings = {
        k: state.execution_config[k] for k in _SHARD_SETTINGS if k in state.execution_config
    }
    return d.start_child_of_type(
        name, version, wire.child_workflow_id(state.workflow_id or "", ts.task_id),
        task_list=state.task_list, input_text=text, control=wire.control(task=ts.task_id),
        settings=settings,
    )  # fmt: skip


def _close(state: ExecutionState, config: PlanConfig, batch: _Batch, started_event_id: int) -> Plan:
    results = state.run_result(by_reference=True)
    try:
        text = fit_text(d.dumps(results), "workflow result", config)
    except (PayloadTooLargeError, PayloadError) as error:
        sizes = sorted(((len(d.dumps(v)), k) for k, v in results.items()), reverse=True)
        shown = ", ".join(f"{k}: {n:,}" for n, k in sizes[:5])
        problem = {"": f"{_unsendable(error)} (largest results: {shown})"}
        return _fail_plan(problem, config, state, started_event_id)
    if config.repeat_workflow:
        version = state.workflow_type[1] if state.workflow_type else None
        closing = [
            d.record_marker(wire.RESULT_MARKER, text),
            d.continue_as_new(state.input_text, state.task_list, version, state.execution_config),
        ]
        kind = "ContinueAsNewWorkflowExecution"
    else:
        closing, kind = [d.complete(text)], "CompleteWorkflowExecution"
    if len(batch.decisions) + len(closing) > config.max_decisions:
        kept = batch.decisions[: config.max_decisions - 1]
        return Plan([*kept, d.wake_timer(started_event_id)], None, 1)
    return Plan(batch.decisions + closing, kind)


def _fail_plan(
    failures: dict[str, str],
    config: PlanConfig | None = None,
    state: ExecutionState | None = None,
    started_event_id: int = 0,
) -> Plan:
    """FailWorkflowExecution listing every failure, after canceling the run's open work."""
    config = config or PlanConfig()
    blocked = len(state.index.blocked) if state is not None else 0
    reason = failure_reason(failures, blocked)
    decision = d.fail(reason, failure_details(failures, config))
    if state is None:
        return Plan([decision], "FailWorkflowExecution")
    decisions, closes = closing(state, config, [decision], started_event_id)
    return Plan(decisions, "FailWorkflowExecution" if closes else None)
