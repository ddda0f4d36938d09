"""``floto check``: decode a spec file (or a task list) through the allow-list, check its graph
and list its tasks."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from floto.cli import _common
from floto.cli._target import decode_document, load_json_document, load_target

DESCRIPTION = """\
Decode a workflow through floto's allow-list and check its graph (cycles, unknown
requirements, duplicate ids), then list its tasks. TARGET is a DeciderSpec JSON file, a task
list, a DynamicDecider input ({"activity_tasks": [...]}), '-' for stdin, or module:attribute
naming a DeciderSpec, a floto.dsl.Workflow or tasks.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("check", DESCRIPTION)
    parser.add_argument("target", metavar="TARGET", help="spec JSON file, '-', or module:attribute")
    return parser


def check(args: argparse.Namespace) -> int:
    import sys

    from floto.dsl import payload_warnings
    from floto.specs import check_tasks

    target = (
        decode_document(load_json_document("-"), "<stdin>")
        if args.target == "-"
        else load_target(args.target)
    )
    try:
        check_tasks(target.tasks, path="activity_tasks")
    except ValueError as error:
        raise _common.CommandError(f"{target.source}: {error}") from None
    for line in payload_warnings(target.tasks):
        print(f"floto check: {target.source}: warning: {line}", file=sys.stderr)
    domain = f", domain {target.spec.domain!r}" if target.spec is not None else ""
    count = len(target.tasks)
    print(f"{target.source}: {count} task{'' if count == 1 else 's'}{domain}, OK")
    for task in target.tasks:
        requires = ", ".join(task.required_ids) or "-"
        print(f"  {task.kind:<15} {task.id_}  requires: {requires}")
    return _common.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``floto check TARGET``."""
    return _common.run("check", build_parser, check, argv)
