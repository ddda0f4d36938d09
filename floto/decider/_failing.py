"""How a run fails: which failures fail it now (the failure policy), the reason and details
that list them, and the cancellations of its open work that go with the closing decision."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from floto.decider import _decisions as d
from floto.errors import PayloadError, PayloadTooLargeError
from floto.history import ExecutionState
from floto.limits import MAX_PAYLOAD_CHARS, MAX_REASON_CHARS

if TYPE_CHECKING:
    from floto.decider._planner import PlanConfig

log = logging.getLogger("floto.decider")


def fails_now(state: ExecutionState, failures: dict[str, str], policy: str) -> bool:
    """Whether the run must fail now, given its ``failures`` (not empty).

    ``"fail_fast"``: at the first failure. ``"continue"``: once nothing more can run
    (``state.is_settled``); a problem of the run itself, or of a task that did not fail by
    its own attempts (a generator's bad output, a decision SWF refused for good), fails it
    at once under either policy: nothing downstream of it could be trusted.
    """
    if policy == "fail_fast" or state.is_settled:
        return True
    failed = state.index.failed
    return any(key == "" or key not in failed for key in state.problems) or any(
        key == "" for key in failures
    )


def closing(
    state: ExecutionState, config: PlanConfig, decisions: list[dict[str, Any]], started: int
) -> tuple[list[dict[str, Any]], bool]:
    """``decisions`` (which close the run) after a cancellation of every open activity and
    timer of the run, so that workers learn of it (``floto.cancel_requested()``) rather than
    run on for a closed run. Returns (the decisions, whether they close the run): with more
    cancellations than one response holds, this response cancels what it can and a timer
    that fires at once brings the next one."""
    cancels = [d.request_cancel_activity(task_id) for task_id in state.open_activity_ids()]
    cancels += [d.cancel_timer(timer_id) for timer_id in state.open_timer_ids()]
    room = config.max_decisions - len(decisions)
    if len(cancels) <= room:
        return cancels + decisions, True
    return [*cancels[: config.max_decisions - 1], d.wake_timer(started)], False


def failure_reason(failures: dict[str, str], blocked: int = 0) -> str:
    """The FailWorkflowExecution reason (at most SWF's 256 characters): the run's problem, or
    the failed task(s) by id, and how many tasks they blocked."""
    if "" in failures:
        reason = failures[""]
    else:
        ids = sorted(failures)
        after = f" ({blocked} blocked)" if blocked else ""
        if len(ids) == 1:
            reason = f"task {ids[0]} failed{after}: {failures[ids[0]]}"
        else:
            reason = f"{len(ids)} tasks failed{after}: " + ", ".join(ids)
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 3] + "..."
    return reason


def failure_details(failures: dict[str, str], config: PlanConfig | None = None) -> str:
    """The FailWorkflowExecution details: JSON ``{task id: error message}`` of every failure
    (``{"error": ...}`` for a problem of the run itself); over SWF's limit, stored in the
    payload store if there is one (as results are), else each error cut to fit."""
    mapping = {("error" if key == "" else key): value for key, value in failures.items()}
    text = d.dumps(mapping)
    if len(text) > MAX_PAYLOAD_CHARS and config is not None and config.fit is not None:
        try:
            return config.fit(text, what="failure details")
        except (PayloadTooLargeError, PayloadError) as error:
            log.warning("failure details not stored (%s); cut instead", error)
    budget = 2000
    while len(text) > MAX_PAYLOAD_CHARS and budget > 20:
        mapping = {key: value[:budget] for key, value in mapping.items()}
        text = d.dumps(mapping)
        budget //= 2
    if len(text) > MAX_PAYLOAD_CHARS:
        text = json.dumps({"error": f"{len(failures)} tasks failed; too many to list"})
    return text
