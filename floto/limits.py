"""SWF's documented service limits, checked on floto's side before anything reaches SWF, and
the two ways floto fits free text into them.

The local engine enforces the same numbers, so a payload that AWS would refuse is refused
locally first.
"""

MAX_PAYLOAD_CHARS = 32_768
"""Input, result, details and control fields: at most this many characters."""

MAX_REASON_CHARS = 256
"""Failure and termination reasons."""

MAX_ID_CHARS = 256
"""Activity, timer, workflow and marker ids; names and versions."""

MAX_HISTORY_EVENTS = 25_000
"""Events in one execution's history (hard limit; AWS recommends staying under 10,000)."""

EVENT_BUDGET = 20_000
"""Events floto plans a run for: past this projection, work moves into shards (child runs)."""

EVENT_GUARD = MAX_HISTORY_EVENTS - 1_000
"""A run this long is failed by floto, with its reason, before SWF terminates it."""

EVENTS_PER_TASK = 6
"""Events one task costs a run, about: scheduled, started, closed, and its share of decision
tasks (measured: ~3.6 an activity in a 9,000-task fan-out; kept pessimistic)."""

RUN_OVERHEAD_EVENTS = 20
"""Events a run costs besides its tasks: start, markers, the first and last decisions."""

MAX_OPEN_CHILD_WORKFLOWS = 1_000
"""Open child executions of one execution."""

MAX_OPEN_ACTIVITY_TASKS = 1_000
"""Open (scheduled or started) activity tasks of one execution."""

MAX_OPEN_TIMERS = 1_000
"""Open timers of one execution."""

MAX_DECISIONS_PER_RESPONSE = 100
"""Decisions floto sends in one RespondDecisionTaskCompleted (the rest go in the next one)."""

MAX_HISTORY_PAGE_SIZE = 1_000
"""Largest maximumPageSize SWF accepts for history pages."""

LONG_POLL_SECONDS = 60
"""SWF holds an idle poll open this long."""

MAX_HEARTBEAT_DETAILS_CHARS = 2_048
"""RecordActivityTaskHeartbeat details."""

MAX_TIMER_SECONDS = 99_999_999
"""Longest SWF timer and timeout, in seconds (SWF takes at most 8 digits)."""

MAX_JSON_DEPTH = 128
"""Arrays and objects in JSON that floto reads (payloads, specs, files) nest at most this deep:
deeper text is refused with a SpecError instead of ending in a RecursionError."""

MAX_VALUE_DEPTH = 100
"""A value floto sends for a user (a task's input, an activity's result) nests at most this
deep, which leaves floto room under MAX_JSON_DEPTH to wrap it (contexts, specs, results)."""

MAX_DOCUMENT_CHARS = 64 * 1024 * 1024
"""A spec document (a file, stdin, ``DeciderSpec.from_json``) is at most this many characters."""

MAX_JSON_INT_DIGITS = 4_300
"""Integers in JSON that floto reads have at most this many digits (Python's own default)."""

CUT_MARKER = "\n... [cut by floto: {dropped:,} of {total:,} characters dropped]"


def cut(text: str | None, limit: int) -> str | None:
    """``text`` shortened to at most ``limit`` characters, ending with a marker if it was cut."""
    if text is None or len(text) <= limit:
        return text
    marker = CUT_MARKER.format(dropped=len(text) - limit, total=len(text))
    # The marker's own length changes the count of dropped characters only slightly; recompute.
    keep = max(limit - len(marker), 0)
    marker = CUT_MARKER.format(dropped=len(text) - keep, total=len(text))
    keep = max(limit - len(marker), 0)
    return (text[:keep] + marker)[:limit]


def cut_reason(text: str | None, limit: int) -> str | None:
    """A one-line reason cut to ``limit`` characters with a trailing '...'."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 3] + "..."
