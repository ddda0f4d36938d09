"""floto's local SWF engine: moto's SWF backend plus floto's extension, in its own process.

Start one from Python with :class:`LocalEngine` (or :func:`ensure_engine`), or from a shell
with ``floto local``. See docs/local-engine.md for what it does and where it still differs
from SWF.

Layers, lowest first. A module imports only from layers below its own, never from its own
layer or above (tests/local/test_engine_layers.py checks every import, wherever it is); a
lower layer that must reach a higher one is handed what it needs (a run gets its backend as
``backend``; the ticker gets the backend's idle probe when time skipping is on):

1. _state, _clock, _compat, _limits, _paging, _faults, _store -- lock, settings, clock, moto
   contract, checks, fault injection; the data dir's file
2. _oplog -- operations: each state change at one instant, with its ids, for the journal
3. _events, _timers, _queues, _quotas -- history events; the heaps of due times and the ticker
   (time skipping); task queues and their long polls; SWF's rate quotas
4. _tasks, _options -- moto's decision and activity task classes, extended; EngineOptions,
   every setting of an engine declared once
5. _execution, _domain -- the run model: history, its one decision task, closing, parent and
   children; the domain that indexes runs and drops closed ones
6. _activities, _children -- what decisions and calls do to activities and to other runs
7. _decisions -- RespondDecisionTaskCompleted: validation, then each decision's handler
8. _backend, _queries -- the backend: queues, long polls, task tokens; list filters
9. _responses, _control, _snapshot -- the SWF response layer; floto's own endpoints (clock,
   faults, quotas); the engine's state as bytes and back
10. _persist -- the data dir: journal of operations, snapshots, restore at start-up
11. _server -- the launcher: HTTP server, start-up check, where faults are applied
12. _cli, _engine -- the command line; the client side (the engine's process, attaching)
13. testing, __main__ -- pytest fixtures; ``python -m floto.local``

floto.local imports nothing else of floto but floto.errors and floto.limits.
"""

from floto.local._engine import (
    EndpointURLError,
    EngineClockError,
    EngineStartError,
    LocalEngine,
    ensure_engine,
    is_reachable,
)
from floto.local._options import EngineOptions


def main(argv: list[str] | None = None) -> int:
    """``floto local``: run the engine in the foreground (moto is imported only then)."""
    from floto.local._cli import main as run_engine

    return run_engine(argv)


__all__ = [
    "EndpointURLError",
    "EngineClockError",
    "EngineOptions",
    "EngineStartError",
    "LocalEngine",
    "ensure_engine",
    "is_reachable",
    "main",
]
