"""`floto graph` (floto.viz._cli.main, also `python -m floto.viz`): spec files to DOT, SVG,
PNG; clear errors with a non-zero exit and no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from viz_states import seed_tasks
from viz_svg import parse, task_nodes

from floto.specs import DeciderSpec
from floto.viz._cli import main

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


@pytest.fixture
def spec_file(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(DeciderSpec(domain="d", activity_tasks=seed_tasks()).to_json(indent=2))
    return path


def test_without_output_the_dot_text_is_printed(spec_file, capsys):
    assert main([str(spec_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph floto {") and '"ActivityA:v1:2be88ca424" [' in out


@needs_dot
def test_the_output_format_comes_from_the_extension(spec_file, tmp_path):
    svg, png, dot = tmp_path / "g.svg", tmp_path / "g.png", tmp_path / "g.dot"
    for path in (svg, png, dot):
        assert main([str(spec_file), "-o", str(path), "--direction", "TB"]) == 0
    nodes, edges, _ = parse(svg.read_text())
    assert len(task_nodes(nodes)) == 6 and len(edges) == 5
    assert png.read_bytes().startswith(b"\x89PNG")
    assert dot.read_text().startswith("digraph floto {") and "rankdir=TB" in dot.read_text()


def test_options_reach_the_drawing(spec_file, capsys):
    assert main([str(spec_file), "--no-legend", "--collapse-above", "0"]) == 0
    out = capsys.readouterr().out
    assert "cluster_legend" not in out
    assert main([str(spec_file), "--no-collapse"]) == 0


def test_a_spec_can_come_from_stdin(spec_file):
    done = subprocess.run(
        [sys.executable, "-m", "floto.viz", "-"],
        input=spec_file.read_text(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "Timer30" in done.stdout


def test_a_bad_spec_file_names_the_field_and_exits_non_zero_without_traceback(spec_file):
    spec_file.write_text(
        spec_file.read_text().replace('"delay_in_seconds": 30', '"delay_in_seconds": -1')
    )
    done = subprocess.run(
        [sys.executable, "-m", "floto.viz", str(spec_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"floto graph: {spec_file}: activity_tasks[")
    assert ".delay_in_seconds: must be a whole number of seconds from 0 to 99,999,999, got -1" in (
        done.stderr
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{", "not valid JSON"),
        ('{"type": "floto.specs.DeciderSpec"}', "domain: required field"),
        ('{"type": "builtins.eval"}', "type 'builtins.eval'"),
    ],
)
def test_broken_spec_files_get_one_line_errors(tmp_path, capsys, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main([str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"floto graph: {path}") and words in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_file_or_unknown_format_is_an_error(spec_file, tmp_path, capsys):
    assert main([str(tmp_path / "nope.json")]) == 1
    assert "nope.json: no such spec file" in capsys.readouterr().err
    assert main([str(spec_file), "-o", str(tmp_path / "g.xyz")]) == 1
    assert "unknown output format 'xyz'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        ([], "give a spec file"),
        (["--domain", "d"], "both --domain and --workflow-id"),
        (["s.json", "--run-id", "r"], "need --domain and --workflow-id"),
        (["--domain", "d", "--workflow-id", "w", "--timeline", "-o", "x.gif"], "SVG, PNG or PDF"),
        (["s.json", "--collapse-above", "-3"], "0 or more"),
        (["s.json", "--direction", "XY"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(argv, words, capsys):
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "floto graph --domain" in capsys.readouterr().out


def test_a_file_that_is_not_utf8_gets_one_line_naming_the_file(tmp_path, capsys):
    path = tmp_path / "bin.json"
    path.write_bytes(b"\xff\xfe{}")
    assert main([str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"floto graph: {path}: not UTF-8 text")
    assert len(err.strip().splitlines()) == 1


def test_a_directory_is_not_mistaken_for_a_missing_file(tmp_path, capsys):
    assert main([str(tmp_path)]) == 1
    assert f"{tmp_path}: is a directory, not a spec file" in capsys.readouterr().err
