"""Execution histories (all pages, or lazily page by page) and execution listings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from floto.api._errors import UnknownResourceError, ValidationError
from floto.limits import MAX_HISTORY_PAGE_SIZE

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_STATUSES = ("open", "closed")


class HistoryMixin:
    """History and listing calls of :class:`floto.api.Swf`."""

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def _paged(self, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:  # pragma: no cover
        raise NotImplementedError

    def get_workflow_execution_history(
        self,
        domain: str,
        *,
        workflow_id: str,
        run_id: str | None = None,
        reverse_order: bool = False,
    ) -> list[dict[str, Any]]:
        """Every event of a run (all pages), oldest first unless ``reverse_order``.

        ``run_id`` None means the latest run of ``workflow_id``.
        """
        pages = self.iter_history_pages(
            domain, workflow_id=workflow_id, run_id=run_id, reverse_order=reverse_order
        )
        return [event for page in pages for event in page]

    def iter_history_pages(
        self,
        domain: str,
        *,
        workflow_id: str,
        run_id: str | None,
        reverse_order: bool = True,
        page_size: int = MAX_HISTORY_PAGE_SIZE,
    ) -> Iterator[list[dict[str, Any]]]:
        """Yield a run's events page by page (newest first by default), fetching lazily.

        ``run_id`` None means the latest run of ``workflow_id``.
        """
        _check_page_size(page_size)
        if run_id is None:
            run_id = self.latest_run_id(domain, workflow_id)
        token = None
        while True:
            response = self._call(
                "get_workflow_execution_history",
                domain=domain,
                execution={"workflowId": workflow_id, "runId": run_id},
                maximumPageSize=page_size,
                reverseOrder=reverse_order,
                **({"nextPageToken": token} if token else {}),
            )
            yield response.get("events", [])
            token = response.get("nextPageToken")
            if not token:
                return

    def history_page_reader(
        self,
        domain: str,
        workflow_id: str,
        run_id: str | None = None,
        *,
        page_size: int = 100,
    ) -> Callable[[str | None], dict[str, Any]]:
        """A function that reads one page of a run's history, newest first.

        ``read_page(None)`` returns the newest page, ``read_page(token)`` the page after
        ``token`` (``{"events": [...], "nextPageToken": ...}``): what
        :class:`floto.history.ExecutionFollower` reads a run with. ``run_id`` None means the
        latest run of ``workflow_id``, resolved now.
        """
        _check_page_size(page_size)
        if run_id is None:
            run_id = self.latest_run_id(domain, workflow_id)
        execution = {"workflowId": workflow_id, "runId": run_id}

        def read_page(token: str | None) -> dict[str, Any]:
            return self._call(
                "get_workflow_execution_history",
                domain=domain,
                execution=execution,
                maximumPageSize=page_size,
                reverseOrder=True,
                **({"nextPageToken": token} if token else {}),
            )

        return read_page

    def latest_run_id(self, domain: str, workflow_id: str) -> str:
        """The run id of the open run of ``workflow_id``, else of its latest closed run.

        Raises:
            UnknownResourceError: the domain has no execution with this workflow id.
        """
        for status in _STATUSES:
            infos = self.list_workflow_executions(domain, status=status, workflow_id=workflow_id)
            infos = [i for i in infos if i["execution"]["workflowId"] == workflow_id]
            if infos:
                latest = max(infos, key=lambda info: info["startTimestamp"])
                return latest["execution"]["runId"]
        raise UnknownResourceError(
            f"no execution with workflow id {workflow_id!r} in domain {domain!r}",
            code="UnknownResourceFault",
        )

    def list_workflow_executions(
        self,
        domain: str,
        *,
        status: str = "open",
        workflow_id: str | None = None,
        workflow_type: Any = None,
        tag: str | None = None,
        close_status: str | None = None,
        oldest_start: dt.datetime | None = None,
    ) -> list[dict[str, Any]]:
        """``executionInfos`` of every open or closed execution that matches (all pages).

        SWF allows at most one of ``workflow_id``, ``workflow_type`` (a WorkflowType, a
        ``(name, version)`` pair or a name), ``tag`` and ``close_status`` (closed only).
        """
        operation, kwargs = _list_arguments(
            domain, status, workflow_id, workflow_type, tag, close_status, oldest_start
        )
        return list(self._paged(f"list_{operation}", "executionInfos", **kwargs))

    def count_workflow_executions(
        self,
        domain: str,
        *,
        status: str = "open",
        workflow_id: str | None = None,
        workflow_type: Any = None,
        tag: str | None = None,
        close_status: str | None = None,
        oldest_start: dt.datetime | None = None,
    ) -> int:
        """How many open or closed executions match (same filters as list_workflow_executions)."""
        operation, kwargs = _list_arguments(
            domain, status, workflow_id, workflow_type, tag, close_status, oldest_start
        )
        return int(self._call(f"count_{operation}", **kwargs)["count"])


def _check_page_size(page_size: int) -> None:
    if not isinstance(page_size, int) or not 1 <= page_size <= MAX_HISTORY_PAGE_SIZE:
        raise ValidationError(
            f"page_size must be an int from 1 to {MAX_HISTORY_PAGE_SIZE}, got {page_size!r}",
            code="ValidationError",
        )


def _type_filter(workflow_type: Any) -> dict[str, str]:
    if isinstance(workflow_type, str):
        return {"name": workflow_type}
    if isinstance(workflow_type, tuple | list) and len(workflow_type) == 2:
        return {"name": workflow_type[0], "version": workflow_type[1]}
    if isinstance(workflow_type, dict) and "name" in workflow_type:
        return dict(workflow_type)
    if hasattr(workflow_type, "name") and hasattr(workflow_type, "version"):
        return {"name": workflow_type.name, "version": workflow_type.version}
    raise ValidationError(
        "workflow_type must be a WorkflowType, a (name, version) pair or a name, "
        f"got {workflow_type!r}",
        code="ValidationError",
    )


def _list_arguments(
    domain: str,
    status: str,
    workflow_id: str | None,
    workflow_type: Any,
    tag: str | None,
    close_status: str | None,
    oldest_start: dt.datetime | None,
) -> tuple[str, dict[str, Any]]:
    if status not in _STATUSES:
        raise ValidationError(
            f"status must be 'open' or 'closed', got {status!r}", code="ValidationError"
        )
    if close_status is not None and status != "closed":
        raise ValidationError("close_status needs status='closed'", code="ValidationError")
    filters = {
        "executionFilter": {"workflowId": workflow_id} if workflow_id is not None else None,
        "typeFilter": _type_filter(workflow_type) if workflow_type is not None else None,
        "tagFilter": {"tag": tag} if tag is not None else None,
        "closeStatusFilter": {"status": close_status} if close_status is not None else None,
    }
    given = {key: value for key, value in filters.items() if value is not None}
    if len(given) > 1:
        raise ValidationError(
            "SWF allows only one of workflow_id, workflow_type, tag and close_status per "
            "listing; got " + ", ".join(sorted(given)),
            code="ValidationError",
        )
    kwargs = {
        "domain": domain,
        "startTimeFilter": {"oldestDate": oldest_start or _EPOCH},
        **given,
    }
    return f"{status}_workflow_executions", kwargs
