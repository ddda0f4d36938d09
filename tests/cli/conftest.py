"""The command-line tests: `floto` commands against the session's local engine, with workers
and deciders as real `floto worker` / `floto decider` processes.

``cli(...)`` runs a command in-process (fast) and returns (exit status, stdout, stderr);
``floto_process(...)`` starts one as a process of its own.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from floto.api import Swf
from floto.cli import main
from floto.local.testing import unique_domain

HERE = Path(__file__).resolve().parent
FLOWS = str(HERE / "cli_flows.py")
sys.path.insert(0, str(HERE))

import cli_flows  # noqa: E402


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys) -> Any:
    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


class Process:
    """``python -m floto.cli ARGS`` as a process of its own, its output in a file."""

    def __init__(self, log: Path, *args: str) -> None:
        self.log = log
        with open(log, "wb") as out:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "floto.cli", *args], stdout=out, stderr=subprocess.STDOUT
            )

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, words: str, timeout: float = 30) -> str:
        """The output once it holds ``words``."""
        deadline = time.monotonic() + timeout
        while words not in self.output:
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {words!r} (exit {self.popen.poll()}):\n{self.output}")
            time.sleep(0.05)
        return self.output

    def stop(self, timeout: float = 10) -> float:
        """SIGTERM; seconds until the process exited."""
        began = time.monotonic()
        self.popen.send_signal(signal.SIGTERM)
        self.popen.wait(timeout)
        return time.monotonic() - began

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait(10)


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


@dataclass
class Served:
    """A domain with the test flows registered, one worker and two deciders serving it."""

    domain: str
    swf: Swf
    processes: list[Process]

    def start(self, tasks: list, workflow_id: str, **input: Any) -> str:
        """Start a DynamicDecider run of ``tasks``; its run id."""
        document = {"activity_tasks": [task.to_dict() for task in tasks], **input}
        response = self.swf.start_workflow_execution(
            domain=self.domain,
            workflow_type_name="dynamic",
            workflow_type_version="1",
            workflow_id=workflow_id,
            input=json.dumps(document),
        )
        return response["runId"]


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


def wait_closed(swf: Swf, domain: str, workflow_id: str, timeout: float = 30) -> dict:
    """The run's executionInfo once it has closed."""
    deadline = time.monotonic() + timeout
    while True:
        info = swf.describe_workflow_execution(domain, workflow_id)["executionInfo"]
        if info["executionStatus"] == "CLOSED" or time.monotonic() > deadline:
            return info
        time.sleep(0.1)


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
