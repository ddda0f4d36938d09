"""A rerun's decider reads the earlier run once and reuses what completed there."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from floto.api import Swf, SwfError, UnknownResourceError
from floto.decider._decisions import dumps
from floto.history import ExecutionState, apply_reuse, reuse_entries, state_from_events
from floto.limits import MAX_PAYLOAD_CHARS
from floto.specs.task import Task
from floto.wire import payload_ref_of_text

log = logging.getLogger("floto.decider")


def load_reuse(state: ExecutionState, swf: Swf, domain: str, tasks: Sequence[Task] | None) -> None:
    """Reuse in ``state`` (a rerun's) every task the earlier run completed.

    ``tasks`` is the spec's graph (None when the tasks come with the input). A transient
    error propagates (the decision task is retried); an earlier run SWF no longer knows makes
    the rerun fail, naming it.
    """
    source = state.rerun_of
    assert source is not None
    label = f"{source['workflowId']}/{source['runId']}"
    try:
        events = swf.get_workflow_execution_history(
            domain, workflow_id=source["workflowId"], run_id=source["runId"]
        )
    except UnknownResourceError:
        state.problems[""] = (
            f"cannot rerun {label}: SWF no longer has that run (closed runs are kept for the "
            "domain's retention period)"
        )
        state.index.reuse_loaded = True
        return
    except SwfError:
        raise
    earlier = state_from_events(events, tasks, domain=domain, resolver=swf.resolve_payload)
    changed = not _same_text(earlier.input_text, state.input_text)
    entries = reuse_entries(earlier, input_changed=changed)
    fitting = [entry for entry in entries if len(dumps(entry)) + 2 <= MAX_PAYLOAD_CHARS]
    if len(fitting) < len(entries):
        log.warning("rerun of %s: %d task(s) run again: their results are too large for a "
                    "marker", label, len(entries) - len(fitting))  # fmt: skip
    reused = apply_reuse(state, fitting, record=True)
    state.index.reuse_loaded = True
    log.info("run %s reuses %d task(s) of %s", state.run_id, reused, label)


def _same_text(first: str | None, second: str | None) -> bool:
    """Whether two inputs hold the same text, one or both possibly as a payload reference
    (compared by SHA-256, nothing is read)."""
    if first == second:
        return True
    if first is None or second is None:
        return False
    return _digest(first) == _digest(second)


def _digest(text: str) -> str:
    ref = payload_ref_of_text(text)
    return ref.sha256 if ref is not None else hashlib.sha256(text.encode("utf-8")).hexdigest()
