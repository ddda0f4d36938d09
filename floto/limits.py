"""SWF's documented service limits, checked on floto's side before anything reaches SWF.

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

MAX_OPEN_CHILD_WORKFLOWS = 1_000
"""Open child executions of one execution."""

MAX_DECISIONS_PER_RESPONSE = 100
"""Decisions floto sends in one RespondDecisionTaskCompleted (the rest go in the next one)."""

MAX_HISTORY_PAGE_SIZE = 1_000
"""Largest maximumPageSize SWF accepts for history pages."""

LONG_POLL_SECONDS = 60
"""SWF holds an idle poll open this long."""
