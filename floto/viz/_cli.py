"""``floto graph``: draw a spec file, or an execution read from SWF, as DOT, SVG, PNG or PDF."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from floto.errors import FlotoError, SpecError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
SOURCE_FORMATS = ("dot", "gv")
TIMELINE_FORMATS = ("svg", "png", "pdf")


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, as every floto command prints them."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


DESCRIPTION = """\
Draw a workflow spec file, or an execution read from SWF (the local engine or AWS), with
Graphviz. Without -o the DOT text is printed; with -o the format comes from the extension
(.svg, .png, .pdf, ... rendered with Graphviz's `dot`; .dot or .gv for the DOT text).
"""
EXAMPLES = """\
examples:
  floto graph spec.json                      print the DOT text
  floto graph spec.json -o spec.svg          render an SVG
  floto graph --domain floto_test --workflow-id my_run -o run.svg
  floto graph --domain floto_test --workflow-id my_run --timeline -o run-timeline.svg
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``floto graph``."""
    parser = _Parser(
        prog="floto graph",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "spec", nargs="?", help="a DeciderSpec (or task list) JSON file; - reads stdin"
    )
    parser.add_argument("-o", "--output", help="file to write (.svg, .png, .pdf, .dot, ...)")
    parser.add_argument("--direction", choices=("LR", "TB"), default="LR", help="layout direction")
    parser.add_argument("--no-legend", action="store_true", help="leave the legend out")
    parser.add_argument(
        "--collapse-above",
        type=int,
        metavar="N",
        default=None,
        help="collapse look-alike tasks when there are more than N tasks (default 40)",
    )
    parser.add_argument("--no-collapse", action="store_true", help="draw every task")
    run = parser.add_argument_group("an execution, read from SWF")
    run.add_argument("--domain", help=f"the SWF domain (default: ${DOMAIN_VARIABLE})")
    run.add_argument("--workflow-id", help="the workflow id")
    run.add_argument("--run-id", help="the run id (default: the latest run)")
    run.add_argument("--endpoint-url", help="SWF endpoint (default: AWS_ENDPOINT_URL_SWF or AWS)")
    run.add_argument("--region", help="AWS region (default: $AWS_DEFAULT_REGION / the profile's)")
    run.add_argument("--profile", help="AWS profile (default: $AWS_PROFILE)")
    run.add_argument(
        "--timeline", action="store_true", help="draw the attempts over time (SVG, PNG or PDF)"
    )
    return parser


DOMAIN_VARIABLE = "FLOTO_DOMAIN"
"""The domain of every floto command when --domain is left out."""


def main(argv: list[str] | None = None) -> int:
    """Run ``floto graph`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.workflow_id is not None and args.domain is None:  # as every floto command reads it
        args.domain = os.environ.get(DOMAIN_VARIABLE) or None
    problem = _usage_problem(args)
    if problem:
        print(f"floto graph: {problem} (see `floto graph --help`)", file=sys.stderr)
        return EXIT_USAGE
    try:
        _run(args)
    except (FlotoError, ImportError, OSError, TypeError, ValueError) as error:
        message = _message(error)
        if isinstance(error, SpecError) and args.spec and not message.startswith(args.spec):
            message = f"{args.spec}: {message}"
        print(f"floto graph: {message}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _usage_problem(args: argparse.Namespace) -> str | None:
    execution = args.domain is not None or args.workflow_id is not None
    if execution and (args.domain is None or args.workflow_id is None):
        return "an execution needs both --domain and --workflow-id"
    if not execution:
        if args.spec is None:
            return "give a spec file, or --domain and --workflow-id to draw an execution"
        if args.run_id or args.timeline or args.endpoint_url or args.region or args.profile:
            return (
                "--run-id, --endpoint-url, --region, --profile and --timeline need --domain "
                "and --workflow-id"
            )
    if args.collapse_above is not None and args.collapse_above < 0:
        return "--collapse-above must be 0 or more"
    if args.timeline and args.output and _extension(args.output) not in TIMELINE_FORMATS:
        return "--timeline writes SVG, PNG or PDF: give an output file ending in .svg, .png or .pdf"
    return None


def _run(args: argparse.Namespace) -> None:
    from floto.viz._draw import DEFAULT_COLLAPSE_ABOVE, draw

    spec = _read_spec(args.spec) if args.spec is not None else None
    state = _fetch_state(args) if args.domain is not None else None
    if spec is not None and state is not None:
        _check_same_workflow(args, spec, state)
    if args.timeline:
        from floto.viz._timeline import timeline

        if state is None:
            raise FlotoError("--timeline draws an execution: give --domain and --workflow-id")
        _write_timeline(timeline(state).svg, args.output)
        return
    collapse = None if args.no_collapse else args.collapse_above
    if collapse is None and not args.no_collapse:
        collapse = DEFAULT_COLLAPSE_ABOVE
    drawing = draw(
        spec if spec is not None else state,
        state=state if spec is not None else None,
        direction=args.direction,
        legend=not args.no_legend,
        collapse_above=collapse,
    )
    _write_drawing(drawing, args.output)


def _read_spec(name: str) -> Any:
    from floto.limits import MAX_DOCUMENT_CHARS
    from floto.specs import loads

    if name == "-":  # at most one character more than loads accepts
        return loads(sys.stdin.read(MAX_DOCUMENT_CHARS + 1), "<stdin>")
    path = Path(name)
    if path.is_dir():
        raise FlotoError(f"{name}: is a directory, not a spec file")
    if not path.is_file():
        raise FlotoError(f"{name}: no such spec file")
    return path


def _fetch_state(args: argparse.Namespace) -> Any:
    from floto.api import Swf
    from floto.history import state_from_events

    swf = Swf(endpoint_url=args.endpoint_url, region_name=args.region, profile_name=args.profile)
    events = swf.get_workflow_execution_history(
        args.domain, workflow_id=args.workflow_id, run_id=args.run_id
    )
    return state_from_events(
        events, domain=args.domain, workflow_id=args.workflow_id, run_id=args.run_id,
        resolver=swf.resolve_payload,
    )  # fmt: skip


def _check_same_workflow(args: argparse.Namespace, spec: Any, state: Any) -> None:
    """Refuse to colour a spec with a run of another workflow: the drawing would merge the two.

    A run of the spec holds the spec's tasks (the decider records them), plus tasks its
    generators added; anything else means the run is not one of this spec.
    """
    from floto.viz._scene import tasks_of

    spec_ids = {task.id_ for task in tasks_of(spec)}
    foreign = sorted(
        task_id
        for task_id, task_state in state.tasks.items()
        if task_id not in spec_ids and task_state.generated_by is None
    )
    if foreign or (state.tasks and not spec_ids & set(state.tasks)):
        named = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise FlotoError(
            f"{args.spec}: run {state.run_id} of {args.workflow_id} is not a run of this spec "
            f"(its tasks {named or 'differ'} are not in it); draw the run without the spec "
            "file, or check --workflow-id"
        )


def _write_timeline(svg: str, output: str | None) -> None:
    fmt = _extension(output) if output else "svg"
    if fmt == "svg":
        _write_text(svg, output)
        return
    try:
        import cairosvg
    except ImportError:
        raise FlotoError(
            f"writing the timeline as {fmt.upper()} needs cairosvg: pip install 'floto[viz]' "
            "(or write .svg)"
        ) from None
    convert = cairosvg.svg2png if fmt == "png" else cairosvg.svg2pdf
    Path(output).write_bytes(convert(bytestring=svg.encode("utf-8")))  # type: ignore[arg-type]


def _extension(output: str) -> str:
    return Path(output).suffix.lower().lstrip(".")


def _write_drawing(drawing: Any, output: str | None) -> None:
    if output is None or _extension(output) in SOURCE_FORMATS:
        _write_text(drawing.source, output)
        return
    import graphviz

    fmt = _extension(output)
    if fmt not in graphviz.FORMATS:
        raise FlotoError(
            f"{output}: unknown output format {fmt!r}; use .svg, .png, .pdf or .dot "
            "(any Graphviz format works as the extension)"
        )
    Path(output).write_bytes(drawing.pipe(format=fmt))


def _write_text(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def _message(error: BaseException) -> str:
    from floto.viz._errors import GraphvizNotFoundError

    text = str(error) or type(error).__name__
    if isinstance(error, GraphvizNotFoundError):
        text += "; or write the DOT text instead (-o file.dot, or no -o)"
    if isinstance(error, OSError) and error.filename and error.strerror:
        text = f"{error.filename}: {error.strerror}"
    return text
