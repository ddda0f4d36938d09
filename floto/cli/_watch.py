"""``floto watch``: follow any run live until it closes: progress bar, counts by status, the
latest failures. On a terminal the view redraws in place; in a pipe or a log it prints one
line each time something changed."""

from __future__ import annotations

import argparse
import datetime as dt
import time
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
    follower: Any,
    *,
    every: float = 0.5,
    out: Any = None,
    alive: Callable[[], None] | None = None,
) -> Any:
    """Show ``follower``'s run live until it closes; returns its final ExecutionState.

    ``alive`` is called between reads and may raise to stop following (``floto run`` checks
    its workers and decider with it).
    """
    from floto.cli._view import console, live_view

    out = out or console()
    if out.is_terminal:
        from rich.live import Live

        with Live(
            live_view(follower.state, _now()),
            console=out,
            refresh_per_second=REFRESH_PER_SECOND,
            transient=False,
        ) as live:
            while True:
                follower.poll()
                live.update(live_view(follower.state, _now()))
                if follower.state.is_closed:
                    return follower.state
                if alive is not None:
                    alive()
                time.sleep(every)
    return _follow_plain(follower, every, out, alive)


def _follow_plain(follower: Any, every: float, out: Any, alive: Any) -> Any:
    from floto.cli._view import live_view, progress_line

    shown = None
    while True:
        if follower.poll() or shown is None:
            line = progress_line(follower.state, _now())
            if line != shown:
                out.print(line)
                shown = line
        if follower.state.is_closed:
            out.print(live_view(follower.state, _now()))
            return follower.state
        if alive is not None:
            alive()
        time.sleep(every)


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


def watch(args: argparse.Namespace) -> int:
    from floto.cli._follow import run_follower
    from floto.cli._view import console

    domain = _common.domain_of(args)
    follower = run_follower(_common.connect(args), domain, args.workflow_id, args.run_id)
    out = console()
    state = follow(follower, every=args.interval, out=out)
    return outcome(state, out)


def main(argv: Sequence[str] | None = None) -> int:
    """``floto watch WORKFLOW_ID``."""
    return _common.run("watch", build_parser, watch, argv)
