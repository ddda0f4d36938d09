"""`floto worker|decider|local` take --log-format / --log-level (and --metrics-port for the
pollers); bad values and a metrics port in use are one-line errors naming the problem."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from floto.api import Swf, ThrottledError
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


def test_floto_local_writes_json_lines(tmp_path):
    """An injected fault is logged by the engine; with --log-format json, as a JSON line."""
    port_file = tmp_path / "port"
    log = tmp_path / "engine.log"
    with open(log, "wb") as out:
        engine = subprocess.Popen(
            [sys.executable, "-m", "floto.cli", "local", "--port", "0", "--port-file",
             str(port_file), "--log-format", "json", "--fault-rate", "1", "--fault-kinds",
             "throttle", "--fault-seed", "1"],
            stdout=subprocess.DEVNULL, stderr=out,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        swf = Swf(endpoint_url=f"http://127.0.0.1:{port_file.read_text().strip()}")
        swf.max_attempts = 1
        with pytest.raises(ThrottledError):
            swf.list_workflow_executions("nowhere", status="open")
        deadline = time.monotonic() + 10
        while "fault" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        engine.terminate()
        engine.wait(20)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    faults = [line for line in lines if "floto local fault" in line["message"]]
    assert faults and faults[0]["level"] == "WARNING" and faults[0]["logger"] == "floto.local"
    assert faults[0]["time"].endswith("+00:00")
