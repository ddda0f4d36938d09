"""The data dir's file: one SQLite database holding a snapshot and the journal after it.

``DIR/engine.sqlite3`` has three tables: ``meta`` (the data format and who wrote it),
``snapshot`` (the engine's state at some moment, in parts) and ``journal`` (one row per
operation since that snapshot, oldest first). What the rows mean is floto.local._persist's
business; this module only keeps them durable and refuses a file it cannot trust.

Durability: WAL journal mode with ``synchronous=NORMAL``. A committed row is in the WAL file
(written, not yet synced) before the engine answers: a killed engine process loses nothing it
acknowledged, since the operating system still writes that file out. A power cut or an OS crash
may lose the last commits but never corrupts the database (FULL would sync every commit, for
machines that lose power; a local engine does not need it). ``locking_mode=EXCLUSIVE`` keeps a
second engine off the same data dir.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Iterator
from importlib import metadata

from floto.errors import FlotoError

FILE_NAME = "engine.sqlite3"
APPLICATION_ID = 0x666C6F74  # "flot": marks the database as a floto engine's
FORMAT = 2
"""The data format: the journal's entries and the snapshot's objects. Bump it when either
changes (tests/local/test_persistence_format.py says when); an engine refuses newer formats
and formats it cannot read."""
READABLE_FORMATS = (1, 2)
"""Formats this engine reads. Format 1 (floto before issue 20) differs only by its activity
and workflow types (moto's, with no dates of their own, answered as moto's fixed dates); a
data dir of format 1 is marked format 2 when it is opened, as what is written from then on
(snapshots with types that carry dates) is format 2's."""

_PART = 16 * 1024 * 1024  # a snapshot is stored in parts (SQLite's blobs stop at 1 GB)
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE snapshot (part INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE journal (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, crc INTEGER NOT NULL);
"""


class DataDirError(FlotoError, RuntimeError):
    """A data dir the engine cannot use: no such parent folder, not a floto engine's, written
    by another data format, corrupt, or in use by another engine."""


def version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def folder_problem(folder: str) -> str | None:
    """Why ``folder`` cannot be a data dir, starting with its name (None if it can; a missing
    folder is created if its parent exists)."""
    path = os.path.abspath(folder)
    if not os.path.exists(path):
        parent = os.path.dirname(path)
        if os.path.exists(parent) and not os.path.isdir(parent):
            return f"{folder}: its parent {parent} is a file, not a folder"
        if not os.path.isdir(parent):
            return f"{folder}: its parent folder {parent} does not exist"
        if not os.access(parent, os.W_OK):
            return f"{folder}: cannot create it in {parent}"
        return None
    if not os.path.isdir(path):
        return f"{folder} is a file, not a folder"
    if not os.access(path, os.W_OK):
        return f"{folder}: cannot write in it"
    others = [name for name in os.listdir(path) if not name.startswith(FILE_NAME)]
    if others and not os.path.exists(os.path.join(path, FILE_NAME)):
        return (
            f"{folder} holds other files ({', '.join(sorted(others)[:3])}) and no "
            f"{FILE_NAME}: it is not a floto engine's data dir (give an empty or new folder)"
        )
    return None


class Store:
    """The open database of a data dir (used under the engine lock only)."""

    def __init__(self, folder: str) -> None:
        problem = folder_problem(folder)
        if problem is not None:
            raise DataDirError(f"data dir {problem}")
        os.makedirs(folder, exist_ok=True)
        self.path = os.path.join(os.path.abspath(folder), FILE_NAME)
        try:
            self.db = sqlite3.connect(
                self.path, timeout=1.0, isolation_level=None, check_same_thread=False
            )
            self._open()
        except sqlite3.Error as exc:
            raise self.error(str(exc)) from None

    def error(self, problem: str) -> DataDirError:
        """A DataDirError naming the file."""
        return DataDirError(f"{self.path}: {problem}")

    def _open(self) -> None:
        self.db.execute("PRAGMA locking_mode=EXCLUSIVE")  # held until the process ends
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise self.error("in use by another floto local engine") from None
            raise
        if self._pragma("application_id") == 0 and not self._tables():
            self._create()
        self._check()
        self.db.execute("COMMIT")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def _pragma(self, name: str) -> int:
        return int(self.db.execute(f"PRAGMA {name}").fetchone()[0])

    def _tables(self) -> set[str]:
        rows = self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {name for (name,) in rows}

    def _create(self) -> None:
        for statement in _SCHEMA.strip().split(";"):
            if statement.strip():
                self.db.execute(statement)
        self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        self.db.execute(f"PRAGMA user_version={FORMAT}")
        self.db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("floto", version_of("floto")), ("moto", version_of("moto"))],
        )

    def _check(self) -> None:
        if self._pragma("application_id") != APPLICATION_ID:
            raise self.error("not a floto engine's data file (another SQLite database)")
        found = self._pragma("user_version")
        if found not in READABLE_FORMATS:
            writer = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
            raise self.error(
                f"written in data format {found} (by floto {writer.get('floto', '?')}, moto "
                f"{writer.get('moto', '?')}); this engine reads format "
                f"{' or '.join(map(str, READABLE_FORMATS))}: start it "
                "with another --data-dir, or use the floto that wrote this one"
            )
        if not {"meta", "snapshot", "journal"} <= self._tables():
            raise self.error("not a floto engine's data file (tables missing)")
        if found != FORMAT:  # an older format this engine reads: written as FORMAT from now on
            self.db.execute(f"PRAGMA user_version={FORMAT}")

    # reading -----------------------------------------------------------------------------
    def snapshot(self) -> bytes | None:
        """The stored snapshot, None if there is none yet."""
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if "snapshot_crc" not in meta:
            return None
        data = b"".join(
            row[0] for row in self.db.execute("SELECT data FROM snapshot ORDER BY part")
        )
        if zlib.crc32(data) != int(meta["snapshot_crc"]):
            raise self.error("the snapshot is corrupt (checksum mismatch)")
        return data

    def journal(self) -> Iterator[tuple[int, str]]:
        """(seq, entry) of each journal row, oldest first."""
        for seq, entry, crc in self.db.execute("SELECT seq, entry, crc FROM journal ORDER BY seq"):
            if zlib.crc32(entry.encode()) != crc:
                raise self.error(f"journal entry {seq} is corrupt (checksum mismatch)")
            yield seq, entry

    # writing -----------------------------------------------------------------------------
    def append(self, entry: str) -> None:
        """Add one journal row, committed (durable against a crash of the process) on return."""
        data = entry.encode()
        self.db.execute("INSERT INTO journal (entry, crc) VALUES (?, ?)", (entry, zlib.crc32(data)))

    def replace_snapshot(self, data: bytes) -> None:
        """Store ``data`` as the snapshot and empty the journal, in one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM snapshot")
            self.db.executemany(
                "INSERT INTO snapshot VALUES (?, ?)",
                ((i, data[at : at + _PART]) for i, at in enumerate(range(0, len(data), _PART))),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('snapshot_crc', ?)", (str(zlib.crc32(data)),)
            )
            self.db.execute("DELETE FROM journal")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.db.close()
