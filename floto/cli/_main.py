"""``floto``: dispatch to a sub-command module (each has ``main(argv) -> int``)."""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence

from floto import __version__
from floto.cli._common import EXIT_USAGE

Runner = Callable[[list[str]], int]


def _own(module: str, name: str) -> Callable[[], Runner]:
    """A command of this package: ``main`` (or ``<name>_main``) of ``floto.cli.<module>``."""

    def load() -> Runner:
        found = importlib.import_module(f"floto.cli.{module}")
        runner: Runner = getattr(found, f"{name}_main", None) or found.main
        return runner

    return load


def _local() -> Runner:
    from floto.local import main as local_main  # moto is loaded only when the engine runs

    return local_main


def _graph() -> Runner:
    from floto.viz import main as graph_main

    return graph_main


_SUMMARIES = {
    "run": ("_run", "run a workflow end to end: engine, workers, decider, live view"),
    "start": ("_control", "start a workflow execution"),
    "list": ("_list", "list open or closed executions"),
    "show": ("_show", "a run's status, times and tasks"),
    "report": ("_report", "write a run's report as one self-contained HTML page"),
    "history": ("_history", "a run's events (--follow for new ones)"),
    "watch": ("_watch", "follow a run live: progress, counts, failures"),
    "signal": ("_control", "send a signal to a run"),
    "cancel": ("_control", "ask a run's decider to cancel it"),
    "terminate": ("_control", "terminate a run"),
    "rerun": ("_control", "rerun a closed run from its failure, reusing what completed"),
    "register": ("_register", "register a domain and the types a workflow needs"),
    "worker": ("_processes", "run an activity worker for the activities of modules"),
    "decider": ("_processes", "run a decider for a spec (or a Daemon)"),
    "local": ("", "run the local SWF engine (moto + floto's extension)"),
    "graph": ("", "draw a spec file or an execution with graphviz"),
    "check": ("_check", "check a spec file (or a task list) and list its tasks"),
    "replay": ("_replay", "replay a saved history with a spec: where would it differ?"),
}
_FOREIGN = {"local": _local, "graph": _graph}  # the commands of floto.local and floto.viz

COMMANDS: dict[str, tuple[Callable[[], Runner], str]] = {
    name: (_FOREIGN.get(name) or _own(module, name), summary)
    for name, (module, summary) in _SUMMARIES.items()
}
"""``floto`` sub-commands: name -> (a function returning its ``main(argv)``, a summary)."""


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
    runner = COMMANDS[command][0]()
    try:
        return int(runner(rest) or 0)
    except SystemExit as exit_:  # argparse in `floto local`: it has printed its message
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
