"""A domain that indexes its runs, and keeps closed ones only for the configured retention;
activity and workflow types that know when they were registered and deprecated."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from moto.swf.exceptions import (
    SWFClientError,
    SWFUnknownResourceFault,
    SWFWorkflowExecutionAlreadyStartedFault,
)
from moto.swf.models import ActivityType, Domain, WorkflowType

from floto.local._clock import CLOCK
from floto.local._compat import moto_override
from floto.local._oplog import OPLOG
from floto.local._state import CONFIG
from floto.local._tasks import Untracked
from floto.local._timers import SCHEDULER


class LocalDomain(Untracked, Domain):
    """moto's Domain with runs indexed by workflow id (open) and run id (all retained).

    Closed runs are dropped once more than ``CONFIG.retain_closed`` are kept, or once older
    than ``CONFIG.retain_seconds``, so no call's cost grows with the runs ever started.
    """

    moto_uses = ("add_type", "get_type", "to_short_dict")

    @moto_override
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_by_id: dict[str, Any] = {}
        self.runs: dict[str, Any] = {}
        self.closed: OrderedDict[str, Any] = OrderedDict()

    @moto_override
    def add_workflow_execution(self, workflow_execution: Any) -> None:
        if workflow_execution.workflow_id in self.open_by_id:
            raise SWFWorkflowExecutionAlreadyStartedFault()
        self.open_by_id[workflow_execution.workflow_id] = workflow_execution
        self.runs[workflow_execution.run_id] = workflow_execution

    @moto_override
    def get_workflow_execution(
        self,
        workflow_id: str,
        run_id: str | None = None,
        raise_if_none: bool = True,
        raise_if_closed: bool = False,
    ) -> Any:
        if run_id:
            wfe = self.runs.get(run_id)
            if wfe is not None and wfe.workflow_id != workflow_id:
                wfe = None
        else:
            wfe = self.open_by_id.get(workflow_id)
        if raise_if_closed and wfe is not None and not wfe.open:
            wfe = None
        if wfe is None and raise_if_none:
            if run_id:
                raise SWFUnknownResourceFault(
                    "execution", f"WorkflowExecution=[workflowId={workflow_id}, runId={run_id}]"
                )
            raise SWFUnknownResourceFault(f"execution, workflowId = {workflow_id}")
        return wfe

    def forget(self, wfe: Any) -> None:
        """Drop a run that failed to start (see LocalSWFBackend.add_and_start)."""
        workflow_id, run_id = wfe.workflow_id, wfe.run_id
        if self.open_by_id.get(workflow_id) is wfe:
            del self.open_by_id[workflow_id]
        self.runs.pop(run_id, None)

    def on_closed(self, wfe: Any) -> None:
        workflow_id = wfe.workflow_id
        if self.open_by_id.get(workflow_id) is wfe:
            del self.open_by_id[workflow_id]
        self.closed[wfe.run_id] = wfe
        self.prune()
        if CONFIG.retain_seconds is not None:
            SCHEDULER.chore(CLOCK.now() + CONFIG.retain_seconds + 0.01, self.prune)

    def prune(self) -> None:
        """Drop closed runs beyond the retention count or age."""
        oldest = None if CONFIG.retain_seconds is None else CLOCK.now() - CONFIG.retain_seconds
        while self.closed:
            run_id, wfe = next(iter(self.closed.items()))
            too_many = len(self.closed) > CONFIG.retain_closed
            too_old = oldest is not None and (wfe.close_timestamp or 0) <= oldest
            if not (too_many or too_old):
                break
            del self.closed[run_id]
            self.runs.pop(run_id, None)
            OPLOG.changed()


def type_fault(fault: str, found: Any) -> SWFClientError:
    """``fault`` (TypeAlreadyExistsFault...) about type ``found``, named as SWF names it
    (``ActivityType=[name=a, version=1]``, whatever floto's class)."""
    kind = "ActivityType" if found.kind == "activity" else "WorkflowType"
    name = f"{kind}=[name={found.name}, version={found.version}]"
    return SWFClientError(f"com.amazonaws.swf.base.model#{fault}", name)


class _Dated:
    """A type's creation and deprecation dates: the engine's clock when they happened (moto
    answers fixed dates)."""

    moto_uses = ("kind",)  # moto's to_medium_dict reads it (and floto's faults have one too)
    status: str

    def stamp_created(self) -> None:
        self.creation_date = CLOCK.now()
        self.deprecation_date: float | None = None

    def stamp_status(self) -> None:
        self.deprecation_date = CLOCK.now() if self.status == "DEPRECATED" else None

    def dated(self, hsh: dict[str, Any]) -> dict[str, Any]:
        hsh["creationDate"] = self.creation_date
        hsh.pop("deprecationDate", None)
        if self.deprecation_date is not None:
            hsh["deprecationDate"] = self.deprecation_date
        return hsh


class LocalActivityType(_Dated, ActivityType):
    """moto's ActivityType with real dates."""

    @moto_override
    def to_medium_dict(self) -> dict[str, Any]:
        return self.dated(super().to_medium_dict())


class LocalWorkflowType(_Dated, WorkflowType):
    """moto's WorkflowType with real dates."""

    @moto_override
    def to_medium_dict(self) -> dict[str, Any]:
        return self.dated(super().to_medium_dict())


TYPE_CLASSES: dict[str, type[LocalActivityType] | type[LocalWorkflowType]] = {
    "activity": LocalActivityType,
    "workflow": LocalWorkflowType,
}
