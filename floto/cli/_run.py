"""``floto run TARGET``: a workflow end to end, in one command.

Attach to the engine at ``--endpoint-url`` / ``AWS_ENDPOINT_URL_SWF`` or start a local one
(AWS with ``--aws``), register what the workflow needs, serve it with activity workers and a
decider (floto.launch's Launcher, as threads of this process), start the run, follow it with
the live view, print the result. Exit 0 only when the run completed.
"""

from __future__ import annotations

import argparse
import logging
import sys
import uuid
from collections.abc import Sequence
from typing import Any

from floto.cli import _common

DESCRIPTION = """\
Run a workflow end to end: attach to the local engine at --endpoint-url or
$AWS_ENDPOINT_URL_SWF (or start one for the length of the command; --aws: AWS itself),
register the domain and types, serve the workflow with activity workers and a decider in this
process, start the run, follow it live, print the result. TARGET is module:attribute (or
file.py:attribute) naming a floto.dsl.Workflow, a DeciderSpec, a task or a list of tasks,
whose module defines the activities; or a spec JSON file, with --activities naming the
modules that define them. Exits 0 when the run completed, 4 when it did not.
"""
EXAMPLES = """\
examples:
  floto run flows.py:workflow --input '{"day": "2024-01-02"}'
  floto run spec.json --activities my_activities --workflow-id nightly
  floto run flows.py:workflow --endpoint-url http://127.0.0.1:4588 --domain floto_test
"""
LOCAL_DOMAIN = "floto_test"
ENGINE_POLL_WAIT = 10.0  # an engine of floto run's own: its idle polls end sooner than SWF's


def positive(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from floto.cli._control import _add_input
    from floto.cli._history import interval

    parser = _common.parser("run", DESCRIPTION, EXAMPLES)
    parser.add_argument("target", metavar="TARGET", help="module:attribute, or a spec JSON file")
    _add_input(parser, "run")
    parser.add_argument(
        "--activities",
        metavar="MODULE",
        action="append",
        default=[],
        help="import MODULE for its activities (repeatable)",
    )
    parser.add_argument(
        "--workflow-id",
        metavar="ID",
        help="the run's workflow id (default: <type>-<time>-<random>)",
    )
    parser.add_argument(
        "--workflow-type",
        metavar="NAME[:VERSION]",
        help="the type to register and start (default floto_workflow:1)",
    )
    parser.add_argument(
        "--workers",
        type=positive,
        default=2,
        metavar="N",
        help="activity workers (threads) per activity task list (default 2)",
    )
    parser.add_argument(
        "--interval",
        type=interval,
        default=0.5,
        metavar="SECONDS",
        help="how often the live view reads new events (default 0.5)",
    )
    parser.add_argument(
        "--aws",
        action="store_true",
        help="run on AWS (your credentials and region), not a local engine",
    )
    _common.add_connection(parser)
    return parser


def _workflow_type(text: str | None) -> Any:
    if not text:
        return None
    name, _, version = text.partition(":")
    return (name, version or "1")


def _load(args: argparse.Namespace) -> Any:
    """What to launch: a DeciderSpec with a decision task list of this command's own."""
    from floto.cli._target import import_module, load_target
    from floto.specs import DeciderSpec

    for module in args.activities:
        import_module(module)
    target = load_target(args.target)
    spec = target.spec
    fallback = spec.domain if spec is not None else (None if args.aws else LOCAL_DOMAIN)
    domain = _common.domain_of(args, fallback)
    # A task list of its own: a poll an earlier `floto run` left behind on the engine can
    # never take this run's decision tasks (docs/cli.md, "Stopping").
    return DeciderSpec(
        domain=domain,
        task_list=(spec.task_list if spec is not None else None)
        or f"floto-run-{uuid.uuid4().hex[:8]}",
        activity_tasks=target.tasks,
        default_activity_task_list=spec.default_activity_task_list if spec is not None else None,
        repeat_workflow=spec.repeat_workflow if spec is not None else False,
        failure_policy=spec.failure_policy if spec is not None else "continue",
    )


def _connect(args: argparse.Namespace, out: Any) -> Any:
    """floto.launch's Connection: AWS (``--aws``), the engine at --endpoint-url or
    $AWS_ENDPOINT_URL_SWF (exit 3 if nothing answers), else one started for this command."""
    from floto.launch import connect
    from floto.local import EngineOptions

    connection = connect(
        args.endpoint_url, aws=args.aws, options=EngineOptions(poll_wait=ENGINE_POLL_WAIT),
        configure_environment=True,  # activities using S3 find the engine's too
        region_name=args.region, profile_name=args.profile,
    )  # fmt: skip
    if connection.started:
        out.print(f"engine: started {connection.endpoint_url} for this run (stopped at the end)")
    elif connection.endpoint_url:
        out.print(f"engine: {connection.endpoint_url} (attached)")
    return connection


def run(args: argparse.Namespace) -> int:
    from floto.cli._view import console

    if args.aws and args.endpoint_url:
        raise _common.UsageError("--aws and --endpoint-url contradict each other")
    spec = _load(args)
    out = console()
    with _connect(args, out) as connection:
        return _launch_and_follow(args, spec, connection, out)


def _launch_and_follow(args: argparse.Namespace, spec: Any, connection: Any, out: Any) -> int:
    from floto.cli._watch import follow, outcome
    from floto.launch import Launcher

    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(threadName)s %(name)s: %(message)s"
    )
    launcher = Launcher(
        spec.domain, swf=connection.swf, workers=args.workers, swf_factory=connection.new_swf
    )
    try:
        launched = launcher.launch(
            spec,
            _common.read_text(args.input, args.input_file, "input"),
            workflow_id=args.workflow_id,
            workflow_type=_workflow_type(args.workflow_type),
        )
        out.print(f"started {launched.workflow_id} (run {launched.run_id}) in {spec.domain}")

        def alive() -> None:
            broken = [s for s in launcher.services if s.error is not None]
            if broken:
                raise _common.CommandError(f"{broken[0].name} stopped: {broken[0].error}")

        try:
            state = follow(launcher.handle(launched), every=args.interval, out=out, alive=alive)
        except KeyboardInterrupt:
            raise _common.CommandError(
                f"interrupted; run {launched.workflow_id} stays open without its workers: "
                f"floto terminate {launched.workflow_id} --domain {spec.domain}",
                _common.EXIT_INTERRUPTED,
            ) from None
        return outcome(state, out)
    finally:
        launcher.stop(timeout=0.1)


def main(argv: Sequence[str] | None = None) -> int:
    """``floto run TARGET``."""
    return _common.run("run", build_parser, run, argv)
