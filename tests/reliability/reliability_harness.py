"""The reliability suite's harness: a fleet of real worker and decider processes against a
real local engine, and the disruptions a test applies to it while a run goes on.

A disruption is anything that happens to the fleet or the engine during a run. Each has
``tick(fleet, rng)`` (called about every 0.2 s until the run closes) and ``figures()``. The
kinds here: :class:`RandomKills` (SIGKILL of workers and deciders, each replaced by a fresh
process). The engine's own disruptions (injected faults with ``floto local --fault-rate``,
the engine killed and restarted with ``--data-dir``) slot in the same way: their engine
options go into :func:`own_engine`, their actions into a ``tick``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from reliability_workload import WORKERS

from floto.api import EndpointError, NetworkError, Swf
from floto.specs import DeciderSpec

HERE = Path(__file__).resolve().parent
ROLES = HERE / "reliability_roles.py"
ROOT = HERE.parents[1]


@dataclass
class Member:
    """One process of the fleet: ``role`` names what it does, ``args`` how to start it."""

    role: str
    args: list[str]
    process: subprocess.Popen[bytes]
    log: Path


class Fleet:
    """Worker and decider processes, started as fresh interpreters, each logging to a file."""

    def __init__(self, domain: str, endpoint_url: str, workdir: Path) -> None:
        self.domain = domain
        self.workdir = workdir
        self.journal = workdir / "journal.txt"
        self.env = dict(os.environ)
        self.env.update(
            AWS_ENDPOINT_URL_SWF=endpoint_url,
            FLOTO_RELIABILITY_JOURNAL=str(self.journal),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        self.members: list[Member] = []
        self.started: Counter[str] = Counter()

    def start(self, role: str, *args: str) -> Member:
        self.started[role] += 1
        log = self.workdir / f"{role.replace(' ', '-')}-{self.started[role]}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, str(ROLES), *args], env=self.env, stdout=out,
                stderr=subprocess.STDOUT, cwd=HERE,
            )  # fmt: skip
        member = Member(role, list(args), process, log)
        self.members.append(member)
        return member

    def workers(self, count: int, task_list: str = WORKERS) -> None:
        for _ in range(count):
            self.start("worker", "worker", self.domain, task_list)

    def deciders(self, role: str, spec: DeciderSpec, count: int) -> None:
        path = self.workdir / f"{role.replace(' ', '-')}.json"
        path.write_text(spec.to_json(), encoding="utf-8")
        for _ in range(count):
            self.start(role, "decider", str(path))

    def alive(self, roles: tuple[str, ...]) -> list[Member]:
        return [m for m in self.members if m.role in roles and m.process.poll() is None]

    def kill_and_replace(self, member: Member) -> None:
        """SIGKILL, as a crash would, then a fresh process in its place."""
        member.process.send_signal(signal.SIGKILL)
        member.process.wait(10)
        self.members.remove(member)
        self.start(member.role, *member.args)

    def stop(self) -> None:
        for member in self.members:
            if member.process.poll() is None:
                member.process.kill()
        for member in self.members:
            member.process.wait(10)

    def died_on_their_own(self) -> list[str]:
        """Processes that exited without being killed (a crash of floto's own)."""
        return [
            f"{m.role} (exit {m.process.returncode}): {m.log.read_text(errors='replace')[-800:]}"
            for m in self.members
            if m.process.poll() is not None and m.process.returncode != -signal.SIGKILL
        ]

    def logs_tail(self, lines: int = 15) -> str:
        parts = []
        for member in self.members:
            text = member.log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {member.role} pid {member.process.pid}\n" + "\n".join(text))
        return "\n".join(parts)


@cache
class Disruption(Protocol):
    def tick(self, fleet: Fleet, rng: random.Random) -> None: ...

    def figures(self) -> dict[str, Any]: ...


@dataclass
class RandomKills:
    """SIGKILL a random live process of ``roles`` every ``every`` seconds (uniform), until
    ``limit`` kills; each is replaced at once by a fresh process."""

    roles: tuple[str, ...]
    every: tuple[float, float] = (1.0, 3.0)
    limit: int = 10
    kills: Counter[str] = field(default_factory=Counter)
    _next: float | None = None

    def tick(self, fleet: Fleet, rng: random.Random) -> None:
        now = time.monotonic()
        if self._next is None:
            self._next = now + rng.uniform(*self.every)
        if now < self._next or sum(self.kills.values()) >= self.limit:
            return
        self._next = now + rng.uniform(*self.every)
        candidates = fleet.alive(self.roles)
        if candidates:
            victim = rng.choice(candidates)
            fleet.kill_and_replace(victim)
            self.kills[victim.role] += 1

    def figures(self) -> dict[str, Any]:
        return {f"{role} kills": n for role, n in sorted(self.kills.items())}


@dataclass
class EngineRestarts:
    """SIGKILL the engine every ``every`` seconds (uniform), up to ``limit`` times, and start it
    again on the same port with the same options (``--data-dir``: it must come back with its
    state). Workers and deciders are left running: they see connection errors meanwhile."""

    engine: Any  # floto.local.LocalEngine, started with a fixed port
    every: tuple[float, float] = (4.0, 8.0)
    limit: int = 2
    restarts: int = 0
    down_seconds: list[float] = field(default_factory=list)
    _next: float | None = None

    def tick(self, fleet: Fleet, rng: random.Random) -> None:
        from floto.local import LocalEngine

        now = time.monotonic()
        if self._next is None:
            self._next = now + rng.uniform(*self.every)
        if now < self._next or self.restarts >= self.limit:
            return
        old = self.engine
        old.process.send_signal(signal.SIGKILL)  # a crash: no chance to flush anything
        old.process.wait(10)
        old.stop()
        began = time.monotonic()
        self.engine = LocalEngine(
            port=old.port, host=old.host, poll_wait=old.poll_wait, data_dir=old.data_dir,
            extra_args=old.extra_args,
        ).start()  # fmt: skip
        self.down_seconds.append(time.monotonic() - began)
        self.restarts += 1
        self._next = time.monotonic() + rng.uniform(*self.every)

    def figures(self) -> dict[str, Any]:
        longest = max(self.down_seconds, default=0.0)
        return {"engine restarts": self.restarts, "longest engine outage_s": longest}


def run_until_closed(
    swf: Swf, fleet: Fleet, workflow_id: str, disruptions: list[Any], rng: random.Random,
    timeout: float,
) -> dict[str, Any]:  # fmt: skip
    """Once the run's first activity has started, apply the disruptions until the run closes;
    returns its execution info.

    Raises:
        AssertionError: the run is still open after ``timeout`` seconds, or a process died
            on its own (with the processes' last log lines).
    """
    deadline = time.monotonic() + timeout
    _wait_until_under_way(swf, fleet.domain, workflow_id, deadline)
    while True:
        for disruption in disruptions:
            disruption.tick(fleet, rng)
        try:
            info = swf.describe_workflow_execution(fleet.domain, workflow_id)["executionInfo"]
        except (NetworkError, EndpointError):  # the engine is restarting
            info = {"executionStatus": "UNKNOWN"}
        if info["executionStatus"] == "CLOSED":
            return info
        crashed = fleet.died_on_their_own()
        assert not crashed, "processes died on their own:\n" + "\n".join(crashed)
        if time.monotonic() > deadline:
            history = swf.get_workflow_execution_history(fleet.domain, workflow_id=workflow_id)
            kinds = [e["eventType"] for e in history[-10:]]
            raise AssertionError(
                f"{workflow_id} still open after {timeout:.0f} s: ...{kinds}\n{fleet.logs_tail()}"
            )
        time.sleep(0.2)


def _wait_until_under_way(swf: Swf, domain: str, workflow_id: str, deadline: float) -> None:
    """Wait for the first activity to start: processes take seconds to start on a busy
    machine, and disruptions before any work would test little."""
    while time.monotonic() < deadline:
        history = swf.get_workflow_execution_history(domain, workflow_id=workflow_id)
        if any(event["eventType"] == "ActivityTaskStarted" for event in history):
            return
        time.sleep(0.2)
    raise AssertionError(f"{workflow_id}: no activity started before the deadline")


def result_of(swf: Swf, domain: str, workflow_id: str) -> tuple[str, Any, list[dict[str, Any]]]:
    """(close event type, parsed result or failure reason, history) of a closed run."""
    history = swf.get_workflow_execution_history(domain, workflow_id=workflow_id)
    last = history[-1]
    kind = last["eventType"]
    attrs = last.get(kind[0].lower() + kind[1:] + "EventAttributes") or {}
    if kind == "WorkflowExecutionCompleted":
        return kind, json.loads(attrs.get("result") or "null"), history
    return kind, attrs.get("reason"), history
