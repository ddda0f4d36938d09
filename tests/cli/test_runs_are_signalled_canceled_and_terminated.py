"""`floto signal`, `cancel` and `terminate` act on open runs; `start` of an open workflow id
says what to do instead of SWF's bare error."""

from __future__ import annotations

import cli_flows
from cli_support import wait_closed


def test_signal_reaches_the_run_with_its_input(served, cli):
    served.start(cli_flows.waiting_tasks(), "signalled")
    sent = cli("signal", "signalled", "wake_up", "--input", '{"n": 1}', "--domain", served.domain)
    assert sent.code == 0 and sent.out.strip() == "signalled signalled: wake_up"
    events = served.swf.get_workflow_execution_history(served.domain, workflow_id="signalled")
    (signal,) = [e for e in events if e["eventType"] == "WorkflowExecutionSignaled"]
    attributes = signal["workflowExecutionSignaledEventAttributes"]
    assert attributes["signalName"] == "wake_up" and attributes["input"] == '{"n": 1}'
    assert cli("terminate", "signalled", "--domain", served.domain).code == 0


def test_cancel_asks_the_decider_which_cancels_the_run(served, cli):
    served.start(cli_flows.waiting_tasks(), "canceled")
    assert cli("cancel", "canceled", "--domain", served.domain).code == 0
    assert wait_closed(served.swf, served.domain, "canceled")["closeStatus"] == "CANCELED"


def test_terminate_ends_the_run_with_the_reason(served, cli):
    served.start(cli_flows.waiting_tasks(), "terminated")
    done = cli("terminate", "terminated", "--domain", served.domain, "--reason", "enough")
    assert done.code == 0 and done.out.strip() == "terminated terminated"
    info = wait_closed(served.swf, served.domain, "terminated")
    assert info["closeStatus"] == "TERMINATED"
    events = served.swf.get_workflow_execution_history(served.domain, workflow_id="terminated")
    assert events[-1]["workflowExecutionTerminatedEventAttributes"]["reason"] == "enough"
    shown = cli("show", "terminated", "--domain", served.domain)
    assert "terminated" in shown.out


def test_starting_a_workflow_id_that_is_open_says_how_to_end_it(served, cli):
    served.start(cli_flows.waiting_tasks(), "busy")
    again = cli("start", "dynamic:1", "--domain", served.domain, "--workflow-id", "busy")
    assert again.code == 1
    assert again.err.startswith("floto start: busy already has an open run in ")
    assert "floto terminate busy" in again.err and len(again.err.splitlines()) == 1
    cli("terminate", "busy", "--domain", served.domain)


def test_acting_on_an_unknown_run_is_one_line_and_exit_1(served, cli):
    for command in (
        ["show", "nope"],
        ["history", "nope"],
        ["watch", "nope"],
        ["terminate", "nope"],
        ["cancel", "nope"],
        ["signal", "nope", "s"],
    ):
        result = cli(*command, "--domain", served.domain)
        assert result.code == 1, (command, result)
        assert result.err.startswith(f"floto {command[0]}: ") and "nope" in result.err
        assert len(result.err.strip().splitlines()) == 1
