"""Starting, signalling, terminating and describing workflow executions."""

from __future__ import annotations

from typing import Any

from floto.api._payload import encode_payload
from floto.limits import MAX_PAYLOAD_CHARS, MAX_REASON_CHARS, cut, cut_reason


def _timeout(value: int | str | None) -> str | None:
    return None if value is None else str(value)


def _present(**kwargs: Any) -> dict[str, Any]:
    """The keyword arguments that are not None."""
    return {key: value for key, value in kwargs.items() if value is not None}


class ExecutionsMixin:
    """Workflow execution calls of :class:`floto.api.Swf`."""

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def fit_payload(self, text: str, *, what: str = "payload") -> str:  # pragma: no cover
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
        return self._call(
            "start_workflow_execution",
            domain=domain,
            workflowId=workflow_id or f"{workflow_type_name}_{workflow_type_version}",
            workflowType={"name": workflow_type_name, "version": workflow_type_version},
            **_present(
                taskList={"name": task_list} if task_list else None,
                input=encode_payload(
                    input, field="input", what="workflow input", fit=self.fit_payload
                ),
                taskStartToCloseTimeout=_timeout(decision_task_start_to_close_timeout),
                executionStartToCloseTimeout=_timeout(execution_start_to_close_timeout),
                childPolicy=child_policy,
                tagList=list(tag_list) if tag_list is not None else None,
            ),
        )

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
