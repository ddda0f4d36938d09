"""Snapshots: the engine's whole state as bytes, and back.

The state is the backends (domains, types, runs with their histories, tasks, queues and task
tokens), the heaps of due times, the clock's offset and the settings that change what
operations do. It is pickled run by run: a run refers to another (its parent, its children)
by its place in the list of runs, so a long chain of children never makes the pickle recurse
deeply, and the memo shared by the parts keeps every other shared object shared.
"""

from __future__ import annotations

import contextlib
import gc
import io
import pickle
from collections.abc import Iterator
from typing import Any

from floto.local._backend import BACKENDS, swf_backends
from floto.local._clock import CLOCK
from floto.local._execution import LocalExecution
from floto.local._state import CONFIG
from floto.local._store import FORMAT, READABLE_FORMATS
from floto.local._timers import SCHEDULER

_SEMANTIC = ("max_history_events", "max_open_children", "retain_closed", "retain_seconds")


def settings() -> dict[str, Any]:
    """The settings that change what operations do (a replay must use the same)."""
    out: dict[str, Any] = {name: getattr(CONFIG, name) for name in _SEMANTIC}
    out["time_skipping"] = CLOCK.virtual
    return out


def apply_settings(values: dict[str, Any]) -> None:
    for name in _SEMANTIC:
        setattr(CONFIG, name, values[name])
    CLOCK.virtual = bool(values["time_skipping"])


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The collector would walk the growing heap of new objects again and again (3-5x
    slower loads); nothing here makes garbage cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _all_runs() -> list[LocalExecution]:
    """Every run the domains hold, and the parents they still point to (dropped ones too)."""
    found: dict[int, LocalExecution] = {}
    for backend in BACKENDS:
        for domain in backend.domains_by_name.values():
            for wfe in domain.runs.values():
                while wfe is not None and id(wfe) not in found:
                    found[id(wfe)] = wfe
                    wfe = wfe.parent_wfe
    return list(found.values())


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, places: dict[int, int]) -> None:
        # pickle's own class named, not super(): no moto class is behind this one
        pickle.Pickler.__init__(self, file, protocol=pickle.HIGHEST_PROTOCOL)
        self.places = places

    def persistent_id(self, obj: Any) -> int | None:
        return self.places.get(id(obj)) if isinstance(obj, LocalExecution) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, runs: list[LocalExecution]) -> None:
        pickle.Unpickler.__init__(self, file)
        self.runs = runs

    def persistent_load(self, pid: Any) -> LocalExecution:
        return self.runs[pid]


def capture() -> bytes:
    """The engine's state (the caller holds the engine lock)."""
    runs = _all_runs()
    buf = io.BytesIO()
    pickler = _Pickler(buf, {id(wfe): place for place, wfe in enumerate(runs)})
    with _no_gc():
        pickler.dump({"format": FORMAT, "runs": len(runs)})
        for wfe in runs:
            pickler.dump(wfe.__getstate__())
        backends = [
            (account, region, backend)
            for account, regions in swf_backends.items()
            for region, backend in regions.items()
        ]
        pickler.dump((backends, SCHEDULER.entries(), CLOCK.skipped, settings()))
    return buf.getvalue()


def restore(data: bytes) -> None:
    """Make the state of ``data`` the engine's (at start-up, before anything else).

    Raises:
        ValueError: ``data`` is of another data format.
        Exception: whatever unpickling corrupt bytes raises.
    """
    runs: list[LocalExecution] = []
    unpickler = _Unpickler(io.BytesIO(data), runs)
    with _no_gc():
        head = unpickler.load()
        if not isinstance(head, dict) or head.get("format") not in READABLE_FORMATS:
            raise ValueError(f"a snapshot of another data format ({head!r:.60})")
        runs.extend(LocalExecution.__new__(LocalExecution) for _ in range(head["runs"]))
        for wfe in runs:
            wfe.__setstate__(unpickler.load())
        backends, entries, skipped, values = unpickler.load()
    for account, region, backend in backends:
        swf_backends[account][region] = backend
        BACKENDS.append(backend)
    SCHEDULER.restore(*entries)
    CLOCK.skipped = skipped
    apply_settings(values)
