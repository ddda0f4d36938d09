"""``floto``: dispatch to a sub-command module (each has ``main(argv) -> int``)."""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from collections.abc import Sequence

from floto import __version__
from floto.cli._common import EXIT_USAGE

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("floto.cli._run", "run a workflow end to end: engine, workers, decider, live view"),
    "start": ("floto.cli._control", "start a workflow execution"),
    "list": ("floto.cli._list", "list open or closed executions"),
    "show": ("floto.cli._show", "a run's status, times and tasks"),
    "report": ("floto.cli._report", "write a run's report as one self-contained HTML page"),
    "history": ("floto.cli._history", "a run's events (--follow for new ones)"),
    "watch": ("floto.cli._watch", "follow a run live: progress, counts, failures"),
    "signal": ("floto.cli._control", "send a signal to a run"),
    "cancel": ("floto.cli._control", "ask a run's decider to cancel it"),
    "terminate": ("floto.cli._control", "terminate a run"),
    "rerun": ("floto.cli._control", "rerun a closed run from its failure, reusing what completed"),
    "register": ("floto.cli._register", "register a domain and the types a workflow needs"),
    "worker": ("floto.cli._processes", "run an activity worker for the activities of modules"),
    "decider": ("floto.cli._processes", "run a decider for a spec (or a Daemon)"),
    "local": ("floto.local._cli", "run the local SWF engine (moto + floto's extension)"),
    "graph": ("floto.viz._cli", "draw a spec file or an execution with graphviz"),
    "check": ("floto.cli._check", "check a spec file (or a task list) and list its tasks"),
}


def usage() -> str:
    """The text of ``floto --help``."""
    lines = ["usage: floto COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<10} {summary}" for name, (_, summary) in COMMANDS.items()]
    lines += [
        "",
        "Run `floto COMMAND --help` for a command's options; docs/cli.md has them all,",
        "with the exit statuses.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``floto`` console script; returns the exit status.

    As the console script (``argv`` None), a command that leaves pollers blocked in long polls
    (``floto run``, ``worker``, ``decider``) ends the process at once: an interpreter shutting
    down with such threads takes seconds (measured 0.5-2.4 s) for nothing.
    """
    if argv is None:
        code = _dispatch(sys.argv[1:])
        if any(thread.daemon and thread.is_alive() for thread in threading.enumerate()):
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code
    return _dispatch(list(argv))


def _dispatch(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else EXIT_USAGE
    if argv[0] == "--version":
        print(f"floto {__version__}")
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"floto: unknown command {command!r} (see `floto --help`)", file=sys.stderr)
        return EXIT_USAGE
    module = importlib.import_module(COMMANDS[command][0])
    runner = getattr(module, f"{command}_main", None) or module.main
    try:
        return int(runner(rest) or 0)
    except SystemExit as exit_:  # argparse in `floto local`: it has printed its message
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
