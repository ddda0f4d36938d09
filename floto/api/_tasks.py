"""Decision and activity tasks: polls, responses and heartbeats."""

from __future__ import annotations

import logging
from typing import Any

from floto.api._errors import UnknownResourceError
from floto.api._payload import encode_payload
from floto.errors import FlotoError
from floto.limits import (
    MAX_HEARTBEAT_DETAILS_CHARS,
    MAX_HISTORY_PAGE_SIZE,
    MAX_PAYLOAD_CHARS,
    MAX_REASON_CHARS,
    cut,
    cut_reason,
)

log = logging.getLogger("floto.api")


def _present(**kwargs: Any) -> dict[str, Any]:
    return {key: value for key, value in kwargs.items() if value is not None}


def lost_domain_message(domain: str, endpoint: str, message: str) -> str:
    """What an UnknownResource answer to a poll means, said plainly."""
    return (
        f"domain {domain!r} is unknown to the SWF endpoint {endpoint} ({message}): register "
        "it (Swf().domains.register_domain). If the endpoint is floto's local engine and the "
        "domain was registered before, the engine was restarted and lost its in-memory state "
        "(domains, types and runs; see `floto local --data-dir`)"
    )


class TasksMixin:
    """Task calls of :class:`floto.api.Swf`."""

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def fit_payload(self, text: str, *, what: str = "payload") -> str:  # pragma: no cover
        raise NotImplementedError

    payload_store: Any = None

    def _poll(self, operation: str, domain: str, **kwargs: Any) -> dict[str, Any]:
        """A poll; an UnknownResource answer about the domain says what it means."""
        try:
            return self._call(operation, domain=domain, **kwargs)
        except UnknownResourceError as error:
            if "domain" not in error.message.lower():
                raise
            endpoint = getattr(self, "endpoint_url", "?")
            raise UnknownResourceError(
                lost_domain_message(domain, endpoint, error.message),
                code=error.code,
                operation=error.operation,
            ) from error

    def poll_for_decision_task(
        self,
        domain: str,
        task_list: str,
        *,
        identity: str | None = None,
        next_page_token: str | None = None,
        reverse_order: bool = True,
        page_size: int = MAX_HISTORY_PAGE_SIZE,
    ) -> dict[str, Any]:
        """One page of a decision task, as SWF returns it (``taskToken`` "" on an empty poll).

        Fetch the task's further pages by calling again with the response's
        ``nextPageToken``.
        """
        return self._poll(
            "poll_for_decision_task",
            domain,
            taskList={"name": task_list},
            reverseOrder=reverse_order,
            maximumPageSize=page_size,
            **_present(identity=identity, nextPageToken=next_page_token),
        )

    def respond_decision_task_completed(
        self,
        task_token: str,
        decisions: list[dict[str, Any]],
        execution_context: str | None = None,
    ) -> None:
        """Send a decision task's decisions (SWF's decision dicts)."""
        self._call(
            "respond_decision_task_completed",
            taskToken=task_token,
            decisions=list(decisions),
            **_present(
                executionContext=encode_payload(
                    execution_context, field="execution_context", what="execution context"
                )
            ),
        )

    def poll_for_activity_task(
        self, domain: str, task_list: str, *, identity: str | None = None
    ) -> dict[str, Any]:
        """An activity task, as SWF returns it (its ``taskToken`` is "" on an empty poll)."""
        return self._poll(
            "poll_for_activity_task",
            domain,
            taskList={"name": task_list},
            **_present(identity=identity),
        )

    def respond_activity_task_completed(self, task_token: str, result: Any = None) -> None:
        """Complete an activity task; ``result``: a str as it is, anything else as JSON.

        A result over 32,768 characters goes to the payload store (its reference is sent).

        Raises:
            PayloadTooLargeError: the result is over 32,768 characters and there is no
                payload store, or over the store's cap (nothing is sent).
        """
        text = encode_payload(result, field="result", what="activity result", fit=self.fit_payload)
        self._call("respond_activity_task_completed", taskToken=task_token,
                   **_present(result=text))  # fmt: skip

    def respond_activity_task_failed(
        self, task_token: str, reason: str | None = None, details: str | None = None
    ) -> None:
        """Fail an activity task; ``reason`` is cut to 256 characters. ``details`` over 32,768
        characters go to the payload store if there is one (else they are cut)."""
        self._call(
            "respond_activity_task_failed",
            taskToken=task_token,
            **_present(
                reason=cut_reason(reason, MAX_REASON_CHARS),
                details=self._fit_details(details, "failure details"),
            ),
        )

    def _fit_details(self, details: str | None, what: str) -> str | None:
        """Details as sent: stored when too long and a store is configured, else cut."""
        if details is None or len(details) <= MAX_PAYLOAD_CHARS or self.payload_store is None:
            return cut(details, MAX_PAYLOAD_CHARS)
        try:
            return self.fit_payload(details, what=what)
        except (ValueError, FlotoError) as error:  # over the cap, store down: cut instead
            log.warning("%s not stored (%s); cut to %s characters", what, error,
                        f"{MAX_PAYLOAD_CHARS:,}")  # fmt: skip
            return cut(details, MAX_PAYLOAD_CHARS)

    def respond_activity_task_canceled(self, task_token: str, details: str | None = None) -> None:
        """Report an activity task as canceled (after a heartbeat said cancelRequested)."""
        self._call(
            "respond_activity_task_canceled",
            taskToken=task_token,
            **_present(details=cut(details, MAX_PAYLOAD_CHARS)),
        )

    def record_activity_task_heartbeat(
        self, task_token: str, details: str | None = None
    ) -> dict[str, bool]:
        """Record a heartbeat; returns ``{'cancelRequested': bool}``.

        ``details`` is cut to SWF's 2,048 characters.

        Raises:
            UnknownResourceError: the task is closed (e.g. timed out) or the token is bad.
        """
        response = self._call(
            "record_activity_task_heartbeat",
            taskToken=task_token,
            **_present(details=cut(details, MAX_HEARTBEAT_DETAILS_CHARS)),
        )
        return {"cancelRequested": bool(response.get("cancelRequested", False))}
