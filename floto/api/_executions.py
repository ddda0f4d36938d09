"""Starting, signalling, terminating and describing workflow executions."""

from __future__ import annotations

import logging
from typing import Any

from floto import wire
from floto.api._errors import ValidationError, WorkflowAlreadyStartedError
from floto.api._payload import encode_payload
from floto.api._types import seconds_text as _timeout
from floto.limits import MAX_PAYLOAD_CHARS, MAX_REASON_CHARS, cut, cut_reason


def _present(**kwargs: Any) -> dict[str, Any]:
    """The keyword arguments that are not None."""
    return {key: value for key, value in kwargs.items() if value is not None}


log = logging.getLogger("floto.api")

_SAME_INPUT: Any = object()  # rerun_workflow_execution's "the earlier run's input"


class ExecutionsMixin:
    """Workflow execution calls of :class:`floto.api.Swf`."""

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def fit_payload(self, text: str, *, what: str = "payload") -> str:  # pragma: no cover
        raise NotImplementedError

    def store_payload(self, text: str, *, what: str = "payload") -> str:  # pragma: no cover
        raise NotImplementedError

    def start_workflow_execution(
        self,
        *,
        domain: str,
        workflow_type_name: str,
        workflow_type_version: str,
        workflow_id: str | None = None,
        task_list: str | None = None,
        input: Any = None,
        decision_task_start_to_close_timeout: int | str | None = None,
        execution_start_to_close_timeout: int | str | None = None,
        child_policy: str | None = None,
        tag_list: list[str] | None = None,
    ) -> dict[str, Any]:
        """Start a workflow execution; returns SWF's response (with ``runId``).

        ``workflow_id`` defaults to ``<type name>_<type version>``. ``input``: a str is sent
        as it is, anything else as JSON with sorted keys (tasks and specs included).

        An input over SWF's 32,768 characters is stored in the payload store and the run's
        input is its reference (see :class:`floto.api.Swf`'s ``payload_store``).

        Raises:
            PayloadTooLargeError: the input is over 32,768 characters and there is no payload
                store, or over the store's cap (nothing is sent).
            WorkflowAlreadyStartedError: an open execution has this workflow id.
        """
        workflow_id = workflow_id or f"{workflow_type_name}_{workflow_type_version}"
        request = dict(
            domain=domain,
            workflowId=workflow_id,
            workflowType={"name": workflow_type_name, "version": workflow_type_version},
            **_present(
                taskList={"name": task_list} if task_list else None,
                input=encode_payload(
                    input, field="input", what="workflow input", fit=self.fit_payload
                ),
                taskStartToCloseTimeout=_timeout(
                    decision_task_start_to_close_timeout,
                    "decision_task_start_to_close_timeout",
                    "start_workflow_execution",
                ),
                executionStartToCloseTimeout=_timeout(
                    execution_start_to_close_timeout,
                    "execution_start_to_close_timeout",
                    "start_workflow_execution",
                ),
                childPolicy=child_policy,
                tagList=list(tag_list) if tag_list is not None else None,
            ),
        )
        try:
            return self._call("start_workflow_execution", **request)
        except WorkflowAlreadyStartedError as error:
            if error.attempts < 2:
                raise
            # An earlier attempt started the run and its answer was lost (a dropped
            # connection, a 5xx after the fact): that open run is the one this call started.
            info = self.describe_workflow_execution(domain, workflow_id)["executionInfo"]
            log.warning("start of %s: an earlier attempt's answer was lost; its run is %s",
                        workflow_id, info["execution"]["runId"])  # fmt: skip
            return {"runId": info["execution"]["runId"]}

    def signal_workflow_execution(
        self,
        domain: str,
        workflow_id: str,
        signal_name: str,
        input: Any = None,
        run_id: str | None = None,
    ) -> None:
        """Send a signal to an open execution (input encoded as in start_workflow_execution).

        Raises:
            PayloadTooLargeError: as for start_workflow_execution (nothing is sent).
            UnknownResourceError: no open execution with this id.
        """
        self._call(
            "signal_workflow_execution",
            domain=domain,
            workflowId=workflow_id,
            signalName=signal_name,
            **_present(
                input=encode_payload(
                    input, field="input", what="signal input", fit=self.fit_payload
                ),
                runId=run_id,
            ),
        )

    def terminate_workflow_execution(
        self,
        domain: str,
        workflow_id: str,
        run_id: str | None = None,
        reason: str | None = None,
        details: str | None = None,
        child_policy: str | None = None,
    ) -> None:
        """Terminate an execution (the latest run if ``run_id`` is None).

        ``reason`` is cut to 256 characters and ``details`` to 32,768.
        """
        self._call(
            "terminate_workflow_execution",
            domain=domain,
            workflowId=workflow_id,
            **_present(
                runId=run_id,
                reason=cut_reason(reason, MAX_REASON_CHARS),
                details=cut(details, MAX_PAYLOAD_CHARS),
                childPolicy=child_policy,
            ),
        )

    def request_cancel_workflow_execution(
        self, domain: str, workflow_id: str, run_id: str | None = None
    ) -> None:
        """Ask the execution's decider to cancel it (a WorkflowExecutionCancelRequested event)."""
        self._call(
            "request_cancel_workflow_execution",
            domain=domain,
            workflowId=workflow_id,
            **_present(runId=run_id),
        )

    def describe_workflow_execution(
        self, domain: str, workflow_id: str, run_id: str | None = None
    ) -> dict[str, Any]:
        """SWF's description of one run (``executionInfo``, ``openCounts``, ...).

        ``run_id`` None means the latest run of ``workflow_id``.
        """
        if run_id is None:
            run_id = self.latest_run_id(domain, workflow_id)  # type: ignore[attr-defined]
        return self._call(
            "describe_workflow_execution",
            domain=domain,
            execution={"workflowId": workflow_id, "runId": run_id},
        )

    def rerun_workflow_execution(
        self,
        domain: str,
        workflow_id: str,
        run_id: str | None = None,
        *,
        input: Any = _SAME_INPUT,
        new_workflow_id: str | None = None,
    ) -> dict[str, str]:
        """Rerun a closed run from its failure: start a new run of the same workflow type, task
        list, timeouts and tags whose decider reuses every task that completed in the earlier
        run (their recorded results feed their dependents) and runs only the rest.

        The new run's input names the earlier run (nothing is copied: SWF's history of the
        earlier run is the record, so it must still be retained). ``input`` left out means
        the earlier run's input; with another input, the tasks that saw it run again.

        Returns:
            ``{"workflowId": ..., "runId": ...}`` of the new run (the same workflow id unless
            ``new_workflow_id``).

        Raises:
            ValidationError: the run is still open.
            UnknownResourceError: no such run (or SWF no longer keeps it).
        """
        described = self.describe_workflow_execution(domain, workflow_id, run_id)
        info, config = described["executionInfo"], described.get("executionConfiguration", {})
        run_id = info["execution"]["runId"]
        if info.get("executionStatus") != "CLOSED":
            raise ValidationError(
                f"run {workflow_id}/{run_id} is still open: only a closed run can be rerun "
                "(terminate it first)",
                code="ValidationError",
                operation="RerunWorkflowExecution",
            )
        if input is _SAME_INPUT:
            input_text = self._input_text(domain, workflow_id, run_id)
        else:
            input_text = encode_payload(
                input, field="input", what="workflow input", fit=self.fit_payload
            )
        wrapped = wire.rerun_input(input_text, workflow_id, run_id)
        if input_text is not None and len(wrapped) > MAX_PAYLOAD_CHARS:
            # the input itself goes to the payload store, so the wrapper stays readable
            stored = self.store_payload(input_text, what="workflow input")
            wrapped = wire.rerun_input(stored, workflow_id, run_id)
        workflow_type = info["workflowType"]
        new_id = new_workflow_id or workflow_id
        started = self._call(
            "start_workflow_execution",
            domain=domain,
            workflowId=new_id,
            workflowType={"name": workflow_type["name"], "version": workflow_type["version"]},
            input=encode_payload(wrapped, what="rerun input"),
            **_present(
                taskList=config.get("taskList"),
                taskStartToCloseTimeout=config.get("taskStartToCloseTimeout"),
                executionStartToCloseTimeout=config.get("executionStartToCloseTimeout"),
                childPolicy=config.get("childPolicy"),
                taskPriority=config.get("taskPriority"),
                tagList=info.get("tagList") or None,
            ),
        )
        return {"workflowId": new_id, "runId": started["runId"]}

    def _input_text(self, domain: str, workflow_id: str, run_id: str) -> str | None:
        """The input a run started with, as it was (a rerun's own wrapping removed)."""
        first = self._call(
            "get_workflow_execution_history",
            domain=domain,
            execution={"workflowId": workflow_id, "runId": run_id},
            maximumPageSize=1,
            reverseOrder=False,
        )
        events = first.get("events") or [{}]
        started = events[0].get("workflowExecutionStartedEventAttributes") or {}
        return wire.read_rerun_input(started.get("input"))[1]
