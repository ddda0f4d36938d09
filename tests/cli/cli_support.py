"""Helpers of the command-line tests (fixtures in conftest.py use them)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from floto.api import Swf

HERE = Path(__file__).resolve().parent
FLOWS = str(HERE / "cli_flows.py")


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


def wait_closed(swf: Swf, domain: str, workflow_id: str, timeout: float = 30) -> dict:
    """The run's executionInfo once it has closed."""
    deadline = time.monotonic() + timeout
    while True:
        info = swf.describe_workflow_execution(domain, workflow_id)["executionInfo"]
        if info["executionStatus"] == "CLOSED" or time.monotonic() > deadline:
            return info
        time.sleep(0.1)
