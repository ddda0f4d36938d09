"""An ExecutionFollower keeps a run's state current by reading only the pages with new events,
and ends with the state a full replay of the history gives."""

from __future__ import annotations

import pytest

from floto.api import Swf, WorkflowType
from floto.history import ExecutionFollower, WorkflowStatus, state_from_events
from floto.local.testing import unique_domain

PAGE = 10


@pytest.fixture
def run(local_engine):
    swf = Swf()
    domain = unique_domain(swf.client, prefix="follow")
    swf.register_workflow_type(
        WorkflowType(domain=domain, name="wf", version="1", default_task_list="deciders")
    )
    run_id = swf.start_workflow_execution(
        domain=domain, workflow_type_name="wf", workflow_type_version="1", workflow_id="w",
        input={"x": 1},
    )["runId"]  # fmt: skip
    return swf, domain, run_id


def signal(swf: Swf, domain: str, times: int) -> None:
    for number in range(times):
        swf.signal_workflow_execution(domain, "w", "tick", input={"n": number})


def test_polls_read_one_page_when_idle_and_only_new_pages_otherwise(run):
    swf, domain, run_id = run
    follower = ExecutionFollower(
        swf.history_page_reader(domain, "w", run_id, page_size=PAGE),
        domain=domain, workflow_id="w", run_id=run_id,
    )  # fmt: skip
    first = follower.poll()
    assert [event["eventId"] for event in first] == list(range(1, len(first) + 1))
    assert follower.state.workflow_input == {"x": 1}

    pages = follower.pages
    assert follower.poll() == []
    assert follower.pages == pages + 1  # nothing new: one page

    signal(swf, domain, 25)
    pages, before = follower.pages, follower.state.last_event_id
    new = follower.poll()
    assert len(new) >= 25 and new[0]["eventId"] == before + 1
    assert follower.pages - pages == -(-len(new) // PAGE)  # just the pages holding new events
    assert [s["input"] for s in follower.state.signals] == [{"n": n} for n in range(25)]

    swf.terminate_workflow_execution(domain, "w", run_id=run_id, reason="done")
    follower.poll()
    assert follower.state.status is WorkflowStatus.TERMINATED
    replayed = state_from_events(swf.get_workflow_execution_history(domain, workflow_id="w"))
    assert follower.state.last_event_id == replayed.last_event_id
    assert follower.state.signals == replayed.signals


def test_a_state_that_does_not_continue_the_history_is_replayed(run):
    swf, domain, _ = run
    signal(swf, domain, 3)
    follower = ExecutionFollower(swf.history_page_reader(domain, "w", page_size=PAGE))
    follower.poll()
    follower.state.last_event_type = "NotWhatHappened"  # as if another run's state
    follower.poll()
    assert follower.state.last_event_type != "NotWhatHappened"
    assert len(follower.state.signals) == 3  # replayed once, not folded twice
