"""Runs that reach other runs: child workflows, external signals and cancellations, and
ContinueAsNew."""

from __future__ import annotations

from typing import Any, cast

from floto.local._clock import CLOCK
from floto.local._domain import LocalDomain
from floto.local._events import type_dict
from floto.local._execution import ChildLink, LocalExecution
from floto.local._quotas import QUOTAS, account_of
from floto.local._state import CONFIG


def _settings(
    wfe: LocalExecution, wtype: Any, attrs: dict[str, Any], inherit: bool
) -> tuple[dict[str, Any], str | None]:
    """Resolved run settings (attribute, else the type's default, else the current run's when
    ``inherit``) and the cause of failure if one is missing."""
    wanted = (
        (
            "executionStartToCloseTimeout",
            "default_execution_start_to_close_timeout",
            "execution_start_to_close_timeout",
            "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        ("taskList", "task_list", "task_list", "DEFAULT_TASK_LIST_UNDEFINED"),
        (
            "taskStartToCloseTimeout",
            "default_task_start_to_close_timeout",
            "task_start_to_close_timeout",
            "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        ("childPolicy", "default_child_policy", "child_policy", "DEFAULT_CHILD_POLICY_UNDEFINED"),
    )
    out: dict[str, Any] = {}
    for key, type_attr, run_attr, cause in wanted:
        value = attrs.get(key)
        if key == "taskList":
            value = (value or {}).get("name")
        value = (
            value
            or getattr(wtype, type_attr, None)
            or (getattr(wfe, run_attr) if inherit else None)
        )
        if not value:
            return out, cause
        out[key] = value
    out["taskPriority"] = attrs.get("taskPriority")
    return out, None


def _run_kwargs(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "execution_start_to_close_timeout": settings["executionStartToCloseTimeout"],
        "task_list": settings["taskList"],
        "task_start_to_close_timeout": settings["taskStartToCloseTimeout"],
        "child_policy": settings["childPolicy"],
        "task_priority": settings["taskPriority"],
    }


def start_child(parent: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    """StartChildWorkflowExecution, with the parent's Initiated and Started events."""
    domain, wid = cast(LocalDomain, parent.domain), attrs["workflowId"]
    name, version = attrs["workflowType"]["name"], attrs["workflowType"]["version"]
    wtype = domain.get_type("workflow", name, version, ignore_empty=True)
    settings, cause = (
        ({}, "WORKFLOW_TYPE_DOES_NOT_EXIST")
        if wtype is None
        else (
            ({}, "WORKFLOW_TYPE_DEPRECATED")
            if wtype.status == "DEPRECATED"
            else _settings(parent, wtype, attrs, inherit=False)
        )
    )
    if cause is None and len(parent.children) >= CONFIG.max_open_children:
        cause = "OPEN_CHILDREN_LIMIT_EXCEEDED"
    if cause is None and not _rate_allows(parent, "StartChildWorkflowExecution"):
        cause = "CHILD_CREATION_RATE_EXCEEDED"
    failed = {
        "workflowType": {"name": name, "version": version},
        "workflowId": wid,
        "decisionTaskCompletedEventId": completed_id,
        "control": attrs.get("control"),
    }
    if cause is not None:
        parent.add("StartChildWorkflowExecutionFailed", cause=cause, initiatedEventId=0, **failed)
        return False
    init = parent.add(
        "StartChildWorkflowExecutionInitiated",
        workflowId=wid,
        workflowType=type_dict(wtype),
        control=attrs.get("control"),
        input=attrs.get("input"),
        executionStartToCloseTimeout=settings["executionStartToCloseTimeout"],
        taskList={"name": settings["taskList"]},
        taskPriority=settings["taskPriority"],
        decisionTaskCompletedEventId=completed_id,
        childPolicy=settings["childPolicy"],
        taskStartToCloseTimeout=settings["taskStartToCloseTimeout"],
        tagList=attrs.get("tagList"),
    )
    if wid in domain.open_by_id:
        parent.add(
            "StartChildWorkflowExecutionFailed",
            cause="WORKFLOW_ALREADY_RUNNING",
            initiatedEventId=init.event_id,
            **failed,
        )
        return False
    child = LocalExecution(
        domain,
        wtype,
        wid,
        backend=parent.backend,
        parent=parent,
        parent_initiated_event_id=init.event_id,
        workflow_input=attrs.get("input"),
        tag_list=attrs.get("tagList"),
        **_run_kwargs(settings),
    )
    parent.backend.add_and_start(domain, child)
    started = parent.add(
        "ChildWorkflowExecutionStarted",
        workflowExecution=child.to_short_dict(),
        workflowType=type_dict(wtype),
        initiatedEventId=init.event_id,
    )
    parent.children[wid] = ChildLink(child, init.event_id, started.event_id)
    parent.needs_decision()
    return True


def _rate_allows(wfe: LocalExecution, decision: str) -> bool:
    """A token of SWF's account-level rate quota of ``decision``."""
    return QUOTAS.take([(f"account:{decision}", account_of(wfe.domain))], CLOCK.now())


def _target(wfe: LocalExecution, attrs: dict[str, Any]) -> LocalExecution | None:
    domain = cast(LocalDomain, wfe.domain)
    run_id = attrs.get("runId")
    if run_id:
        target = domain.runs.get(run_id)
        ok = target is not None and target.workflow_id == attrs["workflowId"] and target.open
        return target if ok else None
    return domain.open_by_id.get(attrs["workflowId"])


def signal_external(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    common = {
        "workflowId": attrs["workflowId"],
        "runId": attrs.get("runId"),
        "decisionTaskCompletedEventId": completed_id,
        "control": attrs.get("control"),
    }
    init = wfe.add(
        "SignalExternalWorkflowExecutionInitiated",
        signalName=attrs["signalName"],
        input=attrs.get("input"),
        **common,
    )
    target = _target(wfe, attrs)
    cause = None if target is not None else "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    if cause is None and not _rate_allows(wfe, "SignalExternalWorkflowExecution"):
        cause = "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_RATE_EXCEEDED"
    if cause is not None or target is None:
        wfe.add(
            "SignalExternalWorkflowExecutionFailed",
            initiatedEventId=init.event_id,
            cause=cause,
            **common,
        )
        return False
    target.signal(
        attrs["signalName"],
        attrs.get("input"),
        external=wfe.to_short_dict(),
        external_initiated_event_id=init.event_id,
    )
    wfe.add(
        "ExternalWorkflowExecutionSignaled",
        workflowExecution=target.to_short_dict(),
        initiatedEventId=init.event_id,
    )
    wfe.needs_decision()
    return True


def request_cancel_external(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    common = {
        "workflowId": attrs["workflowId"],
        "runId": attrs.get("runId"),
        "decisionTaskCompletedEventId": completed_id,
        "control": attrs.get("control"),
    }
    init = wfe.add("RequestCancelExternalWorkflowExecutionInitiated", **common)
    target = _target(wfe, attrs)
    cause = None if target is not None else "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    if cause is None and not _rate_allows(wfe, "RequestCancelExternalWorkflowExecution"):
        cause = "REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_RATE_EXCEEDED"
    if cause is not None or target is None:
        wfe.add(
            "RequestCancelExternalWorkflowExecutionFailed",
            initiatedEventId=init.event_id,
            cause=cause,
            **common,
        )
        return False
    target.request_cancel(external=wfe.to_short_dict(), initiated_event_id=init.event_id)
    wfe.add(
        "ExternalWorkflowExecutionCancelRequested",
        workflowExecution=target.to_short_dict(),
        initiatedEventId=init.event_id,
    )
    wfe.needs_decision()
    return True


def continue_as_new(wfe: LocalExecution, completed_id: int, attrs: dict[str, Any]) -> bool:
    """Close this run as CONTINUED_AS_NEW and start the next one under the same id."""
    version = attrs.get("workflowTypeVersion") or wfe.workflow_type.version
    wtype = wfe.domain.get_type("workflow", wfe.workflow_type.name, version, ignore_empty=True)
    cause = None if wtype is not None else "WORKFLOW_TYPE_DOES_NOT_EXIST"
    if wtype is not None and wtype.status == "DEPRECATED":
        cause = "WORKFLOW_TYPE_DEPRECATED"
    settings: dict[str, Any] = {}
    if cause is None:
        settings, cause = _settings(wfe, wtype, attrs, inherit=True)
    if cause is not None:
        wfe.add(
            "ContinueAsNewWorkflowExecutionFailed",
            cause=cause,
            decisionTaskCompletedEventId=completed_id,
        )
        return False
    tags = attrs.get("tagList", wfe.tag_list)
    new = LocalExecution(
        wfe.domain,
        wtype,
        wfe.workflow_id,
        backend=wfe.backend,
        parent=wfe.parent_wfe,
        parent_initiated_event_id=wfe.parent_initiated_event_id,
        continued_run_id=wfe.run_id,
        workflow_input=attrs.get("input"),
        tag_list=tags,
        **_run_kwargs(settings),
    )
    wfe.close(
        "CONTINUED_AS_NEW",
        "WorkflowExecutionContinuedAsNew",
        input=attrs.get("input"),
        decisionTaskCompletedEventId=completed_id,
        newExecutionRunId=new.run_id,
        executionStartToCloseTimeout=settings["executionStartToCloseTimeout"],
        taskList={"name": settings["taskList"]},
        taskPriority=settings["taskPriority"],
        taskStartToCloseTimeout=settings["taskStartToCloseTimeout"],
        childPolicy=settings["childPolicy"],
        tagList=tags or None,
        workflowType=type_dict(wtype),
    )
    parent = wfe.parent_wfe
    if parent is not None and wfe.workflow_id in parent.children:
        parent.children[wfe.workflow_id].child = new
    wfe.backend.add_and_start(wfe.domain, new)
    return True
