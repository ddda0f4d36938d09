"""``floto watch``: follow any run live until it closes: progress bar, counts by status, the
latest failures. On a terminal the view redraws in place; in a pipe or a log it prints one
line each time something changed."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from floto.cli import _common
from floto.cli._history import interval

DESCRIPTION = """\
Follow a run live until it closes: a progress bar (completed of the tasks known so far;
generated tasks join the total when they appear), counts by status and the latest failed
attempts. Exits 0 when the run completed (or continued as new), 4 when it closed otherwise.
"""
REFRESH_PER_SECOND = 4


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("watch", DESCRIPTION)
    _common.add_run(parser)
    parser.add_argument(
        "--interval",
        type=interval,
        default=0.5,
        metavar="SECONDS",
        help="how often to read new events (default 0.5)",
    )
    _common.add_connection(parser)
    return parser


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def follow(
    handle: Any,
    *,
    every: float = 0.5,
    out: Any = None,
    alive: Callable[[], None] | None = None,
) -> Any:
    """Show ``handle``'s run (a :class:`floto.launch.RunHandle`) live until it closes; returns
    its final ExecutionState.

    ``alive`` is called between reads and may raise to stop following (``floto run`` checks
    its workers and decider with it).
    """
    from floto.cli._view import console, live_view

    out = out or console()
    if out.is_terminal:
        from rich.live import Live

        with Live(
            live_view(handle.known, _now()),
            console=out,
            refresh_per_second=REFRESH_PER_SECOND,
            transient=False,
        ) as live:
            return _each(handle, every, alive, lambda state: live.update(live_view(state, _now())))
    state = _each(handle, every, alive, _plain_printer(out))
    out.print(live_view(state, _now()))
    return state


def _each(handle: Any, every: float, alive: Any, show: Callable[[Any], None]) -> Any:
    """Follow the run, ``show`` each state read, call ``alive`` between reads; the last state."""
    for state in handle.follow(every):
        show(state)
        if state.is_closed:
            return state
        if alive is not None:
            alive()
    raise AssertionError("unreachable: a followed run ends closed")  # pragma: no cover


def _plain_printer(out: Any) -> Callable[[Any], None]:
    """Print the run's progress line when new events changed it (a pipe or a log)."""
    from floto.cli._view import progress_line

    seen: dict[str, Any] = {"event": None, "line": None}

    def show(state: Any) -> None:
        if state.last_event_id == seen["event"]:
            return
        seen["event"] = state.last_event_id
        line = progress_line(state, _now())
        if line != seen["line"]:
            out.print(line)
            seen["line"] = line

    return show


def outcome(state: Any, out: Any) -> int:
    """Print how the run ended; the exit status it means (0 completed, 4 otherwise)."""
    from floto.cli._view import payload_text
    from floto.history import WorkflowStatus

    if state.status is WorkflowStatus.COMPLETED:
        out.print(f"result: {payload_text(state.result, 2000)}", soft_wrap=True)
        return _common.EXIT_OK
    if state.status is WorkflowStatus.CONTINUED_AS_NEW:
        out.print(
            f"continued as new run {state.new_run_id} "
            f"(floto watch {state.workflow_id} --run-id {state.new_run_id})"
        )
        return _common.EXIT_OK
    return _common.EXIT_RUN_NOT_COMPLETED


def follow_to_outcome(
    swf: Any, domain: str, workflow_id: str, run_id: str | None, every: float = 0.5
) -> int:
    """Follow a run live on the console until it closes; the exit status of its outcome."""
    from floto.cli._view import console
    from floto.launch import RunHandle

    out = console()
    return outcome(follow(RunHandle(swf, domain, workflow_id, run_id), every=every, out=out), out)


def watch(args: argparse.Namespace) -> int:
    domain = _common.domain_of(args)
    swf = _common.connect(args)
    return follow_to_outcome(swf, domain, args.workflow_id, args.run_id, args.interval)


def main(argv: Sequence[str] | None = None) -> int:
    """``floto watch WORKFLOW_ID``."""
    return _common.run("watch", build_parser, watch, argv)
