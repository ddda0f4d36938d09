"""Every example runs with its one documented command on the local engine, prints its
result, exits 0 and exits promptly (its pollers are stopped at once, not after a long poll).

The examples attach to the session's engine (AWS_ENDPOINT_URL_SWF is set by the fixture),
whose idle polls last 3 s; hello_world runs with no engine configured and starts its own
(tests/examples/test_readme_commands_run.py runs it on an engine started by `floto local`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROMPT = 30  # seconds: generous for a loaded machine; a stop that waited out polls is slower


def run_example(path: Path, *args: str, env: dict | None = None) -> tuple[str, float]:
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(path), *args],
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    took = time.monotonic() - began
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, took


def result_of(stdout: str) -> dict:
    match = re.search(r"^.*workflow completed: (\{.*\})$", stdout, re.M)
    assert match, stdout
    return json.loads(match.group(1))


def test_hello_world_starts_an_engine_of_its_own_when_none_is_configured(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env["HOME"] = str(tmp_path)  # no ~/.aws either
    stdout, took = run_example(EXAMPLES / "hello_world.py", env=env)
    assert "Hello World!" in stdout
    assert result_of(stdout) == {"simple_activity:v1:2be88ca424": "Hello World!"}
    assert took < PROMPT


def test_s3_file_string_length(local_engine):
    stdout, took = run_example(EXAMPLES / "s3_file_string_length" / "s3_file_string_length.py")
    lengths = result_of(stdout)
    # 2024-01-01 is a Monday: five weekdays, whose files hold "<Day>: " and n times "floto "
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    expected = sorted(len(f"{day}: " + "floto " * (n + 1)) for n, day in enumerate(days))
    assert sorted(lengths.values()) == expected
    assert all(task_id.startswith("fileLength:1:") for task_id in lengths)
    assert took < PROMPT


def test_child_workflow(local_engine):
    stdout, took = run_example(EXAMPLES / "child_workflow" / "child_workflow.py")
    (message,) = result_of(stdout).values()
    assert message == "order confirmed: 2 parcel(s) by bike"
    assert took < PROMPT


def test_dynamic_decider_builds_its_tasks_from_the_words_given(local_engine):
    path = EXAMPLES / "dynamic_decider" / "dynamic_decider.py"
    stdout, took = run_example(path, "swf", "decides", "well")
    assert list(result_of(stdout).values()) == [14]
    assert took < PROMPT


def test_fan_out_fan_in(local_engine):
    stdout, took = run_example(EXAMPLES / "fan_out_fan_in" / "fan_out_fan_in.py")
    (joined,) = result_of(stdout).values()
    assert joined == {"parts": 10, "sum_of_squares": sum(n * n for n in range(10))}
    assert took < PROMPT


def test_daemon_runs_a_child_and_ends_its_run(local_engine):
    from floto.api import Swf

    stdout, took = run_example(EXAMPLES / "daemon" / "daemon.py")
    assert stdout.startswith("child workflow floto_daemon:")
    assert result_of(stdout) == {"ActivityA:v1:2be88ca424": {"your": "result_activity_a"}}
    assert Swf().list_workflow_executions("floto_test", workflow_id="floto_daemon") == []
    assert took < PROMPT
