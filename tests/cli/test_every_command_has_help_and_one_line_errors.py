"""Every command has --help; bad arguments, a missing engine and a missing domain each get one
line, `floto CMD: message`, and the documented exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest

from floto.cli import COMMANDS

OPERATING = [
    "start",
    "list",
    "show",
    "history",
    "watch",
    "signal",
    "cancel",
    "terminate",
    "rerun",
    "report",
]
NEEDS = {  # the arguments each command needs besides the connection options
    "start": ["wf:1"],
    "list": [],
    "show": ["w"],
    "history": ["w"],
    "watch": ["w"],
    "signal": ["w", "s"],
    "cancel": ["w"],
    "terminate": ["w"],
    "rerun": ["w"],
    "report": ["w"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_exits_0_and_names_the_command(cli, command):
    result = cli(command, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: floto {command}")


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"local", "graph"}))
def test_an_unknown_option_is_one_line_and_exit_2(cli, command):
    positional = {**NEEDS, "check": ["x.json"], "register": ["x"], "worker": ["m"], "run": ["x"],
                  "replay": ["h.json", "--dynamic"]}  # fmt: skip
    result = cli(command, *positional.get(command, []), "--no-such-option")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"floto {command}: ")
    assert "--no-such-option" in lines[0] and f"floto {command} --help" in lines[0]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["start", "no-version"], "expected NAME:VERSION, got 'no-version'"),
        (["list", "--domain", "d", "--since", "yesterday"], "expected a duration"),
        (["list", "--domain", "d", "--limit", "0"], "expected a whole number >= 1"),
        (["list", "--domain", "d", "--open", "--closed"], "not allowed with argument"),
        (["list", "--domain", "d", "--tag", "t", "--workflow-id", "w"], "one of these at a time"),
        (["list", "--domain", "d", "--open", "--close-status", "FAILED"], "use it with --closed"),
        (["history", "w", "--domain", "d", "--interval", "0"], "expected seconds"),
        (["start", "wf:1", "--domain", "d", "--execution-timeout", "soon"], "whole seconds"),
        (["decider", "--domain", "d"], "give a SPEC, or --dynamic or --daemon"),
        (["worker", "cli_flows", "--domain", "d"], "which task list?"),
    ],
)
def test_bad_arguments_are_named(cli, argv, words):
    result = cli(*argv)
    assert result.code == 2, result
    assert result.err.startswith(f"floto {argv[0]}: ") and words in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", OPERATING)
def test_without_a_domain_the_command_asks_for_one(cli, command, monkeypatch):
    monkeypatch.delenv("FLOTO_DOMAIN", raising=False)
    result = cli(command, *NEEDS[command])
    assert result.code == 2
    assert result.err == f"floto {command}: which domain? give --domain or set FLOTO_DOMAIN\n"


@pytest.mark.parametrize("command", [*OPERATING, "register"])
def test_a_missing_engine_is_one_line_and_exit_3(cli, command, env_without_engine):
    extra = ["tests/cli/cli_flows.py:hello_spec"] if command == "register" else NEEDS[command]
    result = cli(command, *extra, "--domain", "d")
    assert result.code == 3, result
    assert result.err == (
        f"floto {command}: cannot reach SWF at {env_without_engine}: "
        "is `floto local` running there?\n"
    )


def test_the_console_script_reports_a_missing_engine_without_a_traceback(env_without_engine):
    done = subprocess.run(
        [sys.executable, "-m", "floto.cli", "list", "--domain", "d"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        f"floto list: cannot reach SWF at {env_without_engine}: is `floto local` running there?"
    ]


def test_an_unknown_command_and_no_command_are_usage_errors(cli):
    unknown = cli("lsit")
    assert (
        unknown.code == 2 and unknown.err == "floto: unknown command 'lsit' (see `floto --help`)\n"
    )
    bare = cli()
    assert bare.code == 2 and "usage: floto COMMAND" in bare.err
    assert cli("--help").out.startswith("usage: floto COMMAND")


def test_no_region_for_aws_is_one_line_naming_the_option(cli, monkeypatch, tmp_path):
    for name in ("AWS_ENDPOINT_URL_SWF", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    result = cli("list", "--domain", "d")
    assert result.code == 3
    assert result.err.startswith("floto list: no AWS region configured for SWF: give --region")
