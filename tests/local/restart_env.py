"""Engines on a data dir, killed (SIGKILL, as a crash) and started again on the same folder,
and what a client can observe of an engine's state, to compare it across a restart.

Kept out of conftest.py so that test modules import it by a unique name.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from engine_env import POLL_WAIT

from floto.local import LocalEngine


class Restartable:
    """One engine at a time on ``data``: :meth:`kill` it, :meth:`start` it again."""

    def __init__(self, data: Path, **options: Any) -> None:
        self.data, self.options = data, options
        self.engine: LocalEngine | None = None
        self.outputs: list[str] = []

    def start(self) -> Any:
        """Start the engine; a boto3 SWF client on it."""
        self.engine = LocalEngine(poll_wait=POLL_WAIT, data_dir=self.data, **self.options)
        self.engine.start()
        return self.engine.client("swf")

    def kill(self) -> None:
        """SIGKILL: no chance to flush or snapshot anything."""
        assert self.engine is not None and self.engine.process is not None
        self.engine.process.send_signal(signal.SIGKILL)
        self.engine.process.wait(10)
        self.outputs.append(self.engine.output())
        self.engine.stop()
        self.engine = None

    def restart(self) -> Any:
        self.kill()
        return self.start()

    def stop(self) -> None:
        """A clean stop (SIGTERM), if running."""
        if self.engine is not None:
            self.engine.stop()
            self.engine = None

    def output(self) -> str:
        return self.engine.output() if self.engine is not None else ""


def floto_local(*args: str) -> subprocess.CompletedProcess[str]:
    """``floto local --port 0 ARGS`` run to its end (for engines that refuse to start)."""
    return subprocess.run(
        [sys.executable, "-m", "floto.local", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _clean(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


def _history(swf: Any, domain: str, execution: dict[str, str]) -> list[dict[str, Any]]:
    events, token = [], None
    while True:
        extra = {"nextPageToken": token} if token else {}
        page = swf.get_workflow_execution_history(domain=domain, execution=execution, **extra)
        events += page["events"]
        token = page.get("nextPageToken")
        if not token:
            return events


def observable(
    swf: Any, domain: str, task_lists: tuple[str, ...] = ("deciders", "workers")
) -> dict:
    """Everything a client can read of ``domain``: registrations, runs (described, with their
    whole histories) and pending task counts."""
    out: dict[str, Any] = {}
    for status in ("REGISTERED", "DEPRECATED"):
        out[f"domains {status}"] = _clean(swf.list_domains(registrationStatus=status))
        out[f"workflow types {status}"] = _clean(
            swf.list_workflow_types(domain=domain, registrationStatus=status)
        )
        out[f"activity types {status}"] = _clean(
            swf.list_activity_types(domain=domain, registrationStatus=status)
        )
    since = {"oldestDate": 0}
    infos = swf.list_open_workflow_executions(domain=domain, startTimeFilter=since)
    closed = swf.list_closed_workflow_executions(domain=domain, startTimeFilter=since)
    out["open"], out["closed"] = _clean(infos), _clean(closed)
    for info in infos["executionInfos"] + closed["executionInfos"]:
        execution = info["execution"]
        key = f"{execution['workflowId']} {execution['runId']}"
        out[key] = _clean(swf.describe_workflow_execution(domain=domain, execution=execution))
        out[key + " history"] = _history(swf, domain, execution)
    for name in task_lists:
        tl = {"name": name}
        out[f"pending decisions {name}"] = _clean(
            swf.count_pending_decision_tasks(domain=domain, taskList=tl)
        )
        out[f"pending activities {name}"] = _clean(
            swf.count_pending_activity_tasks(domain=domain, taskList=tl)
        )
    return out


_RUN_ID = re.compile(r"\b[0-9a-f]{32}\b")


def normalized(events: list[dict[str, Any]], labels: dict[str, str]) -> list[Any]:
    """A history without timestamps, its run ids replaced by labels in order of appearance
    (``labels`` is shared across the histories of one scenario)."""

    def label(match: re.Match[str]) -> str:
        return labels.setdefault(match.group(0), f"run{len(labels)}")

    out = []
    for event in events:
        kept = {k: v for k, v in event.items() if k != "eventTimestamp"}
        out.append(_RUN_ID.sub(label, repr(sorted(kept.items()))))
    return out
