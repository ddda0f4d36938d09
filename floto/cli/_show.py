"""``floto show``: a run's status, times, outcome and a table of its tasks."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from typing import Any

from floto.cli import _common

DESCRIPTION = """\
Show a run: its status, times, result or failure, and one row per task (kind, status,
attempts, the latest attempt's time in the queue and running, and its error), read from the
run's history. Tasks a generator added appear once it has returned them.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("show", DESCRIPTION)
    _common.add_run(parser)
    parser.add_argument(
        "--spec",
        metavar="TARGET",
        help="take the task graph from this spec file or module:attribute "
        "(default: the one the decider recorded in the history)",
    )
    parser.add_argument("--json", action="store_true", help="print the state as JSON")
    parser.add_argument(
        "--task",
        metavar="TASK",
        help="show one task: the context its function receives, as JSON (TASK: its id, its "
        "label such as 'ingest_file[file=13]', or a name only one task has)",
    )
    parser.add_argument(
        "--logs", action="store_true", help="with --task: what each attempt printed and logged"
    )
    _common.add_connection(parser)
    return parser


def load_state(args: argparse.Namespace) -> Any:
    """The run's ExecutionState, read from its history."""
    from floto.launch import RunHandle

    spec = None
    if getattr(args, "spec", None):
        from floto.cli._target import load_target

        spec = load_target(args.spec).tasks
    domain = _common.domain_of(args)
    return RunHandle(
        _common.connect(args), domain, args.workflow_id, args.run_id, spec=spec
    ).state()


def state_document(state: Any) -> dict[str, Any]:
    """The JSON form of ``floto show --json``."""
    from floto.history import state_labels

    tasks = []
    labels = state_labels(state)
    for task_id in state.order:
        ts = state.tasks[task_id]
        tasks.append(
            {
                "id": task_id,
                "label": labels[task_id],
                "kind": ts.kind,
                "status": ts.status.value,
                "attempts": ts.attempt_count,
                "requires": list(ts.requires),
                "generated_by": ts.generated_by,
                "error": ts.error,
                "blocked_by": ts.blocked_by,
                "result": ts.result if ts.has_result else None,
                "has_result": ts.has_result,
                "scheduled": ts.scheduled_at,
                "started": ts.started_at,
                "closed": ts.closed_at,
            }
        )
    name, version = state.workflow_type or (None, None)
    return {
        "domain": state.domain,
        "workflowId": state.workflow_id,
        "runId": state.run_id,
        "type": name,
        "version": version,
        "status": state.status.value,
        "started": state.started_at,
        "closed": state.closed_at,
        "result": state.result,
        "reason": state.failure_reason,
        "details": state.failure_details,
        "newRunId": state.new_run_id,
        "counts": {status.value: n for status, n in state.counts().items() if n},
        "tasks": tasks,
    }


def show(args: argparse.Namespace) -> int:
    from floto.cli._view import console, failures_text, summary, task_table

    if args.logs and not args.task:
        raise _common.UsageError("--logs shows one task's output: give --task TASK too")
    state = load_state(args)
    if args.task:
        from floto.cli._task import show_task

        return show_task(args, state)
    if args.json:
        _common.print_json(state_document(state))
        return _common.EXIT_OK
    now = dt.datetime.now(dt.timezone.utc)
    out = console()
    out.print(summary(state, now))
    failures = failures_text(state)
    if failures is not None:  # every failure, before the table
        out.print()
        out.print(failures, soft_wrap=True)
    if state.tasks:
        out.print()
        out.print(task_table(state, now))
    return _common.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``floto show WORKFLOW_ID``."""
    return _common.run("show", build_parser, show, argv)
