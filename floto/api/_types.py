"""Workflow and activity types as SWF registers them."""

from __future__ import annotations

from typing import Any

from floto.errors import SpecError
from floto.limits import MAX_TIMER_SECONDS

Timeout = int | str | None


def seconds_text(value: Timeout, field: str, owner: str) -> str | None:
    """A timeout as SWF wants it: a string of whole seconds (at most 8 digits), or 'NONE'."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SpecError(
            f"must be seconds as int or str, or 'NONE'; got {value!r:.60}", path=owner, field=field
        )
    text = str(value).strip()
    if text.upper() == "NONE":
        return "NONE"
    # isascii: "²" and other Unicode digits pass isdigit() but are no number for int()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_TIMER_SECONDS:
        raise SpecError(
            f"must be whole seconds from 0 to {MAX_TIMER_SECONDS:,}, or 'NONE'; got {value!r:.60}",
            path=owner,
            field=field,
        )
    return str(int(text))


def _priority(value: int | str | None, owner: str) -> str | None:
    """A task priority as SWF wants it: the text of a 32-bit signed integer."""
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, int | str) else ""
    digits = text.removeprefix("-").removeprefix("+")
    valid = not isinstance(value, bool) and digits.isascii() and digits.isdigit()
    if not valid or not -(2**31) <= int(text) < 2**31:
        raise SpecError(
            f"must be a whole number from {-(2**31):,} to {2**31 - 1:,}; got {value!r:.60}",
            path=owner,
            field="default_task_priority",
        )
    return str(int(text))


def _text(value: Any, field: str, owner: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise SpecError(f"must be a non-empty string, got {value!r}", path=owner, field=field)
    return value


def _add_seconds(a: str, b: str) -> str:
    return "NONE" if "NONE" in (a, b) else str(min(int(a) + int(b), MAX_TIMER_SECONDS))


class _SwfType:
    """Fields common to workflow and activity types."""

    def __init__(
        self,
        *,
        domain: str,
        name: str,
        version: str,
        description: str | None,
        default_task_list: str | None,
        default_task_start_to_close_timeout: Timeout,
        default_task_priority: int | str | None,
    ) -> None:
        owner = type(self).__name__
        self.domain = _text(domain, "domain", owner)
        self.name = _text(name, "name", owner)
        self.version = _text(version, "version", owner)
        self.description = _text(description, "description", owner, required=False)
        self.default_task_list = _text(
            default_task_list, "default_task_list", owner, required=False
        )
        self.default_task_start_to_close_timeout = seconds_text(
            "21600"
            if default_task_start_to_close_timeout is None
            else default_task_start_to_close_timeout,
            "default_task_start_to_close_timeout",
            owner,
        )
        self.default_task_priority = _priority(default_task_priority, owner)

    def _common_attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "domain": self.domain,
            "name": self.name,
            "version": self.version,
        }
        optional = {
            "description": self.description,
            "defaultTaskList": {"name": self.default_task_list} if self.default_task_list else None,
            "defaultTaskStartToCloseTimeout": self.default_task_start_to_close_timeout,
            "defaultTaskPriority": self.default_task_priority,
        }
        attributes.update({key: value for key, value in optional.items() if value is not None})
        return attributes

    def __repr__(self) -> str:
        return f"{type(self).__name__}(domain={self.domain!r}, name={self.name!r}, " + (
            f"version={self.version!r})"
        )

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.swf_attributes == self.swf_attributes  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.domain, self.name, self.version))


class WorkflowType(_SwfType):
    """A workflow type to register with :meth:`floto.api.Swf.register_workflow_type`.

    Timeouts are seconds (int or str) or ``'NONE'``; the defaults are those of the original
    floto: 6 hours per decision task, 24 hours per execution, child policy TERMINATE.
    """

    def __init__(
        self,
        *,
        domain: str,
        name: str,
        version: str,
        description: str | None = None,
        default_task_list: str | None = "default",
        default_task_start_to_close_timeout: Timeout = None,
        default_task_priority: int | str | None = "0",
        default_child_policy: str | None = "TERMINATE",
        default_execution_start_to_close_timeout: Timeout = None,
        default_lambda_role: str | None = None,
    ) -> None:
        super().__init__(
            domain=domain,
            name=name,
            version=version,
            description=description,
            default_task_list=default_task_list,
            default_task_start_to_close_timeout=default_task_start_to_close_timeout,
            default_task_priority=default_task_priority,
        )
        self.default_child_policy = default_child_policy
        self.default_execution_start_to_close_timeout = seconds_text(
            "86400"
            if default_execution_start_to_close_timeout is None
            else default_execution_start_to_close_timeout,
            "default_execution_start_to_close_timeout",
            "WorkflowType",
        )
        self.default_lambda_role = default_lambda_role

    @property
    def swf_attributes(self) -> dict[str, Any]:
        """Keyword arguments of SWF's RegisterWorkflowType (None values left out)."""
        attributes = self._common_attributes()
        optional = {
            "defaultChildPolicy": self.default_child_policy,
            "defaultExecutionStartToCloseTimeout": self.default_execution_start_to_close_timeout,
            "defaultLambdaRole": self.default_lambda_role,
        }
        attributes.update({key: value for key, value in optional.items() if value is not None})
        return attributes


class ActivityType(_SwfType):
    """An activity type to register with :meth:`floto.api.Swf.register_activity_type`.

    Timeouts are seconds (int or str) or ``'NONE'``. Defaults: start-to-close 6 hours;
    heartbeat = start-to-close; schedule-to-start 1 hour; schedule-to-close = schedule-to-start
    + start-to-close (``'NONE'`` if either is ``'NONE'``).
    """

    def __init__(
        self,
        *,
        domain: str,
        name: str,
        version: str,
        description: str | None = None,
        default_task_list: str | None = "default",
        default_task_start_to_close_timeout: Timeout = None,
        default_task_priority: int | str | None = "0",
        default_task_heartbeat_timeout: Timeout = None,
        default_task_schedule_to_start_timeout: Timeout = None,
        default_task_schedule_to_close_timeout: Timeout = None,
    ) -> None:
        super().__init__(
            domain=domain,
            name=name,
            version=version,
            description=description,
            default_task_list=default_task_list,
            default_task_start_to_close_timeout=default_task_start_to_close_timeout,
            default_task_priority=default_task_priority,
        )
        start_to_close = self.default_task_start_to_close_timeout
        assert start_to_close is not None  # _SwfType gives it a default
        owner = "ActivityType"
        self.default_task_heartbeat_timeout = (
            seconds_text(default_task_heartbeat_timeout, "default_task_heartbeat_timeout", owner)
            or start_to_close
        )
        self.default_task_schedule_to_start_timeout = (
            seconds_text(
                default_task_schedule_to_start_timeout,
                "default_task_schedule_to_start_timeout",
                owner,
            )
            or "3600"
        )
        self.default_task_schedule_to_close_timeout = seconds_text(
            default_task_schedule_to_close_timeout, "default_task_schedule_to_close_timeout", owner
        ) or _add_seconds(self.default_task_schedule_to_start_timeout, start_to_close)

    @property
    def swf_attributes(self) -> dict[str, Any]:
        """Keyword arguments of SWF's RegisterActivityType (None values left out)."""
        attributes = self._common_attributes()
        attributes.update(
            {
                "defaultTaskHeartbeatTimeout": self.default_task_heartbeat_timeout,
                "defaultTaskScheduleToStartTimeout": self.default_task_schedule_to_start_timeout,
                "defaultTaskScheduleToCloseTimeout": self.default_task_schedule_to_close_timeout,
            }
        )
        return attributes
