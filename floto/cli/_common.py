"""What every ``floto`` sub-command shares: one-line errors, exit codes, connection options.

Every error reaches the terminal as one line, ``floto CMD: message``, and a documented exit
status (docs/cli.md): usage errors included, which argparse would otherwise print as two.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from floto.errors import FlotoError
from floto.limits import MAX_DOCUMENT_CHARS

EXIT_OK = 0
EXIT_ERROR = 1  # SWF refused the request, an unknown run, a bad spec...
EXIT_USAGE = 2  # bad arguments
EXIT_UNREACHABLE = 3  # no SWF endpoint to talk to, or no region/credentials for AWS
EXIT_RUN_NOT_COMPLETED = 4  # the run closed, but not as completed (failed, timed out...)
EXIT_INTERRUPTED = 130  # Ctrl-C

DOMAIN_VARIABLE = "FLOTO_DOMAIN"


class CommandError(FlotoError):
    """A command cannot do what it was asked; ``exit_code`` is what the process returns."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class UsageError(CommandError):
    """The arguments do not make sense together."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


class _Exit(Exception):
    """Raised by the parser instead of SystemExit, so callers in-process get a status."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``floto CMD: message (see --help)``."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise _Exit(EXIT_USAGE)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            print(message.rstrip("\n"), file=sys.stderr)
        raise _Exit(status)


def parser(name: str, description: str, epilog: str | None = None) -> CommandParser:
    """The parser of ``floto NAME``."""
    return CommandParser(
        prog=f"floto {name}",
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_connection(parser: argparse.ArgumentParser, *, domain: bool = True) -> None:
    """``--endpoint-url``, ``--region``, ``--profile`` and (optionally) ``--domain``."""
    group = parser.add_argument_group("where (AWS, or the local engine)")
    group.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="SWF endpoint, e.g. http://127.0.0.1:4588 for `floto local` "
        "(default: $AWS_ENDPOINT_URL_SWF, else AWS)",
    )
    group.add_argument("--region", help="AWS region (default: $AWS_DEFAULT_REGION / the profile's)")
    group.add_argument("--profile", help="AWS profile (default: $AWS_PROFILE)")
    if domain:
        group.add_argument("--domain", help=f"SWF domain (default: ${DOMAIN_VARIABLE})")


def domain_of(args: argparse.Namespace, fallback: str | None = None) -> str:
    """``--domain``, else ``$FLOTO_DOMAIN``, else ``fallback``; a usage error if none."""
    domain = args.domain or os.environ.get(DOMAIN_VARIABLE) or fallback
    if not domain:
        raise UsageError(f"which domain? give --domain or set {DOMAIN_VARIABLE}")
    return domain


def connect(args: argparse.Namespace) -> Any:
    """A :class:`floto.api.Swf` for the connection options."""
    from floto.api import Swf

    return Swf(region_name=args.region, profile_name=args.profile, endpoint_url=args.endpoint_url)


def read_text(value: str | None, path: str | None, what: str) -> str | None:
    """``value``, or the text of the file ``path`` (``-``: stdin)."""
    if path is None:
        return value
    if path == "-":  # bounded: SWF takes no input this long anyway
        return sys.stdin.read(MAX_DOCUMENT_CHARS + 1)
    try:
        with open(path, encoding="utf-8") as stream:
            return stream.read(MAX_DOCUMENT_CHARS + 1)
    except OSError as error:
        raise CommandError(f"cannot read {what} file {path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{what} file {path}: not UTF-8 text (byte {error.start})") from None


def print_json(value: Any) -> None:
    """``value`` as JSON on one line (dates as ISO text)."""
    print(json.dumps(value, default=_json_default, sort_keys=True), flush=True)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return str(value)


def one_line(text: str) -> str:
    """``text`` with its line breaks folded, so an error stays on one line."""
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


def message_of(error: BaseException) -> tuple[str, int]:
    """(one-line message, exit status) for an error that ended a command."""
    from floto.api import ConfigurationError, EndpointError

    if isinstance(error, CommandError):
        return one_line(str(error)), error.exit_code
    if isinstance(error, EndpointError):
        endpoint = getattr(error, "endpoint", None) or "the SWF endpoint"
        hint = "" if _is_aws(endpoint) else ": is `floto local` running there?"
        return f"cannot reach SWF at {endpoint}{hint}", EXIT_UNREACHABLE
    if isinstance(error, ConfigurationError):
        text = str(error).replace("pass Swf(region_name=...), set", "give --region, set")
        return one_line(text), EXIT_UNREACHABLE
    if isinstance(error, OSError) and error.filename and error.strerror:
        return f"{error.filename}: {error.strerror}", EXIT_ERROR
    text = str(error) or type(error).__name__
    return one_line(text), EXIT_ERROR


def _is_aws(endpoint: str) -> bool:
    """floto.api's answer, False for a URL it cannot read."""
    from floto.api import EndpointError, is_aws_endpoint

    try:
        return is_aws_endpoint(endpoint)
    except EndpointError:
        return False


def run(
    name: str,
    build: Callable[[], argparse.ArgumentParser],
    body: Callable[[argparse.Namespace], int | None],
    argv: Sequence[str] | None,
) -> int:
    """Parse ``argv`` with ``build()``'s parser, run ``body``, turn every error into one line."""
    try:
        args = build().parse_args(list(sys.argv[1:] if argv is None else argv))
        return int(body(args) or 0)
    except _Exit as exit_:
        return exit_.code
    except KeyboardInterrupt:
        print(f"floto {name}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `floto history ... | head`: the reader has gone
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes it at exit
        return EXIT_OK
    except (FlotoError, OSError, ValueError, TypeError, ImportError) as error:
        message, code = message_of(error)
        print(f"floto {name}: {message}", file=sys.stderr)
        return code


def add_run(parser: argparse.ArgumentParser) -> None:
    """``WORKFLOW_ID`` and ``--run-id``: which run a command acts on."""
    parser.add_argument("workflow_id", metavar="WORKFLOW_ID", help="the run's workflow id")
    parser.add_argument(
        "--run-id", help="the run (default: the open run of WORKFLOW_ID, else its latest)"
    )
