"""`floto run`: from a module:attribute or a spec file to the run's result in one command,
on the session's engine (attached) or an engine of its own; exit 0 only on completion."""

from __future__ import annotations

import os
import subprocess
import sys

import cli_flows
from cli_support import FLOWS

from floto.local.testing import unique_domain


def test_a_workflow_of_a_module_runs_to_its_result(local_engine, cli):
    domain = unique_domain(local_engine.client("swf"), prefix="cli-run")
    result = cli(
        "run",
        f"{FLOWS}:hello_task",
        "--domain",
        domain,
        "--input",
        '{"name": "run"}',
        "--workflow-id",
        "run-hello",
        "--interval",
        "0.1",
    )
    assert result.code == 0, result.out + result.err
    assert f"engine: {local_engine.endpoint_url} (attached)" in result.out
    assert "started run-hello (run " in result.out and f"in {domain}" in result.out
    assert 'result: {"hello:1:2be88ca424": "Hello run!"}' in result.out


def test_a_failing_workflow_shows_its_failure_and_exits_4(local_engine, cli):
    domain = unique_domain(local_engine.client("swf"), prefix="cli-run")
    result = cli("run", f"{FLOWS}:broken_tasks", "--domain", domain, "--interval", "0.1")
    assert result.code == 4, result.out + result.err
    assert "latest failures:" in result.out and "ValueError: broken on purpose" in result.out


def test_a_spec_file_runs_with_the_activities_of_the_modules_named(local_engine, cli, tmp_path):
    domain = unique_domain(local_engine.client("swf"), prefix="cli-run")
    spec = cli_flows.DeciderSpec(domain=domain, activity_tasks=[cli_flows.hello_task])
    path = tmp_path / "spec.json"
    path.write_text(spec.to_json())
    result = cli("run", str(path), "--activities", FLOWS, "--workflow-type", "from_file:2")
    assert result.code == 0, result.out + result.err
    assert 'result: {"hello:1:2be88ca424": "Hello World!"}' in result.out
    assert "started from_file-" in result.out  # the workflow id comes from the type's name


def test_tasks_no_function_serves_are_refused_before_anything_starts(local_engine, cli, tmp_path):
    path = tmp_path / "spec.json"
    task = cli_flows.ActivityTask(name="nobody_serves_me", version="1")
    path.write_text(cli_flows.DeciderSpec(domain="d", activity_tasks=[task]).to_json())
    result = cli("run", str(path))
    assert result.code == 1
    assert result.err.startswith("floto run: ") and "nobody_serves_me" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_missing_engine_and_contradicting_options_are_one_line(cli, env_without_engine):
    result = cli("run", f"{FLOWS}:hello_task")
    assert result.code == 3
    assert result.err == (
        f"floto run: cannot reach SWF at {env_without_engine}: is `floto local` running there?\n"
    )
    both = cli("run", f"{FLOWS}:hello_task", "--aws", "--endpoint-url", env_without_engine)
    assert both.code == 2 and "--aws and --endpoint-url" in both.err


def test_without_an_engine_it_starts_one_and_exits_promptly(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "floto.cli", "run", f"{FLOWS}:hello_task"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("engine: started http://127.0.0.1:")
    assert 'result: {"hello:1:2be88ca424": "Hello World!"}' in done.stdout


def test_a_run_prints_every_failure_and_fail_fast_stops_at_the_first(local_engine, cli):
    domain = unique_domain(local_engine.client("swf"), prefix="cli-run")
    both = cli("run", f"{FLOWS}:two_broken_tasks", "--domain", domain, "--interval", "0.1")
    assert both.code == 4, both.out + both.err
    lines = both.out.splitlines()
    at = lines.index("2 failed:")
    assert [line.strip() for line in lines[at + 1 : at + 3]] == [
        "broken-a: ValueError: broken on purpose",
        "broken-b: ValueError: broken on purpose",
    ]
    fast = cli("run", f"{FLOWS}:two_broken_tasks", "--domain", domain, "--interval", "0.1",
               "--failure-policy", "fail_fast")  # fmt: skip
    assert fast.code == 4, fast.out + fast.err
    lines = fast.out.splitlines()
    assert lines[lines.index("1 failed:") + 1].strip() == "broken-a: ValueError: broken on purpose"
    bad = cli("run", f"{FLOWS}:two_broken_tasks", "--failure-policy", "later")
    assert bad.code == 2 and "--failure-policy" in bad.err
