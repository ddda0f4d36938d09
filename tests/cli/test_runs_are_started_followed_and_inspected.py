"""`floto start`, `watch`, `show`, `history` and `list` on runs decided and worked by real
`floto decider` / `floto worker` processes on the local engine."""

from __future__ import annotations

import json

import cli_flows
from cli_support import wait_closed


def test_start_then_watch_prints_the_result_and_exits_0(served, cli):
    started = cli(
        "start",
        "static:1",
        "--domain",
        served.domain,
        "--workflow-id",
        "hello-1",
        "--input",
        '{"name": "floto"}',
        "--json",
    )
    assert started.code == 0, started.err
    run_id = json.loads(started.out)["runId"]
    watched = cli("watch", "hello-1", "--domain", served.domain, "--interval", "0.1")
    assert watched.code == 0, watched.err
    assert "completed" in watched.out and "1/1 tasks completed" in watched.out
    assert 'result: {"hello:1:2be88ca424": "Hello floto!"}' in watched.out
    assert run_id in watched.out


def test_watch_of_a_failed_run_shows_its_failures_and_exits_4(served, cli):
    served.start(cli_flows.broken_tasks(), "broken-1")
    watched = cli("watch", "broken-1", "--domain", served.domain, "--interval", "0.1")
    assert watched.code == 4
    assert "latest failures:" in watched.out
    assert (
        "broken:1:" in watched.out and "(attempt 2): ValueError: broken on purpose" in watched.out
    )
    assert "reason: task broken:1:" in watched.out


def test_show_has_a_row_per_task_with_status_attempts_and_error(served, cli):
    served.start(cli_flows.broken_tasks(), "broken-2")
    wait_closed(served.swf, served.domain, "broken-2")
    shown = cli("show", "broken-2", "--domain", served.domain)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    rows = {line.split()[0]: line for line in lines if ":1:" in line and "activity" in line}
    hello, broken = rows["hello"], rows["broken"]  # a readable label, then the id
    assert hello.split()[1].startswith("hello:1:") and broken.split()[1].startswith("broken:1:")
    assert hello.split()[2:5] == ["activity", "completed", "1"]
    assert broken.split()[2:5] == ["activity", "failed", "2"]
    assert "ValueError: broken on purpose" in broken
    assert "status    failed" in shown.out and "1 completed · 1 failed" in shown.out
    at = lines.index("1 failed:")  # every failure, listed before the table
    assert lines[at + 1] == "  broken: ValueError: broken on purpose"  # its label, as the table


def test_show_json_carries_the_state(served, cli):
    served.start([cli_flows.hello_task], "hello-json", name="json")
    wait_closed(served.swf, served.domain, "hello-json")
    document = json.loads(cli("show", "hello-json", "--domain", served.domain, "--json").out)
    assert document["status"] == "completed"
    assert document["result"] == {"hello:1:2be88ca424": "Hello json!"}
    (task,) = document["tasks"]
    assert task["id"] == "hello:1:2be88ca424" and task["attempts"] == 1
    assert task["result"] == "Hello json!" and task["started"] <= task["closed"]


def test_history_prints_every_event_and_json_lines(served, cli):
    served.start([cli_flows.hello_task], "hello-history")
    wait_closed(served.swf, served.domain, "hello-history")
    events = served.swf.get_workflow_execution_history(served.domain, workflow_id="hello-history")
    text = cli("history", "hello-history", "--domain", served.domain)
    lines = text.out.splitlines()
    assert len(lines) == len(events)
    assert lines[0].split()[0] == "1" and "WorkflowExecutionStarted" in lines[0]
    assert "WorkflowExecutionCompleted" in lines[-1]
    as_json = cli("history", "hello-history", "--domain", served.domain, "--json")
    parsed = [json.loads(line) for line in as_json.out.splitlines()]
    assert [e["eventType"] for e in parsed] == [e["eventType"] for e in events]


def test_history_follow_prints_events_as_they_come_until_the_run_closes(served, floto_process):
    served.start(cli_flows.slow_tasks(1.0), "slow-follow")
    follower = floto_process(
        "history", "slow-follow", "--domain", served.domain, "--follow", "--interval", "0.1"
    )
    assert follower.popen.wait(30) == 0
    lines = follower.output.splitlines()
    assert "WorkflowExecutionStarted" in lines[0]
    assert "ActivityTaskCompleted" in follower.output
    assert "WorkflowExecutionCompleted" in lines[-1]
    assert [int(line.split()[0]) for line in lines] == list(range(1, len(lines) + 1))


def test_list_filters_and_prints_json(served, cli):
    served.start(cli_flows.waiting_tasks(), "open-1")
    served.start([cli_flows.hello_task], "done-1")
    wait_closed(served.swf, served.domain, "done-1")
    open_runs = cli("list", "--domain", served.domain)
    assert open_runs.code == 0 and "open-1" in open_runs.out and "done-1" not in open_runs.out
    closed = json.loads(cli("list", "--domain", served.domain, "--closed", "--json").out)
    assert "done-1" in {row["workflowId"] for row in closed}
    assert all(row["status"] != "open" for row in closed)
    both = json.loads(cli("list", "--domain", served.domain, "--all", "--json").out)
    assert {"open-1", "done-1"} <= {row["workflowId"] for row in both}
    one = json.loads(
        cli("list", "--domain", served.domain, "--all", "--workflow-id", "done-1", "--json").out
    )
    assert [row["workflowId"] for row in one] == ["done-1"]
    failed = json.loads(
        cli("list", "--domain", served.domain, "--close-status", "FAILED", "--json").out
    )
    assert all(row["status"] == "failed" for row in failed)
    assert (
        len(
            json.loads(
                cli("list", "--domain", served.domain, "--all", "--limit", "1", "--json").out
            )
        )
        == 1
    )
    cli("terminate", "open-1", "--domain", served.domain)


def test_list_of_an_empty_domain_says_so(served, cli, monkeypatch):
    from floto.local.testing import unique_domain

    empty = unique_domain(served.swf.client, prefix="cli-empty")
    monkeypatch.setenv("FLOTO_DOMAIN", empty)
    listed = cli("list")
    assert listed.code == 0 and listed.out.strip() == f"no open executions in domain {empty}"


def test_on_a_terminal_the_view_redraws_in_place_until_the_run_closes(served):
    import io

    from rich.console import Console

    from floto.api import Swf
    from floto.cli._watch import follow
    from floto.launch import RunHandle

    served.start(cli_flows.slow_tasks(1.0), "slow-terminal")
    screen = io.StringIO()
    out = Console(file=screen, force_terminal=True, width=100, color_system="standard")
    state = follow(RunHandle(Swf(), served.domain, "slow-terminal"), every=0.1, out=out)
    assert state.status.value == "completed"
    text = screen.getvalue()
    assert "\x1b[2K\x1b[1A" in text  # the live display erased and redrew its lines
    assert text.count("tasks completed") >= 2  # frames before and after the task completed
    assert "1/1 tasks completed" in text and "\x1b[32m" in text  # green once completed


def test_show_task_prints_its_context_and_each_attempts_logs_and_report_writes_a_page(
    served, cli, tmp_path
):
    served.start(cli_flows.broken_tasks(), "broken-task")
    wait_closed(served.swf, served.domain, "broken-task")
    shown = cli("show", "broken-task", "--domain", served.domain, "--task", "broken")
    assert shown.code == 0, shown.err
    context = json.loads(shown.out)  # what the function received: the required task's result
    assert list(context.values()) == ["Hello World!"] and next(iter(context)).startswith("hello:")
    # The worker is a process of its own: the logs come through the payload store.
    logs = cli("show", "broken-task", "--domain", served.domain, "--task", "broken", "--logs")
    assert logs.code == 0, logs.err
    assert logs.out.count("about to break") == 2
    assert "--- attempt 1 (failed) ---" in logs.out and "--- attempt 2 (failed) ---" in logs.out
    missing = cli("show", "broken-task", "--domain", served.domain, "--task", "nope")
    assert missing.code != 0 and "no task 'nope'" in missing.err
    page = tmp_path / "run.html"
    written = cli("report", "broken-task", "--domain", served.domain, "-o", str(page))
    assert written.code == 0, written.err
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text
    assert "ValueError: broken on purpose" in text and "about to break" in text
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org", "")
