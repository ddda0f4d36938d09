"""History pages (and activity tasks) without botocore's per-event parsing.

botocore turns every answer into Python by walking the operation's output shape member by
member; for a history page of 1,000 events that walk is most of a cold decider's CPU (71% at
14,000 events). SWF's history events are plain JSON whose only non-JSON member is
``eventTimestamp`` (epoch seconds), so floto reads ``events`` of ``PollForDecisionTask`` and
``GetWorkflowExecutionHistory`` answers with ``json.loads`` and converts the timestamps as
botocore would (aware datetimes in the local zone, see :func:`_timestamp`); every other
member is plain JSON already. Error answers are botocore's to parse, as before.
``PollForActivityTask`` answers (strings and numbers only) are read the same way: a worker's
every poll saves botocore's walk.

Hooked on botocore's ``before-parse`` event: the handler parses the body and hands botocore
an empty one; botocore merges what the handler parsed into its answer (its response
metadata stays botocore's).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from botocore.utils import get_tzinfo_options

OPERATIONS = ("PollForDecisionTask", "GetWorkflowExecutionHistory", "PollForActivityTask")
_LOCAL = get_tzinfo_options()[0]()  # the zone botocore gives its timestamps


_ZONES: dict[int, dt.timezone] = {}  # the local zone's offset per quarter hour
_QUARTER = 900


def _zone(seconds: float) -> dt.timezone:
    """The local zone's offset at ``seconds`` as a fixed zone (zones change on quarter
    hours); making botocore's ``tzlocal`` datetime for each event costs 13 µs, this 0.3."""
    quarter = int(seconds // _QUARTER)
    zone = _ZONES.get(quarter)
    if zone is None:
        offset = dt.datetime.fromtimestamp(quarter * _QUARTER, _LOCAL).utcoffset()
        zone = _ZONES[quarter] = dt.timezone(offset or dt.timedelta(0))
        if len(_ZONES) > 100_000:  # a history spans a few quarters; bound a long process's cache
            _ZONES.clear()
    return zone


def _timestamp(value: Any) -> Any:
    """An epoch timestamp as an aware datetime: the instant, wall time and offset botocore
    gives (its zone object is a fixed offset rather than ``tzlocal()``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, _zone(value))
        except (OverflowError, OSError, ValueError):
            return value  # NaN or out of range: left to floto.history, which reads numbers
    return value


def _take_events(response_dict: dict[str, Any], customized_response_dict: dict[str, Any],
                 **_: Any) -> None:  # fmt: skip
    """Parse a history answer here and hand botocore an empty body (every member of these
    answers but ``eventTimestamp`` is a JSON string, number or object of strings, which
    botocore's shape walk would return unchanged)."""
    if response_dict.get("status_code", 500) >= 300:
        return
    body = response_dict.get("body")
    if not body:
        return
    try:
        document = json.loads(body)
    except ValueError:
        return  # botocore reports it as it would
    if not isinstance(document, dict):
        return
    events = document.get("events")
    if events is not None and not isinstance(events, list):
        return
    for event in events or ():
        if isinstance(event, dict) and "eventTimestamp" in event:
            event["eventTimestamp"] = _timestamp(event["eventTimestamp"])
    response_dict["body"] = b"{}"
    customized_response_dict.update(document)


def install(client: Any) -> None:
    """Read history events of ``client``'s answers with :func:`_take_events` (idempotent)."""
    service = client.meta.service_model.service_id.hyphenize()
    for operation in OPERATIONS:
        client.meta.events.register(
            f"before-parse.{service}.{operation}", _take_events, unique_id=f"floto-{operation}"
        )
