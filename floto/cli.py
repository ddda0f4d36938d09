"""The ``floto`` command: ``floto local``, ``floto graph``, ``floto check``.

Each sub-command lives with the package it belongs to (``floto.local._cli``,
``floto.viz._cli``); this module only dispatches, importing nothing heavy up front.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from floto import __version__
from floto.errors import FlotoError, SpecError

SUBCOMMANDS = {
    "local": ("floto.local._cli", "run the local SWF engine (moto + floto's extension)"),
    "graph": ("floto.viz._cli", "draw a spec file or an execution with graphviz"),
    "check": ("floto.cli", "check a decider spec JSON file and list its tasks"),
}


def _usage() -> str:
    lines = [f"usage: floto {{{','.join(SUBCOMMANDS)}}} ...", "", "commands:"]
    lines += [f"  {name:<8} {summary}" for name, (_, summary) in SUBCOMMANDS.items()]
    lines += ["", "Run `floto COMMAND --help` for a command's options."]
    return "\n".join(lines)


def check_main(argv: Sequence[str] | None = None) -> int:
    """``floto check SPEC.json``: decode a spec through the allow-list and check its graph."""
    from floto.errors import GraphError
    from floto.specs import DeciderSpec

    parser = argparse.ArgumentParser(prog="floto check", description=check_main.__doc__)
    parser.add_argument("spec", help="path of a DeciderSpec JSON file ('-' for stdin)")
    args = parser.parse_args(argv)
    try:
        if args.spec == "-":
            text = sys.stdin.read()
        else:
            with open(args.spec, encoding="utf-8") as spec_file:
                text = spec_file.read()
    except OSError as error:
        print(f"floto check: cannot read {args.spec}: {error.strerror}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as error:
        print(f"floto check: {args.spec}: not UTF-8 text (byte {error.start})", file=sys.stderr)
        return 1
    try:
        spec = DeciderSpec.from_json(text)  # checks the graph, once
        tasks = spec.activity_tasks or []
        if not tasks:
            raise GraphError("a workflow needs at least one task", path="activity_tasks")
    except SpecError as error:
        print(f"floto check: {args.spec}: {error}", file=sys.stderr)
        return 1
    from floto.dsl import payload_warnings

    for line in payload_warnings(tasks):
        print(f"floto check: {args.spec}: warning: {line}", file=sys.stderr)
    print(f"{args.spec}: {len(tasks)} tasks, domain {spec.domain!r}, OK")
    for task in tasks:
        requires = ", ".join(task.required_ids) or "-"
        print(f"  {task.kind:<15} {task.id_}  requires: {requires}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``floto`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_usage())
        return 0 if argv else 2
    if argv[0] == "--version":
        print(f"floto {__version__}")
        return 0
    command, rest = argv[0], argv[1:]
    if command not in SUBCOMMANDS:
        print(f"floto: unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    if command == "check":
        runner = check_main
    else:
        runner = importlib.import_module(SUBCOMMANDS[command][0]).main
    try:
        return runner(rest)
    except FlotoError as error:
        print(f"floto {command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
