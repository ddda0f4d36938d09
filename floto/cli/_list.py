"""``floto list``: the open (or closed, or all) executions of a domain, newest first."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from floto.cli import _common

DESCRIPTION = """\
List the executions of a domain, newest first: open ones by default. SWF filters by one of
--workflow-id, --type, --tag and --close-status at a time.
"""
EXAMPLES = """\
examples:
  floto list --domain floto_test
  floto list --domain floto_test --closed --close-status FAILED --since 2h
  floto list --domain floto_test --all --type my_workflow_type:v1 --json
"""
CLOSE_STATUSES = ("COMPLETED", "FAILED", "CANCELED", "TERMINATED", "CONTINUED_AS_NEW", "TIMED_OUT")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def since(text: str) -> dt.datetime:
    """``90s``, ``30m``, ``2h``, ``7d`` ago, or an ISO date / date and time (UTC if naive)."""
    match = _DURATION.match(text.strip().lower())
    if match:
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
        return dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=seconds)
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a duration (30m, 2h, 7d) or an ISO date, got {text!r}"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("list", DESCRIPTION, EXAMPLES)
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--open",
        dest="which",
        action="store_const",
        const="open",
        help="open executions (the default)",
    )
    which.add_argument(
        "--closed", dest="which", action="store_const", const="closed", help="closed executions"
    )
    which.add_argument(
        "--all", dest="which", action="store_const", const="all", help="open and closed executions"
    )
    parser.add_argument("--workflow-id", metavar="ID", help="only runs of this workflow id")
    parser.add_argument("--type", metavar="NAME[:VERSION]", help="only runs of this type")
    parser.add_argument("--tag", help="only runs with this tag")
    parser.add_argument(
        "--close-status",
        type=str.upper,
        choices=CLOSE_STATUSES,
        help="only closed runs that closed so (implies --closed)",
    )
    parser.add_argument(
        "--since",
        type=since,
        metavar="WHEN",
        help="only runs started since: 30m, 2h, 7d, or an ISO date",
    )
    parser.add_argument("--limit", type=positive, metavar="N", help="at most N runs")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    _common.add_connection(parser)
    return parser


def which_runs(args: argparse.Namespace) -> str:
    """``open``, ``closed`` or ``all``, once the filters are checked (SWF takes one)."""
    filters = [
        name for name in ("workflow_id", "type", "tag", "close_status") if getattr(args, name)
    ]
    if len(filters) > 1:
        options = ", ".join("--" + name.replace("_", "-") for name in filters)
        raise _common.UsageError(f"SWF filters by one of these at a time, got {options}")
    which = args.which or ("closed" if args.close_status else "open")
    if args.close_status and which != "closed":
        raise _common.UsageError("--close-status lists closed runs: use it with --closed")
    return which


def collect(swf: Any, domain: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The matching execution infos, newest first."""
    which = which_runs(args)
    workflow_type = None
    if args.type:
        name, _, version = args.type.partition(":")
        workflow_type = (name, version) if version else name
    infos: list[dict[str, Any]] = []
    for status in ("open", "closed") if which == "all" else (which,):
        infos += swf.list_workflow_executions(
            domain,
            status=status,
            workflow_id=args.workflow_id,
            workflow_type=workflow_type,
            tag=args.tag,
            close_status=args.close_status,
            oldest_start=args.since,
        )
    infos.sort(key=lambda info: info["startTimestamp"], reverse=True)
    return infos[: args.limit] if args.limit else infos


def _row(info: dict[str, Any]) -> dict[str, Any]:
    status = info.get("closeStatus") or info.get("executionStatus") or "?"
    return {
        "workflowId": info["execution"]["workflowId"],
        "runId": info["execution"]["runId"],
        "type": info["workflowType"]["name"],
        "version": info["workflowType"]["version"],
        "status": status.lower(),
        "started": info.get("startTimestamp"),
        "closed": info.get("closeTimestamp"),
        "tags": info.get("tagList") or [],
        "cancelRequested": bool(info.get("cancelRequested")),
    }


def show(rows: list[dict[str, Any]], domain: str, which: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from floto.cli._view import RUN_STYLES, console, format_time

    out = console()
    if not rows:
        out.print(f"no {'' if which == 'all' else which + ' '}executions in domain {domain}")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("workflow id", "run id", "type", "status", "started", "closed"):
        table.add_column(column, no_wrap=column != "workflow id", overflow="fold")
    for row in rows:
        style = next((s for k, s in RUN_STYLES.items() if k.value == row["status"]), "")
        status = Text(
            row["status"].replace("_", " "), style="bold blue" if row["status"] == "open" else style
        )
        table.add_row(
            row["workflowId"],
            row["runId"],
            f"{row['type']} {row['version']}",
            status,
            format_time(row["started"]),
            format_time(row["closed"]),
        )
    out.print(table)


def list_runs(args: argparse.Namespace) -> int:
    domain = _common.domain_of(args)
    which_runs(args)
    rows = [_row(info) for info in collect(_common.connect(args), domain, args)]
    if args.json:
        _common.print_json(rows)
    else:
        show(rows, domain, args.which or ("closed" if args.close_status else "open"))
    return _common.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``floto list``."""
    return _common.run("list", build_parser, list_runs, argv)
