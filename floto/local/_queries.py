"""List and count executions with SWF's filters: time, id, type, tag and close status."""

from __future__ import annotations

from typing import Any

from moto.swf.exceptions import SWFValidationException

_EXCLUSIVE = ("executionFilter", "typeFilter", "tagFilter", "closeStatusFilter")


def _check_filters(params: dict[str, Any], closed: bool) -> None:
    given = [key for key in _EXCLUSIVE if params.get(key)]
    if len(given) > 1:
        raise SWFValidationException(
            "Cannot specify more than one exclusive filters in the same query: " + ", ".join(given)
        )
    if params.get("startTimeFilter") and params.get("closeTimeFilter"):
        raise SWFValidationException("Cannot specify both a startTimeFilter and a closeTimeFilter")
    if closed and not (params.get("startTimeFilter") or params.get("closeTimeFilter")):
        raise SWFValidationException("Must specify time filter")


def _in_window(stamp: float | None, window: dict[str, Any] | None) -> bool:
    if not window:
        return True
    if stamp is None:
        return False
    oldest, latest = window.get("oldestDate"), window.get("latestDate")
    if oldest is not None and stamp < float(oldest):
        return False
    return latest is None or stamp <= float(latest)


def _matches(wfe: Any, params: dict[str, Any]) -> bool:
    if not _in_window(wfe.start_timestamp, params.get("startTimeFilter")):
        return False
    if not _in_window(wfe.close_timestamp, params.get("closeTimeFilter")):
        return False
    execution = params.get("executionFilter")
    if execution and wfe.workflow_id != execution.get("workflowId"):
        return False
    wtype = params.get("typeFilter")
    if wtype and (
        wfe.workflow_type.name != wtype.get("name")
        or (wtype.get("version") and wfe.workflow_type.version != wtype["version"])
    ):
        return False
    tag = params.get("tagFilter")
    if tag and tag.get("tag") not in (wfe.tag_list or []):
        return False
    status = params.get("closeStatusFilter")
    return not (status and wfe.close_status != status.get("status"))


def matching(domain: Any, params: dict[str, Any], closed: bool) -> list[Any]:
    """The runs that pass every filter, newest first (oldest first with reverseOrder)."""
    _check_filters(params, closed)
    pool = domain.closed.values() if closed else domain.open_by_id.values()
    found = [wfe for wfe in pool if _matches(wfe, params)]
    by_close = closed and bool(params.get("closeTimeFilter"))
    found.sort(
        key=lambda w: (w.close_timestamp if by_close else w.start_timestamp) or 0,
        reverse=not params.get("reverseOrder"),
    )
    return found
