"""``floto local``: run the local SWF engine in the foreground."""

from __future__ import annotations

import argparse
import errno
import math
import os
import socket
import sys
from collections.abc import Callable
from typing import NoReturn

from floto.errors import FlotoError
from floto.local._compat import import_refusal
from floto.local._faults import KINDS, parse_kinds
from floto.local._options import DEFAULTS, LOCAL_PORT, EngineOptions
from floto.local._quotas import Rate, parse_rate
from floto.local._state import SKIP_GRACE, SKIP_PICKUP, SKIP_QUIET
from floto.local._store import folder_problem


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, as every floto command prints them."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def _port_in_use(host: str, port: int) -> bool:
    """Whether binding ``host:port`` fails because something listens there already."""
    if port == 0:
        return False
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            probe.bind((host, port))
    except OSError as exc:
        return exc.errno == errno.EADDRINUSE
    return False


def _port(text: str) -> int:
    port = _integer(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text}")
    return port


def _at_least(lowest: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= ``lowest``."""

    def check(text: str) -> int:
        count = _integer(text)
        if count < lowest:
            raise argparse.ArgumentTypeError(f"must be a whole number >= {lowest}, got {text}")
        return count

    return check


_count = _at_least(0)


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid whole number: {text!r}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a number >= 0, got {text}")
    return value


def _fraction(text: str) -> float:
    value = _seconds(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"must be a fraction from 0 to 1, got {text}")
    return value


def _fault_kinds(text: str) -> tuple[str, ...]:
    try:
        return parse_kinds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (choose from {', '.join(KINDS)})") from None


def _scale(text: str) -> float:
    try:
        value = _seconds(text)
    except argparse.ArgumentTypeError:
        value = math.nan
    if not value > 0:  # NaN too
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text}")
    return value


def _rate(text: str) -> tuple[str, Rate]:
    try:
        return parse_rate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_quota_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-rate-quotas",
        dest="rate_quotas",
        action="store_false",
        help="do not throttle decisions and calls by SWF's rate quotas (token buckets); the "
        "open-task limits and the 1 MB request size still hold",
    )
    parser.add_argument(
        "--rate-scale",
        type=_scale,
        default=DEFAULTS.rate_scale,
        metavar="F",
        help="multiply the size and refill rate of every rate quota by F (0.01: a hundredth)",
    )
    parser.add_argument(
        "--rate-quota",
        type=_rate,
        action="append",
        default=[],
        metavar="NAME=SIZE/REFILL",
        help="set one rate quota's bucket size and refill rate a second (repeatable), e.g. "
        "task-list:ScheduleActivityTask=20/5; names: docs/local-engine.md",
    )


def _add_fault_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fault-rate",
        type=_fraction,
        default=DEFAULTS.fault_rate,
        metavar="R",
        help="inject a fault into this fraction of SWF calls (0.05: one in twenty; not into "
        "registering domains and types); each is logged",
    )
    parser.add_argument(
        "--fault-kinds",
        type=_fault_kinds,
        default=DEFAULTS.fault_kinds,
        metavar="KIND[,KIND]",
        help=f"which faults, drawn at random: {', '.join(KINDS)} (default: all)",
    )
    parser.add_argument(
        "--fault-seed",
        type=_integer,
        default=None,
        metavar="N",
        help="seed of the fault draws (default: a random one, printed at start)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``floto local`` to ``parser``."""
    parser.add_argument(
        "--host", default=DEFAULTS.host,
        help="address to bind (default 127.0.0.1: this machine only)",
    )  # fmt: skip
    parser.add_argument("--port", type=_port, default=LOCAL_PORT, help="port (0 picks a free one)")
    parser.add_argument(
        "--port-file",
        metavar="PATH",
        help="write the bound port to PATH once the engine accepts requests",
    )
    parser.add_argument(
        "--poll-wait",
        type=_seconds,
        default=DEFAULTS.poll_wait,
        metavar="SECONDS",
        help="how long an idle poll waits for a task (SWF: 60)",
    )
    parser.add_argument(
        "--region", default=DEFAULTS.region, help="region assumed for requests that do not name one"
    )
    parser.add_argument(
        "--retain-closed",
        type=_count,
        default=DEFAULTS.retain_closed,
        metavar="N",
        help="closed executions kept per domain (oldest dropped first)",
    )
    parser.add_argument(
        "--retain-seconds",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="drop closed executions this long after they close",
    )
    parser.add_argument(
        "--time-skipping",
        action="store_true",
        help="run on a virtual clock that jumps to the next timer or timeout whenever no task "
        "is being worked on or about to be handed out (see docs/local-engine.md)",
    )
    parser.add_argument(
        "--skip-grace",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="time skipping: a poller counts as present this long after its last call "
        f"(default {SKIP_GRACE})",
    )
    parser.add_argument(
        "--skip-pickup",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="time skipping: a newly scheduled task counts as about to be handed out this long "
        f"(default {SKIP_PICKUP})",
    )
    parser.add_argument(
        "--skip-quiet",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help=f"time skipping: skip only after this long without a new event (default {SKIP_QUIET})",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep domains, types, runs and timers in DIR (created if missing) across restarts "
        "and crashes; without it the engine keeps them in memory only",
    )
    _add_quota_arguments(parser)
    _add_fault_arguments(parser)
    # a run's first event and its termination need two events at least
    parser.add_argument(
        "--max-history-events", type=_at_least(2), default=None, metavar="N", help=argparse.SUPPRESS
    )
    for what in ("children", "activities", "timers"):  # SWF's 1,000 each; lowered in tests
        parser.add_argument(
            f"--max-open-{what}", type=_at_least(1), default=None, metavar="N",
            help=argparse.SUPPRESS,
        )  # fmt: skip
    return parser


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``local`` on the sub-commands of the ``floto`` command."""
    parser = subparsers.add_parser(
        "local",
        help="run the local SWF engine (moto plus floto's extension)",
        description="Run floto's local SWF engine in the foreground (Ctrl-C stops it).",
    )
    add_arguments(parser)
    parser.set_defaults(func=lambda args: run(args))
    return parser


def _port_file_problem(path: str | None) -> str | None:
    """Why the engine could not write ``path`` once it listens (None if it can)."""
    if path is None:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(folder):
        return f"--port-file {path}: folder {folder} does not exist"
    if not os.path.isdir(folder):
        return f"--port-file {path}: {folder} is not a folder"
    if not os.access(folder, os.W_OK):
        return f"--port-file {path}: cannot write in folder {folder}"
    return None


def run(args: argparse.Namespace) -> int:
    """Run with parsed arguments."""
    try:  # here, not at the top: `floto --help` must not load moto
        from floto.local._server import ServeOptions, serve
    except ImportError as exc:  # a moto without a name the engine imports
        print(f"floto local: {import_refusal(exc)}", file=sys.stderr)
        return 2
    problem = _port_file_problem(args.port_file)
    if problem is None and args.data_dir is not None:
        data_problem = folder_problem(args.data_dir)
        problem = None if data_problem is None else f"--data-dir {data_problem}"
    if problem is not None:
        print(f"floto local: {problem}", file=sys.stderr)
        return 2
    try:
        socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        print(f"floto local: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    if _port_in_use(args.host, args.port):
        print(
            f"floto local: port {args.port} on {args.host} is in use (another floto local?): "
            "stop that program, or give another --port",
            file=sys.stderr,
        )
        return 2
    options = ServeOptions(port_file=args.port_file, **vars(EngineOptions.from_namespace(args)))
    try:
        return serve(options)
    except FlotoError as exc:
        print(f"floto local: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"floto local: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``floto local`` and ``python -m floto.local``."""
    parser = add_arguments(
        _Parser(prog="floto local", description="Run floto's local SWF engine in the foreground.")
    )
    return run(parser.parse_args(argv))
