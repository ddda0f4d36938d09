"""The command-line tests: `floto` commands against the session's local engine, with workers
and deciders as real `floto worker` / `floto decider` processes.

``cli(...)`` runs a command in-process (fast) and returns (exit status, stdout, stderr);
``floto_process(...)`` starts one as a process of its own.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from floto.api import Swf
from floto.cli import main
from floto.local.testing import unique_domain

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cli_flows
from cli_support import FLOWS, Process, Served


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch) -> Any:
    """Run ``floto ARGS`` in-process, its output captured as a pipe's: 140 columns wide (a
    COLUMNS of the test runner's, which pytest-xdist's workers have, would narrow it)."""
    monkeypatch.delenv("COLUMNS", raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def floto_process(tmp_path) -> Iterator[Any]:
    """Start ``floto ARGS`` processes (killed after the test if still running)."""
    started: list[Process] = []

    def start(*args: str) -> Process:
        process = Process(tmp_path / f"process-{len(started)}.log", *args)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


@pytest.fixture(scope="session")
def served(local_engine, tmp_path_factory) -> Iterator[Served]:
    logs = tmp_path_factory.mktemp("served")
    swf = Swf()
    domain = unique_domain(swf.client, prefix="cli")
    common = ["--domain", domain, "--decision-timeout", "5", "--activity-timeout", "30"]
    assert main(["register", f"{FLOWS}:hello_spec", "--workflow-type", "static:1", *common]) == 0
    assert (
        main(
            [
                "register",
                FLOWS,
                "--workflow-type",
                "dynamic:1",
                "--task-list",
                cli_flows.ACTIVITIES,
                "--decider-task-list",
                cli_flows.DYNAMIC,
                *common,
            ]
        )
        == 0
    )
    processes = [
        Process(
            logs / "worker.log",
            "worker",
            FLOWS,
            "--domain",
            domain,
            "--task-list",
            cli_flows.ACTIVITIES,
            "--threads",
            "2",
            "--heartbeat",
            "0",
        ),
        Process(logs / "static.log", "decider", f"{FLOWS}:hello_spec", "--domain", domain),
        Process(
            logs / "dynamic.log",
            "decider",
            "--dynamic",
            "--domain",
            domain,
            "--task-list",
            cli_flows.DYNAMIC,
        ),
    ]
    try:
        for process in processes:
            process.wait_for("polling")
        yield Served(domain, swf, processes)
    finally:
        for process in processes:
            process.kill()


@pytest.fixture
def env_without_engine(monkeypatch, unused_port) -> str:
    url = f"http://127.0.0.1:{unused_port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", url)
    return url


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
