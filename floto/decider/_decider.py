"""Decider and DynamicDecider: run a workflow's tasks on SWF from a DeciderSpec."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from floto import wire
from floto.api import Swf
from floto.decider._base import DecisionLoop
from floto.decider._planner import Plan, PlanConfig, plan
from floto.decider._rerun import load_reuse
from floto.decider._sharding import Sharder
from floto.errors import GraphError, SpecError
from floto.history import ExecutionState, History, new_state
from floto.ids import wire_id_problem
from floto.limits import EVENT_BUDGET
from floto.specs import DeciderSpec, decode_spec

log = logging.getLogger("floto.decider")


def _load_spec(decider_spec: Any) -> DeciderSpec:
    if isinstance(decider_spec, DeciderSpec):
        return decider_spec
    if isinstance(decider_spec, (str, bytes, dict)):
        return decode_spec(decider_spec)
    raise SpecError(
        f"must be a floto.specs.DeciderSpec or its JSON, got {type(decider_spec).__name__}",
        path="decider_spec",
    )


def _check_task_list(spec: DeciderSpec) -> str:
    if not spec.task_list:
        raise SpecError("a decider needs the spec's task_list (its decision task list)",
                        path="decider_spec.task_list")  # fmt: skip
    return spec.task_list


class Decider(DecisionLoop):
    """Decides the runs on the spec's task list: schedules tasks whose requirements have
    completed, retries failures by their strategy, and completes or fails each run.

    Args:
        decider_spec: a :class:`floto.specs.DeciderSpec`, or its JSON (text or dict).
        identity: the decider's identity in the history (default ``<host>-<pid>``).
        swf: the :class:`floto.api.Swf` to use (default: a new one).
        cache_size: runs whose state is kept between decision tasks (LRU).
        page_size: events per history page (see :class:`DecisionLoop`).
        gone_check_seconds: how often to look for runs closed from outside (terminated,
            timed out...): each is logged once, and with ``terminate_decider_after_completion``
            the decider stops.
        event_budget: events a run is planned for; past it, pending work moves into shards
            (child runs of type ``floto_shard`` this decider decides), so runs stay under
            SWF's 25,000-event limit (see docs/limits-and-payloads.md).

    Raises:
        SpecError: the spec is malformed, has no task list or no tasks; GraphError (a
            SpecError) for a bad graph; a task id too long for SWF.

    Example::

        Decider(decider_spec=spec).run()
    """

    def __init__(
        self,
        decider_spec: Any = None,
        identity: str | None = None,
        *,
        swf: Swf | None = None,
        cache_size: int = 1_000,
        page_size: int = 100,
        gone_check_seconds: float = 30.0,
        event_budget: int = EVENT_BUDGET,
    ) -> None:
        spec = _load_spec(decider_spec)
        self.decider_spec = spec
        self.tasks = self._check_tasks(spec)
        self.config = PlanConfig(
            default_activity_task_list=spec.default_activity_task_list,
            repeat_workflow=spec.repeat_workflow,
            failure_policy=spec.failure_policy,
        )
        super().__init__(
            spec.domain, _check_task_list(spec), identity, swf=swf, cache_size=cache_size,
            page_size=page_size, gone_check_seconds=gone_check_seconds,
        )  # fmt: skip
        self.config = dataclasses.replace(self.config, fit=self.swf.fit_payload)
        self.sharder = Sharder(self.swf, self.domain, event_budget)
        self._shard_runs: set[str] = set()  # open shard runs seen; their close stops nothing

    @staticmethod
    def _check_tasks(spec: DeciderSpec) -> list[Any]:
        if not spec.activity_tasks:
            raise GraphError(
                "a workflow needs at least one task", path="decider_spec.activity_tasks"
            )
        tasks = list(spec.graph.tasks)  # checked when the spec was made (again if changed)
        for position, task in enumerate(tasks):
            problem = wire_id_problem(task.id_)
            if problem:
                raise SpecError(problem, path=f"decider_spec.activity_tasks[{position}]")
        return tasks

    @property
    def repeat_workflow(self) -> bool:
        """Whether a completed run continues as a new one."""
        return self.decider_spec.repeat_workflow

    def make_state(self) -> ExecutionState:
        return new_state(self.tasks, domain=self.domain, resolver=self.swf.resolve_payload)

    def make_state_for(self, response: dict[str, Any]) -> ExecutionState:
        """Shard runs (floto's own child runs) take their tasks from their input."""
        if _is_shard(response.get("workflowType")):
            self._shard_runs.add((response.get("workflowExecution") or {}).get("runId", ""))
            return new_state(
                domain=self.domain, tasks_from_input=True, resolver=self.swf.resolve_payload
            )  # a shard's input (its tasks) is stored outside SWF when over its limit
        return self.make_state()

    def prepare(self, history: History) -> None:
        """A rerun reads its earlier run once, to reuse what completed there; a run whose
        graph grew past the event budget moves pending work into shards."""
        if history.state.needs_reuse:
            load_reuse(history.state, self.swf, self.domain, self.tasks or None)
        self.sharder.prepare(history.state)

    def plan(self, history: History) -> Plan:
        return plan(history.state, self.config, started_event_id=history.started_event_id)

    def on_closed(self, history: History, plan: Plan) -> None:
        """Stop after the run closed if the spec says so (a repeating run goes on)."""
        log.info("run %s closed (%s)", history.run_id, plan.closing)
        if _is_shard(history.workflow_type):
            self._shard_runs.discard(history.run_id)
            return  # a shard's parent run goes on: so does the decider
        if plan.closing == "ContinueAsNewWorkflowExecution":
            return
        if self.decider_spec.terminate_decider_after_completion:
            self.terminate_decider = True

    def on_gone(self, workflow_id: str, run_id: str, status: str) -> None:
        """A run closed from outside (terminated, timed out...): stop if the spec says to
        stop after completion (a run continued as new goes on)."""
        if status == "CONTINUED_AS_NEW":
            return
        if run_id in self._shard_runs:
            self._shard_runs.discard(run_id)
            return
        if self.decider_spec.terminate_decider_after_completion:
            log.info("decider stops: run %s closed (%s)", run_id, status)
            self.terminate_decider = True


def _is_shard(workflow_type: dict[str, str] | None) -> bool:
    return (workflow_type or {}).get("name") == wire.SHARD_TYPE[0]


class DynamicDecider(Decider):
    """A Decider whose tasks come with each run: the workflow input's ``activity_tasks``.

    The list holds task dicts (or Task objects encoded by floto's JSONEncoder), decoded only
    through floto's allow-list. A child workflow started by a DynamicDecider finds its tasks
    under ``child_workflow.activity_tasks`` in its input. A run whose input has no valid task
    list is failed with a reason saying so; the decider goes on.

    Args:
        decider_spec: the spec (its ``activity_tasks`` are not used), or its JSON.
        identity, swf, cache_size, page_size: as for :class:`Decider`.
    """

    @staticmethod
    def _check_tasks(spec: DeciderSpec) -> list[Any]:
        return []

    def make_state(self) -> ExecutionState:
        return new_state(
            domain=self.domain, tasks_from_input=True, resolver=self.swf.resolve_payload
        )
