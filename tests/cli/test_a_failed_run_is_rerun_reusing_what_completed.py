"""`floto rerun` starts a run that reuses what the failed run completed and runs the rest;
the live view and `floto show` count the reused tasks."""

from __future__ import annotations

import json

import cli_flows
from cli_support import wait_closed


def test_rerun_reuses_the_completed_task_and_runs_the_failed_one(served, cli, tmp_path):
    served.start(cli_flows.flaky_tasks(str(tmp_path / "marker")), "flaky-1")
    assert wait_closed(served.swf, served.domain, "flaky-1")["closeStatus"] == "FAILED"
    rerun = cli("rerun", "flaky-1", "--domain", served.domain, "--watch")
    assert rerun.code == 0, rerun.out + rerun.err
    assert rerun.out.startswith("rerun flaky-1 as flaky-1 (run ")
    assert "2/2 tasks completed" in rerun.out and "1 reused" in rerun.out
    assert 'result: {"flaky:1:' in rerun.out and '"fixed"' in rerun.out
    shown = json.loads(cli("show", "flaky-1", "--domain", served.domain, "--json").out)
    statuses = {task["id"].split(":")[0]: task["status"] for task in shown["tasks"]}
    assert statuses == {"hello": "reused", "flaky": "completed"}


def test_rerun_of_an_open_run_is_refused_in_one_line(served, cli):
    served.start(cli_flows.waiting_tasks(), "still-open")
    result = cli("rerun", "still-open", "--domain", served.domain)
    assert result.code == 1 and "still open" in result.err
    assert len(result.err.strip().splitlines()) == 1
    cli("terminate", "still-open", "--domain", served.domain)
