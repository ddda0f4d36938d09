"""The data dir itself: a foreign, corrupt or other-format one is refused in one line naming
the file; a missing parent folder is named; one engine at a time; the journal is compacted
into a snapshot, and a clean stop leaves nothing to replay."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_env import Env, decide, of_type, schedule
from restart_env import Restartable, floto_local, observable

from floto.local._store import FILE_NAME, FORMAT


def _refusal(data: Path) -> str:
    """The one line ``floto local --data-dir data`` prints as it refuses to start."""
    done = floto_local("--data-dir", str(data))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "ready" not in done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def written(tmp_path) -> Path:
    """A data dir with a run in it, its engine killed (so its journal is not compacted)."""
    engines = Restartable(tmp_path / "data")
    env = Env(engines.start())
    env.start()
    env.respond(env.decision(), schedule("a"))
    engines.kill()
    return tmp_path / "data"


@contextlib.contextmanager
def _db(data: Path) -> Iterator[sqlite3.Connection]:
    """The data dir's database, closed afterwards (an open one keeps the engine out)."""
    db = sqlite3.connect(data / FILE_NAME, isolation_level=None)
    try:
        yield db
    finally:
        db.close()


def test_a_missing_parent_folder_is_named(tmp_path) -> None:
    line = _refusal(tmp_path / "no" / "such" / "data")
    assert line == (
        f"floto local: --data-dir {tmp_path / 'no' / 'such' / 'data'}: its parent folder "
        f"{tmp_path / 'no' / 'such'} does not exist"
    )


def test_a_file_in_place_of_the_folder_is_refused(tmp_path) -> None:
    (tmp_path / "data").write_text("x")
    assert _refusal(tmp_path / "data").endswith("data is a file, not a folder")


def test_a_file_in_place_of_the_parent_folder_is_named(tmp_path) -> None:
    (tmp_path / "notes").write_text("x")
    line = _refusal(tmp_path / "notes" / "data")
    assert line == (
        f"floto local: --data-dir {tmp_path / 'notes' / 'data'}: its parent "
        f"{tmp_path / 'notes'} is a file, not a folder"
    )


def test_a_folder_of_other_files_is_not_taken_for_a_data_dir(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    line = _refusal(tmp_path)
    assert "holds other files (notes.txt)" in line and "not a floto engine's data dir" in line


def test_a_file_that_is_not_a_database_is_refused(tmp_path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"this is not SQLite" * 100)
    line = _refusal(tmp_path)
    assert line.startswith(f"floto local: {tmp_path / FILE_NAME}: ")
    assert "not a database" in line


def test_another_programs_database_is_refused(tmp_path) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / FILE_NAME)) as db:
        db.execute("CREATE TABLE accounts (id INTEGER)")
    line = _refusal(tmp_path)
    assert line == (
        f"floto local: {tmp_path / FILE_NAME}: not a floto engine's data file "
        "(another SQLite database)"
    )


def test_a_data_dir_of_another_format_is_refused(written) -> None:
    with _db(written) as db:
        db.execute(f"PRAGMA user_version={FORMAT + 1}")
    line = _refusal(written)
    assert line.startswith(f"floto local: {written / FILE_NAME}: written in data format ")
    assert f"this engine reads format 1 or {FORMAT}" in line


def test_a_corrupt_journal_entry_is_refused(written) -> None:
    with _db(written) as db:
        db.execute("UPDATE journal SET entry = substr(entry, 2) WHERE seq = 3")
    line = _refusal(written)
    assert line == (
        f"floto local: {written / FILE_NAME}: journal entry 3 is corrupt (checksum mismatch)"
    )


def test_an_entry_that_replays_differently_is_refused(written) -> None:
    """What a changed engine would do: the same call, another answer than recorded."""
    with _db(written) as db:
        seq, text = db.execute(
            "SELECT seq, entry FROM journal WHERE entry LIKE '%StartWorkflowExecution%'"
        ).fetchone()
        entry = json.loads(text)
        entry["d"] = "1:1"  # the digest of another answer
        text = json.dumps(entry)
        db.execute("UPDATE journal SET entry = ?, crc = ? WHERE seq = ?",
                   (text, zlib.crc32(text.encode()), seq))  # fmt: skip
    line = _refusal(written)
    assert line.startswith(
        f"floto local: {written / FILE_NAME}: journal entry {seq} (StartWorkflowExecution) "
    )
    assert "replays differently from how it ran" in line


def test_a_corrupt_snapshot_is_refused(tmp_path) -> None:
    engines = Restartable(tmp_path / "data")
    Env(engines.start()).start()
    engines.stop()  # a clean stop: the state goes into a snapshot
    with _db(tmp_path / "data") as db:
        db.execute("UPDATE snapshot SET data = substr(data, 1, length(data) - 7)")
    line = _refusal(tmp_path / "data")
    assert line == (
        f"floto local: {tmp_path / 'data' / FILE_NAME}: the snapshot is corrupt (checksum mismatch)"
    )


def test_one_engine_at_a_time_on_a_data_dir(tmp_path) -> None:
    engines = Restartable(tmp_path / "data")
    engines.start()
    try:
        line = _refusal(tmp_path / "data")
        assert line == (
            f"floto local: {tmp_path / 'data' / FILE_NAME}: in use by another floto local engine"
        )
    finally:
        engines.stop()


def test_a_clean_stop_leaves_a_snapshot_and_nothing_to_replay(tmp_path) -> None:
    engines = Restartable(tmp_path / "data")
    env = Env(engines.start())
    env.start()
    before = observable(env.swf, env.domain)
    engines.stop()
    env.swf = engines.start()
    try:
        assert "1 run (1 open) restored from a" in engines.output()
        assert "journal entries" not in engines.output()  # nothing to replay
        assert observable(env.swf, env.domain) == before
    finally:
        engines.stop()


def test_the_journal_is_compacted_into_a_snapshot_as_it_grows(tmp_path) -> None:
    engines = Restartable(tmp_path / "data")
    env = Env(engines.start())
    run = env.start()
    env.respond(env.decision(), schedule("a"))
    task = env.activity()
    for n in range(1100):  # each heartbeat is a journal entry
        env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details=str(n))
    before = observable(env.swf, env.domain)
    engines.kill()
    with _db(tmp_path / "data") as db:
        (entries,) = db.execute("SELECT count(*) FROM journal").fetchone()
        (parts,) = db.execute("SELECT count(*) FROM snapshot").fetchone()
    assert parts >= 1 and entries < 1000
    env.swf = engines.start()
    try:
        assert f" and {entries} journal entries" in engines.output()
        assert observable(env.swf, env.domain) == before
        env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="ok")
        assert env.types(run)[-2:] == ["ActivityTaskCompleted", "DecisionTaskScheduled"]
    finally:
        engines.stop()


def test_a_restart_with_other_settings_replays_under_the_old_ones(tmp_path) -> None:
    """The journal records the settings that change what calls do: a history limit lowered at
    restart does not rewrite the past, and holds from then on."""
    engines = Restartable(tmp_path / "data")
    env = Env(engines.start())
    run = env.start()
    for n in range(3):
        env.respond(env.decision(), decide("RecordMarker", markerName=f"m{n}"))
        env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="s")
    before = env.history(run)
    assert len(before) > 12
    engines.kill()
    engines.options["extra_args"] = ("--max-history-events", "12")
    env.swf = engines.start()
    try:
        assert env.history(run) == before
        env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="s")
        (terminated,) = of_type(env.history(run), "WorkflowExecutionTerminated")
        assert terminated["cause"] == "EVENT_LIMIT_EXCEEDED"
    finally:
        engines.stop()
