"""History pages (maximumPageSize up to 1,000, nextPageToken) in both orders, in
GetWorkflowExecutionHistory and PollForDecisionTask."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from engine_env import Env, decide


@pytest.fixture(scope="module")
def long_run(swf) -> tuple[Env, dict]:
    """A run with 2,500+ events (markers), whose decision task is waiting to be polled."""
    env = Env(swf)
    run = env.start()
    for _ in range(3):
        markers = [decide("RecordMarker", markerName=f"m{i}") for i in range(830)]
        env.respond(env.decision(), *markers)
        env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="more")
    return env, run


def _pages(call, **kwargs) -> list[list[int]]:
    pages, token = [], None
    while True:
        extra = {"nextPageToken": token} if token else {}
        page = call(**kwargs, **extra)
        pages.append([e["eventId"] for e in page["events"]])
        token = page.get("nextPageToken")
        if not token:
            return pages


def test_history_pages_forward_and_reverse(long_run) -> None:
    env, run = long_run
    get = env.swf.get_workflow_execution_history
    forward = _pages(get, domain=env.domain, execution=run, maximumPageSize=1000)
    total = sum(len(p) for p in forward)
    assert total >= 2500 and [len(p) for p in forward[:-1]] == [1000] * (len(forward) - 1)
    assert [i for p in forward for i in p] == list(range(1, total + 1))
    reverse = _pages(get, domain=env.domain, execution=run, maximumPageSize=700, reverseOrder=True)
    assert [i for p in reverse for i in p] == list(range(total, 0, -1))
    assert len(reverse[0]) == 700


def test_default_page_is_1000_events(long_run) -> None:
    env, run = long_run
    page = env.swf.get_workflow_execution_history(domain=env.domain, execution=run)
    assert len(page["events"]) == 1000 and page["nextPageToken"]


def test_page_size_over_1000_is_refused(long_run) -> None:
    env, run = long_run
    with pytest.raises(ClientError) as caught:
        env.swf.get_workflow_execution_history(
            domain=env.domain, execution=run, maximumPageSize=1001
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_decision_task_pages_in_reverse_order(long_run) -> None:
    env, _run = long_run
    poll = env.swf.poll_for_decision_task
    first = poll(
        domain=env.domain, taskList={"name": env.tl}, reverseOrder=True, maximumPageSize=100
    )
    started = first["startedEventId"]
    ids = [e["eventId"] for e in first["events"]]
    assert ids[0] == started and len(ids) == 100
    token = first["nextPageToken"]
    while token:
        page = poll(
            domain=env.domain,
            taskList={"name": env.tl},
            nextPageToken=token,
            reverseOrder=True,
            maximumPageSize=1000,
        )
        assert page["taskToken"] == first["taskToken"]
        ids += [e["eventId"] for e in page["events"]]
        token = page.get("nextPageToken")
    assert ids == list(range(started, 0, -1))
    env.respond(first)


def test_decision_task_pages_forward(swf) -> None:
    env = Env(swf)
    env.start()
    env.respond(env.decision(), *[decide("RecordMarker", markerName="m") for _ in range(1500)])
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="s")
    first = env.decision()
    ids = [e["eventId"] for e in first["events"]]
    assert len(ids) == 1000
    second = env.decision(nextPageToken=first["nextPageToken"])
    ids += [e["eventId"] for e in second["events"]]
    assert ids == list(range(1, first["startedEventId"] + 1))
    assert "nextPageToken" not in second
