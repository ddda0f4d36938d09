"""`floto local` (floto.local._cli): out-of-range options and an unknown host are refused up
front with a message naming the option, instead of hanging or starting a broken engine."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from floto.local._cli import add_arguments, main


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--port", "99999"], "argument --port: must be a port number from 0 to 65535"),
        (["--port", "-1"], "argument --port: must be a port number from 0 to 65535"),
        (["--port", "abc"], "argument --port: invalid"),
        (["--poll-wait", "-3"], "argument --poll-wait: must be a number >= 0"),
        (["--poll-wait", "nan"], "argument --poll-wait: must be a number >= 0"),
        (["--retain-closed", "-1"], "argument --retain-closed: must be a whole number >= 0"),
        (["--retain-seconds", "-5"], "argument --retain-seconds: must be a number >= 0"),
        (["--skip-grace", "-0.1"], "argument --skip-grace: must be a number >= 0"),
        (["--skip-grace", "nan"], "argument --skip-grace: must be a number >= 0"),
        (["--skip-quiet", "soon"], "argument --skip-quiet: invalid number"),
        (["--fault-rate", "1.5"], "argument --fault-rate: must be a fraction from 0 to 1"),
        (["--fault-rate", "-0.1"], "argument --fault-rate: must be a number >= 0"),
        (["--fault-rate", "nan"], "argument --fault-rate: must be a number >= 0"),
        (["--fault-kinds", "throttle,flood"], "argument --fault-kinds: unknown fault kind 'flood'"),
        (["--fault-kinds", ","], "argument --fault-kinds: no fault kind given"),
        (["--fault-seed", "lucky"], "argument --fault-seed: invalid whole number"),
        (["--rate-scale", "0"], "argument --rate-scale: must be a number > 0"),
        (["--rate-scale", "inf"], "argument --rate-scale: must be a number > 0"),
        (["--rate-scale", "-1"], "argument --rate-scale: must be a number > 0"),
        (["--rate-quota", "ScheduleActivityTask=5/1"], "unknown quota 'ScheduleActivityTask'"),
        (
            ["--rate-quota", "task-list:ScheduleActivityTask=5"],
            "expected NAME=SIZE/REFILL, e.g. task-list:ScheduleActivityTask=20/5",
        ),
        (
            ["--rate-quota", "account:StartTimer=0.5/1"],
            "'account:StartTimer=0.5/1': SIZE must be >= 1 and REFILL > 0",
        ),
        (["--rate-quota", "account:StartTimer=5/0"], "SIZE must be >= 1 and REFILL > 0"),
        (["--rate-quota", "account:StartTimer=5/nan"], "expected NAME=SIZE/REFILL"),
    ],
)
def test_an_out_of_range_option_is_a_usage_error(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert words in capsys.readouterr().err


def test_an_unknown_host_is_named_in_one_line_and_exits_2():
    done = subprocess.run(
        [sys.executable, "-m", "floto.local", "--host", "no-such-host.invalid", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("floto local: cannot listen on no-such-host.invalid:0: ")
    assert "Traceback" not in done.stderr and "ready" not in done.stdout


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (
            ["--max-history-events", "-5"],
            "argument --max-history-events: must be a whole number >= 2",
        ),
        (
            ["--max-history-events", "0"],
            "argument --max-history-events: must be a whole number >= 2",
        ),
        (
            ["--max-history-events", "1"],
            "argument --max-history-events: must be a whole number >= 2",
        ),
        (["--max-history-events", "nan"], "argument --max-history-events: invalid whole number"),
        (["--max-history-events", "many"], "argument --max-history-events: invalid whole number"),
        (
            ["--max-open-children", "-1"],
            "argument --max-open-children: must be a whole number >= 1",
        ),
        (["--max-open-children", "0"], "argument --max-open-children: must be a whole number >= 1"),
        (["--max-open-children", "inf"], "argument --max-open-children: invalid whole number"),
        (["--max-open-children", "2.5"], "argument --max-open-children: invalid whole number"),
    ],
)
def test_a_bad_engine_limit_is_a_usage_error_naming_the_option(argv, words, capsys):
    # parsed only: before these checks existed, main() would have started an engine with them
    with pytest.raises(SystemExit) as exit_:
        add_arguments(argparse.ArgumentParser(prog="floto local")).parse_args(argv)
    assert exit_.value.code == 2
    assert words in capsys.readouterr().err


def test_good_engine_limits_are_accepted():
    parser = add_arguments(argparse.ArgumentParser(prog="floto local"))
    args = parser.parse_args(["--max-history-events", "50", "--max-open-children", "1"])
    assert (args.max_history_events, args.max_open_children) == (50, 1)
    args = parser.parse_args(["--max-open-activities", "3", "--max-open-timers", "4"])
    assert (args.max_open_activities, args.max_open_timers) == (3, 4)


def test_rate_quota_options_are_parsed():
    parser = add_arguments(argparse.ArgumentParser(prog="floto local"))
    args = parser.parse_args([])
    assert (args.rate_quotas, args.rate_scale, args.rate_quota) == (True, 1.0, [])
    args = parser.parse_args([
        "--no-rate-quotas", "--rate-scale", "0.01",
        "--rate-quota", "task-list:ScheduleActivityTask=20/0.5",
        "--rate-quota", " workflow:SignalWorkflowExecution = 3/1",
    ])  # fmt: skip
    assert (args.rate_quotas, args.rate_scale) == (False, 0.01)
    assert [(name, rate.size, rate.refill) for name, rate in args.rate_quota] == [
        ("task-list:ScheduleActivityTask", 20, 0.5),
        ("workflow:SignalWorkflowExecution", 3, 1),
    ]


@pytest.mark.parametrize("folder_kind", ["missing", "a file"])
def test_a_port_file_whose_folder_does_not_exist_is_named_before_listening(folder_kind, tmp_path):
    if folder_kind == "missing":
        port_file = tmp_path / "no" / "such" / "dir" / "p"
        words = f"floto local: --port-file {port_file}: folder {port_file.parent} does not exist"
    else:
        (tmp_path / "plain").write_text("")
        port_file = tmp_path / "plain" / "p"
        words = f"floto local: --port-file {port_file}: {port_file.parent} is not a folder"
    done = subprocess.run(
        [sys.executable, "-m", "floto.local", "--port", "0", "--port-file", str(port_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == words
    assert "ready" not in done.stdout
