"""``floto history``: a run's events as SWF recorded them; ``--follow`` prints new ones as they
come, until the run closes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Sequence
from typing import Any

from floto.cli import _common

DESCRIPTION = """\
Print a run's history events, oldest first: id, time, type and attributes, as SWF holds them
(ids on the wire are percent-encoded). --follow keeps printing new events until the run
closes; --json prints one JSON object per line.
"""
_FIXED = ("eventId", "eventType", "eventTimestamp")


def interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.05 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0.05 to 3600, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("history", DESCRIPTION)
    _common.add_run(parser)
    parser.add_argument(
        "--follow", "-f", action="store_true", help="keep printing new events until the run closes"
    )
    parser.add_argument(
        "--interval",
        type=interval,
        default=1.0,
        metavar="SECONDS",
        help="how often --follow reads new events (default 1)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per event and line")
    _common.add_connection(parser)
    return parser


def event_line(event: dict[str, Any]) -> str:
    """``   7  12:00:03.123  ActivityTaskCompleted  {...attributes...}``."""
    when = event.get("eventTimestamp")
    stamp = when.strftime("%H:%M:%S.%f")[:-3] if isinstance(when, dt.datetime) else str(when)
    rest = {key: value for key, value in event.items() if key not in _FIXED}
    if len(rest) == 1:  # the one <type>EventAttributes member
        rest = next(iter(rest.values()))
    body = json.dumps(rest, sort_keys=True, default=str) if rest else ""
    return f"{event['eventId']:>5}  {stamp}  {event['eventType']}  {body}".rstrip()


def _print(events: list[dict[str, Any]], as_json: bool) -> None:
    for event in events:
        if as_json:
            _common.print_json(event)
        else:
            print(event_line(event), flush=True)


def history(args: argparse.Namespace) -> int:
    domain = _common.domain_of(args)
    swf = _common.connect(args)
    if not args.follow:
        events = swf.get_workflow_execution_history(
            domain, workflow_id=args.workflow_id, run_id=args.run_id
        )
        _print(events, args.json)
        return _common.EXIT_OK
    from floto.launch import RunHandle

    handle = RunHandle(swf, domain, args.workflow_id, args.run_id)
    printed = 0
    while True:
        # A follower that had to re-read the history hands its events again: print each once.
        fresh = [event for event in handle.poll() if event["eventId"] > printed]
        _print(fresh, args.json)
        printed = max([printed, *(event["eventId"] for event in fresh)])
        if handle.known.is_closed:
            return _common.EXIT_OK
        time.sleep(args.interval)


def main(argv: Sequence[str] | None = None) -> int:
    """``floto history WORKFLOW_ID``."""
    return _common.run("history", build_parser, history, argv)
