"""floto's own endpoints, on the engine's port beside SWF's API: its clock, faults and quotas.

``GET /_floto/clock`` answers ``{"now": <engine time, seconds since the epoch>, "timeSkipping":
<bool>, "skipped": <seconds skipped so far>, "skips": <automatic skips so far>}``.

``POST /_floto/clock/skip`` with ``{"seconds": N}`` moves a time-skipping engine's clock N
seconds ahead, firing what falls due on the way (each at its own due time), and answers as
above plus ``"fired"``: how many timers and timeouts fired. A real-time engine answers 400.

``GET /_floto/faults`` answers the fault injection's settings and counts: ``{"rate": 0.05,
"kinds": [...], "seed": 7, "calls": <SWF calls that could meet a fault>, "injected": {"throttle":
n, ...}}`` (rate 0 when it is off).

``GET /_floto/quotas`` answers the rate quotas' settings and the decisions and calls they
refused: ``{"rateQuotas": true, "scale": 1.0, "rates": {name: {"size", "refill"}}, "refused":
{name: n}, "maxRequestBytes": 1000000}``.

No AWS service has a path starting with ``/_floto/`` (S3 bucket names cannot start with
``_``), so these never shadow moto's own endpoints.
"""

from __future__ import annotations

import json
from typing import Any

from floto.local._clock import CLOCK
from floto.local._faults import FAULTS
from floto.local._quotas import QUOTAS
from floto.local._state import LOCK
from floto.local._timers import SCHEDULER

PREFIX = "/_floto/"


def _state() -> dict[str, Any]:
    return {
        "now": CLOCK.now(),
        "timeSkipping": CLOCK.virtual,
        "skipped": CLOCK.skipped,
        "skips": SCHEDULER.skips,
    }


def _error(status: int, message: str) -> tuple[int, str]:
    return status, json.dumps({"__type": "floto#ClockError", "message": message})


def _seconds(body: bytes) -> Any:
    try:
        params = json.loads(body or b"{}")
    except ValueError as exc:
        raise ValueError(f"body is not JSON: {exc}") from None
    if not isinstance(params, dict) or "seconds" not in params:
        raise ValueError('expected a JSON object {"seconds": N}')
    return params["seconds"]


def answer(method: str, path: str, body: bytes) -> tuple[int, str]:
    """(HTTP status, JSON body) for a request to a ``/_floto/`` path."""
    if path.rstrip("/") == "/_floto/clock":
        if method != "GET":
            return _error(405, "use GET on /_floto/clock")
        with LOCK:
            return 200, json.dumps(_state())
    if path.rstrip("/") == "/_floto/clock/skip":
        if method != "POST":
            return _error(405, 'use POST on /_floto/clock/skip with {"seconds": N}')
        try:
            seconds = _seconds(body)
            with LOCK:
                fired = SCHEDULER.skip(seconds)
                return 200, json.dumps({**_state(), "fired": fired})
        except ValueError as exc:
            return _error(400, str(exc))
    if path.rstrip("/") == "/_floto/faults":
        if method != "GET":
            return _error(405, "use GET on /_floto/faults")
        return 200, json.dumps(FAULTS.figures())
    if path.rstrip("/") == "/_floto/quotas":
        if method != "GET":
            return _error(405, "use GET on /_floto/quotas")
        with LOCK:
            return 200, json.dumps(QUOTAS.figures())
    return _error(404, f"no such floto endpoint: {path} (try GET /_floto/clock)")
