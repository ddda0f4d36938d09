"""``floto show RUN --task TASK``: one task's context as JSON, or (``--logs``) its output."""

from __future__ import annotations

import argparse
import json
from typing import Any

from floto.cli import _common


def task_document(state: Any, task_id: str) -> dict[str, Any]:
    """What ``--task --json`` prints: the task, its context, attempts, result and error."""
    from floto.history import state_labels

    ts = state.tasks[task_id]
    return {
        "id": task_id,
        "label": state_labels(state).get(task_id, task_id),
        "kind": ts.kind,
        "status": ts.status.value,
        "context": state.context_of(task_id),
        "attempts": [_attempt(a) for a in ts.attempts],
        "result": ts.result if ts.has_result else None,
        "error": ts.error,
    }


def _attempt(a: Any) -> dict[str, Any]:
    return {
        "number": a.number,
        "outcome": a.outcome.value,
        "error": a.error,
        "scheduled": a.scheduled_at,
        "started": a.started_at,
        "closed": a.closed_at,
        "worker": a.identity,
    }


def _logs(args: argparse.Namespace, state: Any, task_id: str) -> str:
    from floto.worker import read_task_log

    swf = _common.connect(args)
    parts = []
    for attempt in state.tasks[task_id].attempts:
        header = f"--- attempt {attempt.number} ({attempt.outcome.value}) ---"
        text = None
        if attempt.started_event_id is not None:
            text = read_task_log(swf, state.domain, state.workflow_id, state.run_id, task_id,
                                 attempt.started_event_id)  # fmt: skip
        if text is None:
            text = "(no log found: the worker had no payload store, or the attempt never ran)\n"
        parts.append(f"{header}\n{text}" + ("" if text.endswith("\n") else "\n"))
    return "".join(parts) or "(the task has not run)\n"


def show_task(args: argparse.Namespace, state: Any) -> int:
    """Print one task: its context as JSON; the whole task with ``--json``; its logs with
    ``--logs``."""
    from floto.history import find_task

    try:
        task_id = find_task(state, args.task)
    except KeyError as error:
        raise _common.CommandError(str(error.args[0])) from None
    if args.logs:
        print(_logs(args, state, task_id), end="", flush=True)
    elif args.json:
        _common.print_json(task_document(state, task_id))
    else:
        text = json.dumps(state.context_of(task_id), indent=2, sort_keys=True, default=str)
        print(text, flush=True)
    return _common.EXIT_OK
