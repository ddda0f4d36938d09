"""``floto worker`` and ``floto decider``: long-running pollers with a clean stop (see
floto.cli._stopping for what SIGTERM and Ctrl-C do)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from floto.cli import _common
from floto.decider import IN_FLIGHT_POLICIES

STOPPING = """\
stopping: SIGTERM or Ctrl-C stops at once when idle, after the task in hand otherwise (a
second signal stops at once); --drain waits for the poll in progress (up to 60 s on SWF) so
that no task SWF hands to it is left to time out. See docs/cli.md.
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--identity", help="the name recorded in the history (default host:pid)")
    parser.add_argument(
        "--drain",
        action="store_true",
        help="on stop, wait for the poll in progress and handle what it brings",
    )
    add_observability(parser)
    _common.add_connection(parser)


def _metrics_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text}")
    return port


def add_observability(parser: argparse.ArgumentParser) -> None:
    """--log-level, --log-format, --metrics-port and --metrics-host (docs/production.md)."""
    from floto.observability import FORMATS, LEVELS

    parser.add_argument("--log-level", default="INFO", type=str.upper, choices=LEVELS)
    parser.add_argument(
        "--log-format", default="text", choices=FORMATS,
        help="text lines, or one JSON object a line (default text); both name the run",
    )  # fmt: skip
    parser.add_argument(
        "--metrics-port", type=_metrics_port, metavar="N",
        help="serve Prometheus metrics on port N (/metrics; needs floto[metrics])",
    )  # fmt: skip
    parser.add_argument(
        "--metrics-host", default="0.0.0.0", metavar="HOST",
        help="the address the metrics port listens on (default 0.0.0.0: all)",
    )  # fmt: skip


def _logging(args: argparse.Namespace) -> None:
    from floto import observability

    observability.configure_logging(args.log_level, args.log_format, sys.stderr)
    if args.metrics_port is None:
        return
    try:
        port = observability.serve_metrics(args.metrics_port, args.metrics_host)
    except (ImportError, OSError) as error:
        raise _common.CommandError(str(error)) from None
    logging.getLogger("floto.cli").info("metrics on http://%s:%d/metrics", args.metrics_host, port)


# -- worker --------------------------------------------------------------------------------
def worker_parser() -> argparse.ArgumentParser:
    parser = _common.parser(
        "worker",
        "Run activity workers for the @floto.activity / @floto.generator functions that "
        "MODULEs define (dotted module names, importable from the current directory, or "
        "file paths). With module:attribute naming a spec, its domain and default activity "
        "task list are the defaults.\n\n" + STOPPING,
        "examples:\n  floto worker my_activities --domain floto_test --task-list activities\n"
        "  floto worker flows.py:spec",
    )
    parser.add_argument(
        "modules",
        metavar="MODULE",
        nargs="+",
        help="module, file.py, or module:attribute naming a spec",
    )
    parser.add_argument("--task-list", help="the activity task list to poll")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        metavar="N",
        help="workers polling in parallel (default 1)",
    )
    parser.add_argument(
        "--heartbeat",
        type=float,
        default=90,
        metavar="SECONDS",
        help="seconds between heartbeats while a task runs; 0: none (default 90)",
    )
    _add_common(parser)
    return parser


def worker(args: argparse.Namespace) -> int:
    from floto.cli._stopping import Runner
    from floto.cli._target import load_target
    from floto.worker import ActivityWorker, default_registry

    targets = [load_target(name) for name in args.modules]
    spec = next((t.spec for t in targets if t.spec is not None), None)
    domain = _common.domain_of(args, spec.domain if spec is not None else None)
    task_list = args.task_list or (spec.default_activity_task_list if spec else None)
    if not task_list:
        raise _common.UsageError("which task list? give --task-list (or a spec naming one)")
    if args.threads < 1:
        raise _common.UsageError(f"--threads must be 1 or more, got {args.threads}")
    if not len(default_registry):
        names = ", ".join(args.modules)
        raise _common.CommandError(f"{names} defines no @floto.activity or @floto.generator")
    _logging(args)
    swf = _common.connect(args)
    workers = [
        ActivityWorker(
            domain,
            task_list,
            args.heartbeat,
            identity=f"{args.identity}-{i}"
            if args.identity and args.threads > 1
            else args.identity,
            swf=swf,
        )
        for i in range(args.threads)
    ]
    activities = ", ".join(f"{d.name} {d.version}" for d in default_registry)
    logging.getLogger("floto.cli").info("serving %s on %s/%s", activities, domain, task_list)
    return Runner(workers, drain=args.drain, hard_exit=True).run()


def worker_main(argv: Sequence[str] | None = None) -> int:
    """``floto worker MODULE...``."""
    return _common.run("worker", worker_parser, worker, argv)


# -- decider -------------------------------------------------------------------------------
def decider_parser() -> argparse.ArgumentParser:
    parser = _common.parser(
        "decider",
        "Run a decider: for SPEC (a spec JSON file, or module:attribute naming a DeciderSpec, "
        "a floto.dsl.Workflow or tasks), a DynamicDecider (--dynamic: tasks come with each "
        "run's input), or the Daemon (--daemon).\n\n" + STOPPING,
        "examples:\n  floto decider spec.json\n"
        "  floto decider flows.py:workflow --domain floto_test --task-list decider "
        "--activity-task-list activities\n"
        "  floto decider --dynamic --domain floto_test --task-list s3_files\n"
        "  floto decider --daemon --domain floto_test",
    )
    parser.add_argument("spec", metavar="SPEC", nargs="?", help="spec file or module:attribute")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--dynamic", action="store_true", help="run a DynamicDecider")
    kind.add_argument("--daemon", action="store_true", help="run the Daemon")
    parser.add_argument(
        "--task-list",
        help="the decision task list (default: the spec's; floto_daemon for --daemon)",
    )
    parser.add_argument(
        "--activity-task-list",
        metavar="NAME",
        help="default activity task list (default: the spec's)",
    )
    parser.add_argument(
        "--in-flight",
        choices=IN_FLIGHT_POLICIES,
        default="recorded",
        help="runs started with other tasks than SPEC's: go on with theirs (default), migrate "
        "onto SPEC, or fail (docs/changing-workflows.md)",
    )
    _add_common(parser)
    return parser


def make_decider(args: argparse.Namespace) -> Any:
    """The Decider, DynamicDecider or Daemon the arguments ask for."""
    from floto.decider import Daemon, Decider, DynamicDecider

    if args.daemon:
        if args.spec:
            raise _common.UsageError("--daemon takes no SPEC: specs come with its signals")
        domain = _common.domain_of(args)
        task_list = args.task_list or "floto_daemon"
        return Daemon(domain, task_list, identity=args.identity, swf=_common.connect(args))
    if args.spec is None and not args.dynamic:
        raise _common.UsageError("give a SPEC, or --dynamic or --daemon")
    spec = None
    tasks: list[Any] = []
    if args.spec is not None:
        from floto.cli._target import load_target

        target = load_target(args.spec)
        spec, tasks = target.spec, target.tasks
    domain = _common.domain_of(args, spec.domain if spec is not None else None)
    task_list = args.task_list or (spec.task_list if spec is not None else None)
    if not task_list:
        raise _common.UsageError("which task list? give --task-list (or a spec naming one)")
    activity_list = args.activity_task_list or (
        spec.default_activity_task_list if spec is not None else None
    )
    from floto.cli._target import respec

    spec = respec(spec, tasks or None, domain=domain, task_list=task_list,
                  default_activity_task_list=activity_list)  # fmt: skip
    cls = DynamicDecider if args.dynamic else Decider
    return cls(spec, identity=args.identity, swf=_common.connect(args), in_flight=args.in_flight)


def decider(args: argparse.Namespace) -> int:
    from floto.cli._stopping import Runner

    loop = make_decider(args)
    _logging(args)

    def stop_children() -> None:
        for process in getattr(loop, "children", {}).values():  # a Daemon's child deciders
            if process.poll() is None:
                process.terminate()

    runner = Runner([loop], drain=args.drain, on_stop=stop_children, hard_exit=True)
    return runner.run()


def decider_main(argv: Sequence[str] | None = None) -> int:
    """``floto decider SPEC``."""
    return _common.run("decider", decider_parser, decider, argv)
