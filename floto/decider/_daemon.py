"""Daemon: decides a never-closing workflow that starts child workflows on signals, and runs
a Decider for each child in a process of its own."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from floto import wire
from floto.api import Swf, SwfError, WorkflowType
from floto.decider import _decisions as d
from floto.decider._base import DecisionLoop
from floto.decider._planner import Plan
from floto.errors import SpecError
from floto.history import ExecutionState, History, TaskStatus, new_state
from floto.ids import to_swf_id
from floto.specs import DeciderSpec, decode_spec

log = logging.getLogger("floto.decider")

SIGNAL_NAME = "startChildWorkflowExecution"
"""The signal the Daemon acts on."""

RESTART_SIGNAL = "floto.daemon_started"
"""The signal a starting Daemon sends its open daemon runs, so each gets a decision task."""

CHILD_WORKFLOW_TYPE = ("floto_child_workflow", "v1")
"""The workflow type of children whose signal names none; the Daemon registers it."""


@dataclass(frozen=True)
class ChildRequest:
    """A valid ``startChildWorkflowExecution`` signal: the spec and the child's type."""

    spec: DeciderSpec
    workflow_type: tuple[str, str]


def read_signal(
    value: Any, domain: str, task_list: str, input_error: str | None = None
) -> ChildRequest:
    """The child a signal asks for.

    The input must be an object with ``decider_spec`` (a DeciderSpec's JSON text or dict,
    decoded through floto's allow-list) and may name ``workflow_type_name`` and
    ``workflow_type_version``. A spec without a task list gets ``task_list``.
    ``input_error``: why the history did not read the input's JSON (too deep, NaN...).

    Raises:
        SpecError: the input is not such an object, or the spec is bad or of another domain.
    """
    if input_error is not None:
        raise SpecError(input_error, path="input")
    if not isinstance(value, dict) or "decider_spec" not in value:
        raise SpecError("the signal input must be a JSON object with 'decider_spec'", path="input")
    spec = decode_spec(value["decider_spec"], "input.decider_spec")
    if spec.domain != domain:
        raise SpecError(
            f"the spec's domain {spec.domain!r} is not the daemon's {domain!r} (a child workflow "
            "runs in its parent's domain)",
            path="input.decider_spec.domain",
        )
    if not spec.activity_tasks:
        raise SpecError("the spec has no tasks", path="input.decider_spec.activity_tasks")
    if spec.task_list is None:
        spec.task_list = task_list
    name = value.get("workflow_type_name", CHILD_WORKFLOW_TYPE[0])
    version = value.get("workflow_type_version", CHILD_WORKFLOW_TYPE[1])
    if not all(isinstance(part, str) and part for part in (name, version)):
        raise SpecError("workflow_type_name and workflow_type_version must be strings",
                        path="input")  # fmt: skip
    return ChildRequest(spec, (name, version))


def child_id(state: ExecutionState, signal_event_id: int) -> str:
    """The child's workflow id: daemon workflow id, daemon run, signal event id."""
    run = (state.run_id or "")[:12]
    return to_swf_id(f"{state.workflow_id}:{run}:{signal_event_id}")


def plan_daemon(state: ExecutionState, domain: str) -> Plan:
    """Decisions for the daemon run: one child per new signal, a marker per bad one."""
    if state.is_closed:
        return Plan()
    if state.cancel_requested:
        return Plan([d.cancel("cancellation requested")], "CancelWorkflowExecution")
    decisions = []
    for signal in state.signals:
        event_id = signal["event_id"]
        if signal["name"] != SIGNAL_NAME or state.is_signal_handled(event_id):
            continue
        workflow_id = child_id(state, event_id)
        try:
            request = read_signal(signal["input"], domain, workflow_id, signal.get("input_error"))
        except Exception as error:  # a bad signal, or a bug reading one: never the daemon's end
            reason = str(error)
            if not isinstance(error, SpecError):
                reason = f"{type(error).__name__}: {reason}"
            log.warning("daemon %s: signal %d ignored: %s", state.workflow_id, event_id, reason)
            details = json.dumps({"signal": event_id, "error": reason[:30_000]})
            decisions.append(d.record_marker(wire.SIGNAL_REJECTED_MARKER, details))
            continue
        decisions.append(_start(request, workflow_id, event_id, signal["input"]))
        if len(decisions) >= 99:
            break
    return Plan(decisions)


def _start(request: ChildRequest, workflow_id: str, event_id: int, value: Any) -> dict[str, Any]:
    name, version = request.workflow_type
    return d.start_child_of_type(
        name,
        version,
        workflow_id,
        task_list=request.spec.task_list,
        input_text=json.dumps(value["input"], sort_keys=True) if "input" in value else None,
        control=wire.control(task=f"signal-{event_id}", signal=event_id),
    )


class Daemon(DecisionLoop):
    """Decides the "daemon workflow": on each ``startChildWorkflowExecution`` signal whose
    input carries a ``decider_spec``, starts a child workflow on the spec's task list and
    runs a :class:`Decider` for that spec in a child process, until the child closes.

    The child's workflow type is the signal's ``workflow_type_name`` /
    ``workflow_type_version``, else ``floto_child_workflow`` / ``v1`` (registered by
    :meth:`run`). Each signal is handled once (by its event id); a bad one is logged and
    recorded in a ``floto.signal_rejected`` marker. The daemon workflow is never closed.

    Args:
        domain: the SWF domain.
        task_list: the daemon workflow's decision task list.
        identity, swf, cache_size: as for :class:`Decider`.
    """

    def __init__(
        self,
        domain: str,
        task_list: str = "floto_daemon",
        *,
        identity: str | None = None,
        swf: Swf | None = None,
        cache_size: int = 100,
    ) -> None:
        super().__init__(domain, task_list, identity, swf=swf, cache_size=cache_size)
        self.children: dict[str, subprocess.Popen] = {}  # child run id -> its decider
        self._runs_with_decider: set[str] = set()

    def make_state(self) -> ExecutionState:
        return new_state(domain=self.domain)

    def plan(self, history: History) -> Plan:
        return plan_daemon(history.state, self.domain)

    def run(self, *, until: Callable[[], bool] | None = None) -> None:
        """Register the default child type, then decide until :meth:`stop` (or ``until()``);
        child deciders still running when it returns are terminated."""
        name, version = CHILD_WORKFLOW_TYPE
        self.swf.register_workflow_type(
            WorkflowType(domain=self.domain, name=name, version=version, default_task_list=None)
        )
        self.wake_daemon_runs()
        try:
            super().run(until=until)
        finally:
            for process in self.children.values():
                if process.poll() is None:
                    process.terminate()

    def wake_daemon_runs(self) -> int:
        """Signal (``floto.daemon_started``) every open run without a parent on this task list.

        A daemon that starts after a crash must start deciders for the children still running,
        which it does after answering a decision task; without new events a daemon run gets
        none, and its children would wait forever. Errors are logged. Returns the runs
        signalled.
        """
        try:
            infos = self.swf.list_workflow_executions(self.domain, status="open")
        except SwfError as error:
            log.warning("daemon: could not list the open runs to wake them: %s", error)
            return 0
        woken = 0
        for info in infos:
            execution = info["execution"]
            try:  # a run may close meanwhile: skip it, wake the others
                if info.get("parent") or self._task_list_of(execution) != self.task_list:
                    continue
                self.swf.signal_workflow_execution(
                    self.domain, execution["workflowId"], RESTART_SIGNAL, run_id=execution["runId"]
                )
            except SwfError as error:
                log.warning("daemon: could not wake run %s: %s", execution["runId"], error)
                continue
            woken += 1
        return woken

    def _task_list_of(self, execution: dict[str, str]) -> str | None:
        described = self.swf.describe_workflow_execution(
            self.domain, execution["workflowId"], execution["runId"]
        )
        return ((described.get("executionConfiguration") or {}).get("taskList") or {}).get("name")

    def after_respond(self, history: History, plan: Plan) -> None:
        """Start a child decider for each child that started and has none yet."""
        for key in [key for key, proc in self.children.items() if proc.poll() is not None]:
            del self.children[key]  # reap the ones that finished
        for task_id, ts in history.state.tasks.items():
            attempt = ts.last_attempt
            if not task_id.startswith("signal-") or ts.status is not TaskStatus.RUNNING:
                continue
            execution = attempt.workflow_execution if attempt else None
            if not execution or execution.get("runId") in self._runs_with_decider:
                continue
            self._spawn(history.state, int(task_id.removeprefix("signal-")), execution)

    def _spawn(self, state: ExecutionState, event_id: int, execution: dict[str, str]) -> None:
        signal = next((s for s in state.signals if s["event_id"] == event_id), None)
        if signal is None:
            return
        request = read_signal(signal["input"], self.domain, child_id(state, event_id))
        self._runs_with_decider.add(execution["runId"])
        command = [
            sys.executable, "-m", "floto.decider._child", "--domain", self.domain,
            "--workflow-id", execution["workflowId"], "--endpoint-url", self.swf.endpoint_url,
            "--parent-pid", str(os.getpid()),
        ]  # fmt: skip
        env = dict(os.environ)
        region = getattr(self.swf.client.meta, "region_name", None)
        if region:
            env.setdefault("AWS_DEFAULT_REGION", region)
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, text=True)
        assert process.stdin is not None
        process.stdin.write(request.spec.to_json())
        process.stdin.close()
        self.children[execution["runId"]] = process
        log.info("daemon: child %s started; its decider runs as pid %d", execution["workflowId"],
                 process.pid)  # fmt: skip
