"""``floto report``: a run's report as one self-contained HTML page."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from floto.cli import _common

DESCRIPTION = """\
Write a run's report: one HTML page with its status, counts, failures (each with the
traceback from the user's code and the end of its output), graph, timeline and tasks. The page
is self-contained (inline SVG and styles, no scripts, nothing loaded from the network).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("report", DESCRIPTION)
    _common.add_run(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    _common.add_connection(parser)
    return parser


def report(args: argparse.Namespace) -> int:
    import floto.viz
    from floto.cli._show import load_state

    args.spec = None
    text = floto.viz.report(load_state(args))
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return _common.EXIT_OK
    try:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as error:
        raise _common.CommandError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"wrote {args.output} ({len(text):,} characters)", file=sys.stderr)
    return _common.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``floto report WORKFLOW_ID -o run.html``."""
    return _common.run("report", build_parser, report, argv)
