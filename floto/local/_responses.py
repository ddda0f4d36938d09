"""The SWF response layer: moto's ``SWFResponse`` with floto's extension behind it.

Requests arrive already parsed (see ``_server``); each runs with the engine lock held, after
the request has been validated against SWF's API model, as one operation (floto.local._oplog):
a poll waits for a task first, and the operation is its hand-out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.swf.exceptions import SWFUnknownResourceFault
from moto.swf.responses import SWFResponse

from floto.local import _limits, _paging, _queries
from floto.local._backend import LocalSWFBackend, swf_backends
from floto.local._clock import CLOCK
from floto.local._compat import moto_override
from floto.local._oplog import OPLOG
from floto.local._quotas import check_call
from floto.local._state import LOCK

_EMPTY_DECISION = json.dumps({"taskToken": "", "previousStartedEventId": 0, "startedEventId": 0})
_EMPTY_ACTIVITY = json.dumps({"taskToken": "", "startedEventId": 0})
"""What SWF answers a poll that found no task: a task whose token is the empty string."""
_POLLS = {"PollForDecisionTask": "decision", "PollForActivityTask": "activity"}
_READS = ("Describe", "List", "Count", "Get", "Poll")
"""Actions that change nothing unless they say so (a poll that hands out a task records an
event; a list of closed runs may drop old ones)."""


class LocalSWFResponse(SWFResponse):
    """Answers one SWF request against floto's backend."""

    @moto_override
    def __init__(self, params: dict[str, Any], region: str, account: str) -> None:
        super().__init__()
        self._parsed = params
        self.region = region
        self.current_account = account

    @property
    @moto_override
    def _params(self) -> Any:
        return self._parsed

    @property
    @moto_override
    def swf_backend(self) -> LocalSWFBackend:
        return swf_backends[self.current_account][self.region]

    @classmethod
    def handler_of(cls, action: str) -> Callable[[LocalSWFResponse], str | None] | None:
        """The method answering ``action`` (``PollForDecisionTask``...), floto's or moto's."""
        if action.startswith("_"):
            return None
        return getattr(cls, _snake(action), None)

    def answer(self, action: str) -> str:
        """Validate, then run the handler of ``action``."""
        _limits.validate_request(action, self._parsed)
        if self.handler_of(action) is None:
            raise NotImplementedError(action)
        with LOCK:
            kind = _POLLS.get(action)
            if kind is not None and not self._params.get("nextPageToken"):
                params = self._params
                self.swf_backend.wait_for_task(params["domain"], kind, params["taskList"]["name"])
            return self.run(action)

    def run(self, action: str) -> str:
        """Carry out ``action`` as one operation (the caller holds the engine lock; a poll has
        waited for its task already): also how a journal replays it."""
        handler = self.handler_of(action)
        assert handler is not None
        payload = (action, self.region, self.current_account, self._parsed)
        with OPLOG.operation("call", payload, read_only=action.startswith(_READS)) as op:
            op.result = handler(self) or ""
            return op.result

    # histories -------------------------------------------------------------------------
    @moto_override
    def get_workflow_execution_history(self) -> str:
        execution = self._params["execution"]
        wfe = self.swf_backend.describe_workflow_execution(
            self._params["domain"], execution["runId"], execution["workflowId"]
        )
        check_call("GetWorkflowExecutionHistory", wfe.run_id, CLOCK.now())
        token = self._params.get("nextPageToken")
        if token:
            cursor = _paging.HistoryCursor.from_token(token)
        else:
            reverse = bool(self._params.get("reverseOrder"))
            hi = len(wfe.events_list) if reverse else None
            cursor = _paging.HistoryCursor(wfe.run_id, 0, hi, reverse)
        body, next_token = _paging.history_page(
            wfe.events_list, cursor, _paging.page_size(self._params)
        )
        return _with_events({"nextPageToken": next_token}, body)

    @moto_override
    def poll_for_decision_task(self) -> str:
        params = self._params
        token = params.get("nextPageToken")
        if token:
            return self._next_decision_page(_paging.HistoryCursor.from_token(token))
        dt = self.swf_backend.poll_for_decision_task(
            params["domain"], params["taskList"]["name"], identity=params.get("identity")
        )
        if dt is None:
            return _EMPTY_DECISION
        lo = 0
        if params.get("startAtPreviousStartedEvent") and dt.previous_started_event_id:
            lo = dt.previous_started_event_id - 1
        cursor = _paging.HistoryCursor(
            dt.workflow_execution.run_id,
            lo,
            dt.started_event_id,
            bool(params.get("reverseOrder")),
            0,
            dt.task_token,
        )
        return self._decision_page(dt, cursor)

    def _next_decision_page(self, cursor: _paging.HistoryCursor) -> str:
        dt = self.swf_backend.tokens.get(cursor.task_token or "")
        if dt is None:
            raise SWFUnknownResourceFault("decision task, or it is no longer open")
        return self._decision_page(dt, cursor)

    def _decision_page(self, dt: Any, cursor: _paging.HistoryCursor) -> str:
        body, next_token = _paging.history_page(
            dt.workflow_execution.events_list, cursor, _paging.page_size(self._params)
        )
        head = dt.response_head()
        head["nextPageToken"] = next_token
        return _with_events(head, body)

    # activity tasks --------------------------------------------------------------------
    @moto_override
    def poll_for_activity_task(self) -> str:
        params = self._params
        task = self.swf_backend.poll_for_activity_task(
            params["domain"], params["taskList"]["name"], identity=params.get("identity")
        )
        return _EMPTY_ACTIVITY if task is None else json.dumps(task.to_full_dict())

    @moto_override
    def record_activity_task_heartbeat(self) -> str:
        cancel = self.swf_backend.record_activity_task_heartbeat(
            self._params["taskToken"], details=self._params.get("details")
        )
        return json.dumps({"cancelRequested": cancel})

    def respond_activity_task_canceled(self) -> str:
        self.swf_backend.respond_activity_task_canceled(
            self._params["taskToken"], details=self._params.get("details")
        )
        return ""

    # runs ------------------------------------------------------------------------------
    @moto_override
    def signal_workflow_execution(self) -> str:
        params = self._params
        self.swf_backend.signal_workflow_execution(
            params["domain"],
            params["signalName"],
            params["workflowId"],
            params.get("input"),
            params.get("runId"),
        )
        return ""

    def request_cancel_workflow_execution(self) -> str:
        params = self._params
        self.swf_backend.request_cancel_workflow_execution(
            params["domain"], params["workflowId"], params.get("runId")
        )
        return ""

    @moto_override
    def start_workflow_execution(self) -> str:
        params = self._params
        wfe = self.swf_backend.start_workflow_execution(
            params["domain"],
            params["workflowId"],
            params["workflowType"]["name"],
            params["workflowType"]["version"],
            task_list=(params.get("taskList") or {}).get("name"),
            child_policy=params.get("childPolicy"),
            execution_start_to_close_timeout=params.get("executionStartToCloseTimeout"),
            workflow_input=params.get("input"),
            tag_list=params.get("tagList"),
            task_start_to_close_timeout=params.get("taskStartToCloseTimeout"),
            task_priority=params.get("taskPriority"),
        )
        return json.dumps({"runId": wfe.run_id})

    # tags of domains -------------------------------------------------------------------
    @moto_override
    def tag_resource(self) -> str:
        arn = self._params["resourceArn"]
        self.swf_backend.domain_of_arn(arn)
        tags = {tag["key"]: tag.get("value", "") for tag in self._params["tags"]}
        self.swf_backend.tag_resource(arn, tags)
        return ""

    @moto_override
    def untag_resource(self) -> str:
        self.swf_backend.domain_of_arn(self._params["resourceArn"])
        return str(super().untag_resource())

    @moto_override
    def list_tags_for_resource(self) -> str:
        self.swf_backend.domain_of_arn(self._params["resourceArn"])
        return str(super().list_tags_for_resource())

    # types -----------------------------------------------------------------------------
    def delete_activity_type(self) -> str:
        params = self._params
        kind = params["activityType"]
        self.swf_backend.delete_type("activity", params["domain"], kind["name"], kind["version"])
        return ""

    def delete_workflow_type(self) -> str:
        params = self._params
        kind = params["workflowType"]
        self.swf_backend.delete_type("workflow", params["domain"], kind["name"], kind["version"])
        return ""

    # lists and counts ------------------------------------------------------------------
    def _matching(self, closed: bool) -> list[Any]:
        domain = self.swf_backend._get_domain(self._params["domain"])
        if closed:
            domain.prune()
        return _queries.matching(domain, self._params, closed)

    def _list(self, closed: bool) -> str:
        page, token = _paging.list_page(self._matching(closed), self._params)
        out: dict[str, Any] = {"executionInfos": [wfe.to_list_dict() for wfe in page]}
        if token:
            out["nextPageToken"] = token
        return json.dumps(out)

    @moto_override
    def list_open_workflow_executions(self) -> str:
        return self._list(closed=False)

    @moto_override
    def list_closed_workflow_executions(self) -> str:
        return self._list(closed=True)

    def count_open_workflow_executions(self) -> str:
        return json.dumps({"count": len(self._matching(False)), "truncated": False})

    def count_closed_workflow_executions(self) -> str:
        return json.dumps({"count": len(self._matching(True)), "truncated": False})


def _with_events(head: dict[str, Any], events_json: str) -> str:
    """``head`` as JSON with the pre-serialised ``events`` array added."""
    head = {k: v for k, v in head.items() if v is not None}
    text = json.dumps(head)
    return text[:-1] + (", " if head else "") + '"events": ' + events_json + "}"


def _snake(action: str) -> str:
    out = [action[0].lower()]
    for char in action[1:]:
        out.append("_" + char.lower() if char.isupper() else char)
    return "".join(out)
