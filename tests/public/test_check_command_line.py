"""`floto check` (floto.cli): a good spec is listed; every bad file gets one error line that
names the file and the problem, a non-zero exit and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from floto.cli import main
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask


@pytest.fixture
def spec_file(tmp_path):
    a = ActivityTask(name="ActivityA", version="v1")
    b = ActivityTask(name="ActivityB", version="v1", requires=[a])
    path = tmp_path / "spec.json"
    path.write_text(DeciderSpec(domain="floto_test", activity_tasks=[a, b]).to_json())
    return path


def test_a_good_spec_is_listed_with_its_requirements(spec_file, capsys):
    assert main(["check", str(spec_file)]) == 0
    out = capsys.readouterr().out
    assert f"{spec_file}: 2 tasks, domain 'floto_test', OK" in out
    assert "ActivityB:v1:" in out and "requires: ActivityA:v1:2be88ca424" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{", "not valid JSON"),
        (b'{"type": "os.system"}', "type 'os.system' is not allowed"),
        (b"[]", "activity_tasks: a workflow needs at least one task"),
        (b'"text"', "must be a JSON object"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (
            b'{"type": "floto.specs.DeciderSpec", "domain": "d", "activity_tasks": ['
            b'{"type": "floto.specs.task.ActivityTask", "name": "A", "version": "1",'
            b' "requires": ["nope"]}]}',
            "unknown task id 'nope'",
        ),
    ],
)
def test_a_bad_spec_file_gets_one_line_naming_the_file(tmp_path, capsys, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"floto check: {path}: ") and words in err
    assert len(err.strip().splitlines()) == 1


def test_a_bare_task_list_and_a_dynamic_decider_input_are_checked_like_a_spec(tmp_path, capsys):
    a = ActivityTask(name="ActivityA", version="v1")
    b = ActivityTask(name="ActivityB", version="v1", requires=[a])
    tasks = [a.to_dict(), b.to_dict()]
    for name, document in (("list.json", tasks), ("input.json", {"activity_tasks": tasks})):
        path = tmp_path / name
        path.write_text(json.dumps(document))
        assert main(["check", str(path)]) == 0
        assert f"{path}: 2 tasks, OK" in capsys.readouterr().out


def test_a_task_list_with_a_cycle_is_refused_naming_the_file(tmp_path, capsys):
    a = {"type": "floto.specs.task.ActivityTask", "name": "A", "version": "1", "id_": "a",
         "requires": ["b"]}  # fmt: skip
    b = {"type": "floto.specs.task.ActivityTask", "name": "B", "version": "1", "id_": "b",
         "requires": ["a"]}  # fmt: skip
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps([a, b]))
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"floto check: {path}: ") and "cycle" in err


@pytest.mark.parametrize("name", ["nope.json", "."])
def test_a_missing_file_or_a_directory_is_an_error(tmp_path, capsys, name):
    assert main(["check", str(tmp_path / name)]) == 2
    assert f"floto check: cannot read {tmp_path / name}" in capsys.readouterr().err


def test_a_bad_file_through_the_console_script_prints_no_traceback(tmp_path):
    path = tmp_path / "bin.json"
    path.write_bytes(b"\xff\xfe\x00")
    done = subprocess.run(
        [sys.executable, "-m", "floto.cli", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and str(path) in done.stderr


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ("[" * 100_000, "nests arrays and objects deeper than floto's limit of 128 levels"),
        ('{"type": "floto.specs.DeciderSpec", "domain": NaN}', "NaN is not a number JSON allows"),
    ],
    ids=["deep", "nan"],
)
def test_hostile_stdin_gets_one_line_and_no_traceback(stdin, words):
    # issue 12, hole 3: `floto check -` printed a RecursionError's traceback
    done = subprocess.run(
        [sys.executable, "-m", "floto.cli", "check", "-"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("floto check: -: ") and words in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_stdin_longer_than_a_spec_may_be_is_refused_without_reading_it_all(monkeypatch, capsys):
    import io
    import types

    from floto.limits import MAX_DOCUMENT_CHARS

    stream = io.BytesIO(b" " * (MAX_DOCUMENT_CHARS + 1000))
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=stream))
    assert main(["check", "-"]) == 1
    assert stream.tell() == MAX_DOCUMENT_CHARS + 1  # the rest was never read
    err = capsys.readouterr().err
    assert "over floto's limit of 67,108,864 bytes" in err and len(err.strip().splitlines()) == 1
