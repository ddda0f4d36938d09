"""``floto start``, ``signal``, ``cancel`` and ``terminate``: one SWF call each."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from floto.cli import _common

CHILD_POLICIES = ("TERMINATE", "REQUEST_CANCEL", "ABANDON")


def workflow_type(text: str) -> tuple[str, str]:
    name, _, version = text.partition(":")
    if not name or not version:
        raise argparse.ArgumentTypeError(f"expected NAME:VERSION, got {text!r}")
    return name, version


def seconds(text: str) -> str:
    if text.upper() == "NONE" or (text.isdigit() and int(text) >= 0):
        return text.upper()
    raise argparse.ArgumentTypeError(f"expected whole seconds or NONE, got {text!r}")


def _add_input(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--input", metavar="TEXT", help=f"the {what}'s input (JSON text, as is)")
    group.add_argument(
        "--input-file", metavar="PATH", help=f"read the {what}'s input from PATH ('-': stdin)"
    )


# -- start ---------------------------------------------------------------------------------
def start_parser() -> argparse.ArgumentParser:
    parser = _common.parser(
        "start",
        "Start an execution of a registered workflow type. A decider must serve its task list "
        "(`floto decider`), and workers its activities (`floto worker`).",
        "examples:\n  floto start my_workflow_type:v1 --domain floto_test\n"
        "  floto start s3_files_example:1 --workflow-id s3_files --task-list s3_files "
        "--input-file input.json --watch",
    )
    parser.add_argument(
        "type", metavar="NAME:VERSION", type=workflow_type, help="the workflow type"
    )
    parser.add_argument(
        "--workflow-id",
        metavar="ID",
        help="the workflow id (default: NAME_VERSION, as floto.api does)",
    )
    parser.add_argument("--task-list", help="the decision task list (default: the type's)")
    _add_input(parser, "run")
    parser.add_argument(
        "--execution-timeout",
        type=seconds,
        metavar="SECONDS",
        help="the run's start-to-close timeout (default: the type's)",
    )
    parser.add_argument(
        "--decision-timeout",
        type=seconds,
        metavar="SECONDS",
        help="each decision task's timeout (default: the type's)",
    )
    parser.add_argument("--child-policy", type=str.upper, choices=CHILD_POLICIES)
    parser.add_argument("--tag", action="append", help="a tag (up to 5; repeat the option)")
    parser.add_argument("--json", action="store_true", help="print {workflowId, runId} as JSON")
    parser.add_argument(
        "--watch", action="store_true", help="follow the run live until it closes (as floto watch)"
    )
    _common.add_connection(parser)
    return parser


def start(args: argparse.Namespace) -> int:
    from floto.api import WorkflowAlreadyStartedError

    domain = _common.domain_of(args)
    swf = _common.connect(args)
    name, version = args.type
    workflow_id = args.workflow_id or f"{name}_{version}"
    try:
        response = swf.start_workflow_execution(
            domain=domain,
            workflow_type_name=name,
            workflow_type_version=version,
            workflow_id=workflow_id,
            task_list=args.task_list,
            input=_common.read_text(args.input, args.input_file, "input"),
            execution_start_to_close_timeout=args.execution_timeout,
            decision_task_start_to_close_timeout=args.decision_timeout,
            child_policy=args.child_policy,
            tag_list=args.tag,
        )
    except WorkflowAlreadyStartedError:
        raise _common.CommandError(
            f"{workflow_id} already has an open run in {domain}: watch it (floto watch "
            f"{workflow_id}), end it (floto terminate {workflow_id}), or give another "
            "--workflow-id"
        ) from None
    run_id = response["runId"]
    if args.json:
        _common.print_json({"workflowId": workflow_id, "runId": run_id})
    else:
        print(f"started {workflow_id} (run {run_id})", flush=True)
    if not args.watch:
        return _common.EXIT_OK
    from floto.cli._watch import follow_to_outcome

    return follow_to_outcome(swf, domain, workflow_id, run_id)


def start_main(argv: Sequence[str] | None = None) -> int:
    """``floto start NAME:VERSION``."""
    return _common.run("start", start_parser, start, argv)


# -- signal, cancel, terminate ---------------------------------------------------------------
def signal_parser() -> argparse.ArgumentParser:
    parser = _common.parser(
        "signal",
        "Send a signal to an open run (a WorkflowExecutionSignaled event its decider sees).",
        "example:\n  floto signal floto_daemon startChildWorkflowExecution --domain floto_test "
        "--input-file child.json",
    )
    _common.add_run(parser)
    parser.add_argument("name", metavar="SIGNAL", help="the signal's name")
    _add_input(parser, "signal")
    _common.add_connection(parser)
    return parser


def signal(args: argparse.Namespace) -> int:
    domain = _common.domain_of(args)
    _common.connect(args).signal_workflow_execution(
        domain,
        args.workflow_id,
        args.name,
        input=_common.read_text(args.input, args.input_file, "input"),
        run_id=args.run_id,
    )
    print(f"signalled {args.workflow_id}: {args.name}", flush=True)
    return _common.EXIT_OK


def signal_main(argv: Sequence[str] | None = None) -> int:
    """``floto signal WORKFLOW_ID SIGNAL``."""
    return _common.run("signal", signal_parser, signal, argv)


def cancel_parser() -> argparse.ArgumentParser:
    parser = _common.parser(
        "cancel",
        "Ask an open run's decider to cancel it (a WorkflowExecutionCancelRequested event; "
        "floto's deciders then cancel the run). Use terminate to end a run at once.",
    )
    _common.add_run(parser)
    _common.add_connection(parser)
    return parser


def cancel(args: argparse.Namespace) -> int:
    domain = _common.domain_of(args)
    _common.connect(args).request_cancel_workflow_execution(
        domain, args.workflow_id, run_id=args.run_id
    )
    print(f"cancellation requested for {args.workflow_id}", flush=True)
    return _common.EXIT_OK


def cancel_main(argv: Sequence[str] | None = None) -> int:
    """``floto cancel WORKFLOW_ID``."""
    return _common.run("cancel", cancel_parser, cancel, argv)


def terminate_parser() -> argparse.ArgumentParser:
    parser = _common.parser(
        "terminate",
        "Terminate an open run at once (no decider involved); its open child runs follow "
        "the child policy.",
        "example:\n  floto terminate floto_daemon --domain floto_test --reason 'daemon no "
        "longer needed'",
    )
    _common.add_run(parser)
    parser.add_argument("--reason", help="recorded in the history (up to 256 characters)")
    parser.add_argument("--details", help="recorded in the history")
    parser.add_argument("--child-policy", type=str.upper, choices=CHILD_POLICIES)
    _common.add_connection(parser)
    return parser


def terminate(args: argparse.Namespace) -> int:
    domain = _common.domain_of(args)
    _common.connect(args).terminate_workflow_execution(
        domain,
        args.workflow_id,
        run_id=args.run_id,
        reason=args.reason,
        details=args.details,
        child_policy=args.child_policy,
    )
    print(f"terminated {args.workflow_id}", flush=True)
    return _common.EXIT_OK


def terminate_main(argv: Sequence[str] | None = None) -> int:
    """``floto terminate WORKFLOW_ID``."""
    return _common.run("terminate", terminate_parser, terminate, argv)


# -- rerun ---------------------------------------------------------------------------------
def rerun_parser() -> argparse.ArgumentParser:
    parser = _common.parser(
        "rerun",
        "Rerun a closed run from its failure: a new run of the same workflow type, task list "
        "and timeouts in which every task the earlier run completed is reused (its recorded "
        "result feeds its dependents, it is not run again) and only the rest runs. The "
        "decider serving the task list decides it (floto.api.Swf.rerun_workflow_execution).",
        "examples:\n  floto rerun nightly --domain floto_test --watch\n"
        "  floto rerun nightly --run-id 5f0c... --new-workflow-id nightly-fixed",
    )
    _common.add_run(parser)
    _add_input(parser, "new run")  # default: the earlier run's
    parser.add_argument(
        "--new-workflow-id", metavar="ID", help="the new run's workflow id (default: the same)"
    )
    parser.add_argument("--json", action="store_true", help="print {workflowId, runId} as JSON")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="follow the new run live until it closes (as floto watch)",
    )
    _common.add_connection(parser)
    return parser


def rerun(args: argparse.Namespace) -> int:
    domain = _common.domain_of(args)
    swf = _common.connect(args)
    text = _common.read_text(args.input, args.input_file, "input")
    given = {"input": text} if text is not None else {}
    started = swf.rerun_workflow_execution(
        domain, args.workflow_id, args.run_id, new_workflow_id=args.new_workflow_id, **given
    )
    workflow_id, run_id = started["workflowId"], started["runId"]
    if args.json:
        _common.print_json(started)
    else:
        print(f"rerun {args.workflow_id} as {workflow_id} (run {run_id})", flush=True)
    if not args.watch:
        return _common.EXIT_OK
    from floto.cli._watch import follow_to_outcome

    return follow_to_outcome(swf, domain, workflow_id, run_id)


def rerun_main(argv: Sequence[str] | None = None) -> int:
    """``floto rerun WORKFLOW_ID``."""
    return _common.run("rerun", rerun_parser, rerun, argv)
