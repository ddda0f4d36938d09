"""SWF's rules on values its API model types only as strings: durations, names, task
priorities, tags and the retention period.

Each rule is chosen by the member's shape and, where SWF's documentation of the member says
more (``"NONE"`` not allowed for an execution's start-to-close timeout), by that
documentation as botocore's model carries it, so the rules follow the model rather than a
hand-kept list of members:

- durations in seconds are a whole number of seconds (``"0"`` and up), or ``"NONE"`` where
  the member allows it (``DurationInSecondsOptional`` unless its documentation says "you
  cannot specify a value of NONE"); an execution's start-to-close timeout is at most a year;
- the retention period is ``"NONE"`` or 0 to 90 days;
- names of domains, types (and versions), task lists, and activity, timer and workflow ids do
  not start or end with whitespace, contain ``:``, ``/``, ``|`` or a control character, and
  are not the literal ``arn``;
- task priorities are integers from -2,147,483,648 to 2,147,483,647;
- tags hold only letters, digits, whitespace and ``_ . : / = + - @``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

Rule = Callable[[str], "str | None"]
"""A value's problem (the constraint it breaks, as AWS words it after "Member must"), or None."""

ONE_YEAR = 365 * 24 * 3600
MAX_RETENTION_DAYS = 90
PRIORITY_RANGE = (-(2**31), 2**31 - 1)

_NAME_SHAPES = frozenset({"DomainName", "Name", "Version", "WorkflowId", "ActivityId", "TimerId"})
_TAG_SHAPES = frozenset({"Tag", "ResourceTagKey", "ResourceTagValue"})
_FORBIDDEN = re.compile(r"[:/|\x00-\x1f\x7f-\x9f]")
_TAG = re.compile(r"[\w\s.:/=+\-@]*\Z")
_WHOLE = re.compile(r"[0-9]+\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_NO_NONE = re.compile(r"cannot specify a value of\W{0,8}NONE", re.IGNORECASE)


def _name(value: str) -> str | None:
    if value != value.strip() or _FORBIDDEN.search(value) or value == "arn":
        return (
            "not start or end with whitespace, not contain ':', '/', '|' or a control "
            "character, and not be 'arn'"
        )
    return None


def _tag(value: str) -> str | None:
    if _TAG.match(value):
        return None
    return "contain only letters, digits, whitespace and _ . : / = + - @"


def _priority(value: str) -> str | None:
    low, high = PRIORITY_RANGE
    if _INTEGER.match(value) and low <= int(value) <= high:
        return None
    return f"be an integer from {low} to {high}"


def _retention(value: str) -> str | None:
    if value == "NONE" or (_WHOLE.match(value) and int(value) <= MAX_RETENTION_DAYS):
        return None
    return f'be "NONE" or a whole number of days from 0 to {MAX_RETENTION_DAYS}'


def _duration(none_allowed: bool, most: int | None) -> Rule:
    wanted = "a whole number of seconds" + (' or "NONE"' if none_allowed else "")
    if most is not None:
        wanted += f", at most {most:,} (one year)"

    def check(value: str) -> str | None:
        if value == "NONE" and none_allowed:
            return None
        if _WHOLE.match(value) and (most is None or int(value) <= most):
            return None
        return "be " + wanted + ("" if value != "NONE" else ' ("NONE" is not allowed here)')

    return check


@functools.cache
def rule_for(member: str, shape: str, documentation: str) -> Rule | None:
    """The rule of a member named ``member`` of shape ``shape`` documented as
    ``documentation`` (None: the model's own lengths and enums are all there is)."""
    if shape in _NAME_SHAPES:
        return _name
    if shape in _TAG_SHAPES:
        return _tag
    if shape == "TaskPriority":
        return _priority
    if shape == "DurationInDays":
        return _retention
    if shape.startswith("DurationInSeconds"):
        none_allowed = shape.endswith("Optional") and not _NO_NONE.search(documentation)
        most = ONE_YEAR if member.lower().endswith("executionstarttoclosetimeout") else None
        return _duration(none_allowed, most)
    return None
