"""`floto local` (floto.local._cli): out-of-range options and an unknown host are refused up
front with a message naming the option, instead of hanging or starting a broken engine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from floto.local._cli import main


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
