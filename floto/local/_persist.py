"""The data dir (``floto local --data-dir``): the engine's state kept across restarts.

Every change of state is an operation (floto.local._oplog): an SWF request, a firing of due
timers, a skip or jump of the clock. Each one that changed something is appended to a journal
(floto.local._store) with the instant it happened at, the ids it drew and a digest of its
answer, and committed before the client is answered. At start-up the engine loads the last
snapshot and replays the journal after it through its own code, so a restarted engine is the
engine that stopped, down to its task tokens, timestamps and timers; a replay whose answer
differs from the recorded digest is refused. Now and then (and on a clean stop) a snapshot of
the whole state (pickled) replaces the journal.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import time
import zlib
from dataclasses import dataclass
from typing import Any

from floto.local import _snapshot
from floto.local._backend import BACKENDS
from floto.local._oplog import OPLOG, Operation
from floto.local._responses import LocalSWFResponse
from floto.local._snapshot import apply_settings, settings
from floto.local._state import LOCK
from floto.local._store import FORMAT, DataDirError, Store
from floto.local._timers import SCHEDULER

log = logging.getLogger("floto.local")

COMPACT_MIN_ENTRIES = 1_000
"""A snapshot is taken once the journal has this many entries and is as large as the last
snapshot (so the time spent on snapshots stays proportional to the journal written)..."""
COMPACT_MAX_ENTRIES = 20_000
"""...or, whatever their size, this many (replaying them takes a second or two)."""


def _digest(result: str, error: BaseException | None) -> str:
    if error is not None:
        return "!" + type(error).__name__
    return f"{len(result)}:{zlib.crc32(result.encode())}"


@dataclass
class Restored:
    """What a start-up found in the data dir."""

    snapshot_bytes: int = 0
    replayed: int = 0
    seconds: float = 0.0
    runs: int = 0
    open_runs: int = 0

    def summary(self, folder: str) -> str:
        if not (self.snapshot_bytes or self.replayed):
            return f"data dir {folder}: empty; the engine's state is kept there from now on"
        sources = [f"a {self.snapshot_bytes / 1e6:.1f} MB snapshot"] if self.snapshot_bytes else []
        if self.replayed or not sources:
            sources.append(f"{self.replayed} journal entries")
        return (
            f"data dir {folder}: {self.runs} run{'' if self.runs == 1 else 's'} "
            f"({self.open_runs} open) restored from "
            f"{' and '.join(sources)} in {self.seconds:.2f} s"
        )


class Persistence:
    """The engine's data dir, open: restores the state, then records every operation."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.store = Store(folder)
        self.entries = 0  # journal entries since the snapshot
        self.entry_bytes = 0
        self.snapshot_bytes = 0
        self.retry_at = 0  # after a failed snapshot, the next try waits for more entries
        self.closed = False

    # start-up --------------------------------------------------------------------------
    def restore(self) -> Restored:
        """Load the snapshot and replay the journal (the caller holds the engine lock)."""
        began = time.monotonic()
        wanted = settings()
        report = Restored()
        try:
            data = self.store.snapshot()
            if data is not None:
                self._load(data)
                report.snapshot_bytes = self.snapshot_bytes = len(data)
            for seq, text in self.store.journal():
                self._replay(seq, text)
                self.entries += 1
                self.entry_bytes += len(text)
        except sqlite3.Error as exc:
            raise self.store.error(f"corrupt: {exc}") from None
        report.replayed = self.entries
        if data is None and not self.entries:  # a new data dir: it starts with the settings
            self.record_config()
        elif settings() != wanted:  # started with other settings than last time
            apply_settings(wanted)
            self.record_config()
        self._maybe_compact()
        report.seconds = time.monotonic() - began
        runs = [
            wfe for b in BACKENDS for d in b.domains_by_name.values() for wfe in d.runs.values()
        ]
        report.runs, report.open_runs = len(runs), sum(1 for wfe in runs if wfe.open)
        return report

    def _load(self, data: bytes) -> None:
        try:
            _snapshot.restore(data)
        except Exception as exc:
            raise self.store.error(
                f"cannot read the snapshot: {type(exc).__name__}: {exc}"
            ) from None

    def _replay(self, seq: int, text: str) -> None:
        try:
            entry = json.loads(text)
            kind = entry["k"]
            if kind == "config":
                apply_settings(entry["c"])
                return
            with OPLOG.replaying(entry["at"], entry.get("ids", [])) as op:
                digest = _digest(*_run(kind, entry))
                leftover = next(op.replay or iter(()), None)
        except DataDirError:
            raise
        except Exception as exc:
            raise self.store.error(
                f"cannot replay journal entry {seq}: {type(exc).__name__}: {exc}"
            ) from None
        if digest != entry["d"] or leftover is not None:
            what = entry.get("a", kind)
            raise self.store.error(
                f"journal entry {seq} ({what}) replays differently from how it ran: written "
                f"by an engine that behaves otherwise (data format {FORMAT}); start with "
                "another --data-dir, or use the floto that wrote it"
            )

    # recording -------------------------------------------------------------------------
    def record(self, op: Operation) -> None:
        """OPLOG's recorder: make ``op`` durable before it is answered."""
        entry: dict[str, Any] = {"k": op.kind, "at": op.at}
        if op.ids:
            entry["ids"] = op.ids
        if op.kind == "call":
            entry["a"], entry["r"], entry["u"], entry["p"] = op.payload
        elif op.kind in ("skip", "jump"):
            entry["v"] = op.payload
        entry["d"] = _digest(op.result, op.error)
        self._append(json.dumps(entry, separators=(",", ":")))

    def record_config(self) -> None:
        self._append(json.dumps({"k": "config", "c": settings()}, separators=(",", ":")))

    def _append(self, text: str) -> None:
        if self.closed:  # not recorded, so not answered either
            raise DataDirError("the engine is stopping: nothing more is recorded")
        try:
            self.store.append(text)
        except Exception as exc:  # memory is ahead of the disk now: stop, as a crash would
            print(
                f"floto local: cannot write to {self.store.path} ({exc}); stopping: every call "
                "answered so far is kept",
                file=sys.stderr,
                flush=True,
            )
            os._exit(3)
        self.entries += 1
        self.entry_bytes += len(text)
        self._maybe_compact()

    def _maybe_compact(self) -> None:
        due = self.entries >= COMPACT_MAX_ENTRIES or (
            self.entries >= COMPACT_MIN_ENTRIES and self.entry_bytes >= self.snapshot_bytes
        )
        if due and self.entries >= self.retry_at:
            try:
                self.compact()
            except Exception:  # the journal still has everything: try again later
                log.exception("floto local: cannot take a snapshot into %s", self.store.path)
                self.retry_at = self.entries + COMPACT_MIN_ENTRIES

    def compact(self) -> None:
        """Replace the journal by a snapshot of the state (the caller holds the engine lock)."""
        data = _snapshot.capture()
        self.store.replace_snapshot(data)
        self.entries = self.entry_bytes = self.retry_at = 0
        self.snapshot_bytes = len(data)

    def close(self) -> None:
        """A clean stop: a last snapshot (the next start replays nothing), then no more."""
        with LOCK:
            if self.closed:
                return
            if self.entries:
                try:
                    self.compact()
                except Exception:  # the journal has everything: the next start replays it
                    log.exception("floto local: cannot take a snapshot into %s", self.store.path)
            self.closed = True
            self.store.close()


def _run(kind: str, entry: dict[str, Any]) -> tuple[str, BaseException | None]:
    """Carry out a journal entry again; (answer, error) as when it was recorded."""
    try:
        if kind == "call":
            response = LocalSWFResponse(entry["p"], entry["r"], entry["u"])
            return response.run(entry["a"]), None
        if kind == "tick":
            return str(SCHEDULER.run_due()), None
        if kind == "skip":
            return str(SCHEDULER.skip(entry["v"])), None
        if kind == "jump":
            SCHEDULER.jump(entry["v"])
            return "", None
    except Exception as exc:  # it failed when recorded too (the digest says)
        return "", exc
    raise ValueError(f"unknown kind of entry {kind!r}")


PERSISTENCE: Persistence | None = None


def open_data_dir(folder: str) -> Restored:
    """Open ``folder``, restore the engine's state from it and record from now on (at
    start-up, after the settings are applied and before requests are served).

    Raises:
        DataDirError: the folder cannot be used, or its contents are corrupt, foreign or of
            another data format (the message names the file).
    """
    global PERSISTENCE
    persistence = Persistence(folder)
    with LOCK:
        report = persistence.restore()
        OPLOG.recorder = persistence.record
    PERSISTENCE = persistence
    return report


def close_data_dir() -> None:
    """Snapshot and close the data dir, if one is open (a clean stop)."""
    if PERSISTENCE is not None:
        PERSISTENCE.close()
