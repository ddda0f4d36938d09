"""`floto worker|decider|local` take --log-format / --log-level (and --metrics-port for the
pollers); bad values and a metrics port in use are one-line errors naming the problem."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from floto.cli import main

FLOWS = str(Path(__file__).resolve().parent / "obs_flows.py")


def floto(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "floto.cli", *args], capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["worker", FLOWS, "--log-format", "xml"], "argument --log-format: invalid choice: 'xml'"),
        (["decider", "--dynamic", "--log-level", "loud"], "argument --log-level: invalid choice"),
        (["worker", FLOWS, "--metrics-port", "70000"], "must be a port number from 0 to 65535"),
        (["decider", "--dynamic", "--metrics-port", "x"], "invalid port number: 'x'"),
        (["local", "--log-format", "yaml"], "argument --log-format: invalid choice: 'yaml'"),
    ],
)
def test_bad_values_are_usage_errors(capsys, args, words):
    assert main(args) == 2
    assert words in capsys.readouterr().err


def test_a_metrics_port_in_use_is_named(local_engine):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = floto("worker", FLOWS, "--domain", "any", "--task-list", "t",
                     "--metrics-host", "127.0.0.1", "--metrics-port", str(port))  # fmt: skip
    assert done.returncode == 1
    assert f"floto worker: could not serve metrics on 127.0.0.1:{port}" in done.stderr
