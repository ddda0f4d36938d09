"""``floto replay HISTORY.json --spec SPEC``: would this spec decide a recorded run as it was
decided? Exit 0: the same at every decision task; 1: differences (printed); 2: bad arguments
or input."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from floto.cli import _common
from floto.decider import IN_FLIGHT_POLICIES
from floto.limits import MAX_DOCUMENT_CHARS

DESCRIPTION = """\
Replay a recorded run's history with a spec, decision task by decision task, as a decider
deployed at each point would decide it, and print every point where it decides otherwise
(another task, another input, another retry, closing the run earlier or later). HISTORY is
the AWS CLI's `get-workflow-execution-history` output ({"events": [...]}), a JSON list of
events, or what `floto history --json` writes; '-' reads stdin. --workflow-id reads a run's
history from SWF instead. Nothing is sent to SWF.
Exit status: 0 no differences, 1 differences, 2 bad arguments or input.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("replay", DESCRIPTION)
    parser.add_argument(
        "history", metavar="HISTORY", nargs="?", help="a saved history (JSON), or '-'"
    )
    parser.add_argument(
        "--workflow-id", metavar="ID", help="instead of HISTORY: the run's history, read from SWF"
    )
    parser.add_argument("--run-id", help="with --workflow-id: the run (default: its latest)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--spec", metavar="SPEC", help="spec JSON file or module:attribute")
    source.add_argument(
        "--dynamic", action="store_true", help="a DynamicDecider: the tasks come with the input"
    )
    parser.add_argument(
        "--in-flight",
        choices=IN_FLIGHT_POLICIES,
        default="recorded",
        help="the decider's policy for runs started with other tasks (default: recorded)",
    )
    parser.add_argument("--json", action="store_true", help="the differences as JSON lines")
    _common.add_connection(parser)
    return parser


def _read(path: str) -> str:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_DOCUMENT_CHARS + 1)
        else:
            with open(path, "rb") as stream:
                raw = stream.read(MAX_DOCUMENT_CHARS + 1)
    except IsADirectoryError:
        raise _common.UsageError(f"cannot read {path}: it is a directory") from None
    except OSError as error:
        raise _common.UsageError(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_DOCUMENT_CHARS:
        raise _common.UsageError(f"{path}: over floto's limit of {MAX_DOCUMENT_CHARS:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _common.UsageError(f"{path}: not UTF-8 text (byte {error.start})") from None


def _fetch(swf: Any, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The run's events from SWF (an unknown run is a bad argument here: exit 2)."""
    from floto.api import UnknownResourceError

    domain = _common.domain_of(args)
    try:
        return swf.get_workflow_execution_history(
            domain, workflow_id=args.workflow_id, run_id=args.run_id
        )
    except UnknownResourceError as error:
        raise _common.UsageError(f"no run {args.workflow_id!r} in {domain!r}: {error}") from None


def _spec(target: str) -> Any:
    from floto.cli._target import load_target

    loaded = load_target(target)
    if loaded.spec is not None:
        return loaded.spec
    if not loaded.tasks:
        raise _common.UsageError(f"{target}: no tasks (expected a spec or a task list)")
    return loaded.tasks


def replay(args: argparse.Namespace) -> int:
    from floto.api import ConfigurationError, EndpointError
    from floto.decider import replay_history
    from floto.errors import FlotoError
    from floto.history import load_events

    if (args.history is None) == (args.workflow_id is None):
        raise _common.UsageError("give HISTORY (a saved history) or --workflow-id, not both")
    swf = None
    try:
        if args.workflow_id is not None:
            swf = _common.connect(args)
            events = _fetch(swf, args)
        else:
            events = load_events(_read(args.history), source=args.history)
        spec = None if args.dynamic else _spec(args.spec)
        report = replay_history(events, spec, in_flight=args.in_flight, swf=swf)
    except _common.CommandError as error:
        raise _common.UsageError(str(error)) from None
    except (EndpointError, ConfigurationError):
        raise  # exit 3: SWF cannot be reached
    except (FlotoError, ValueError) as error:
        raise _common.UsageError(str(error)) from None
    if args.json:
        for difference in report.differences:
            _common.print_json(difference.__dict__)
    else:
        print(report)
    return _common.EXIT_ERROR if report.differences else _common.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``floto replay HISTORY --spec SPEC``."""
    return _common.run("replay", build_parser, replay, argv)
