"""Swf's real calls, over HTTP, against the local engine."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import botocore.exceptions
import pytest

from floto.api import (
    ActivityType,
    EndpointError,
    Swf,
    UnknownResourceError,
    WorkflowAlreadyStartedError,
    WorkflowType,
)
from floto.local.testing import unique_domain


@pytest.fixture
def swf(local_engine) -> Swf:
    return Swf()  # the engine's address comes from AWS_ENDPOINT_URL_SWF, as for a user


@pytest.fixture
def domain(swf) -> str:
    name = unique_domain(swf.client, prefix="api")
    swf.register_workflow_type(
        WorkflowType(domain=name, name="wf", version="1", default_task_list="deciders")
    )
    return name


def start(swf: Swf, domain: str, workflow_id: str = "run-1", **kwargs) -> str:
    return swf.start_workflow_execution(
        domain=domain,
        workflow_type_name="wf",
        workflow_type_version="1",
        workflow_id=workflow_id,
        **kwargs,
    )["runId"]


def test_swf_reaches_the_engine_named_by_the_environment(swf, local_engine):
    assert swf.endpoint_url == local_engine.endpoint_url


def test_registering_twice_is_fine(swf):
    name = f"api-reg-{time.monotonic_ns()}"
    assert swf.domains.register_domain(name, retention_period=1) is True
    assert swf.domains.register_domain(name) is False
    assert swf.domains.domain_exists(name)
    workflow_type = WorkflowType(domain=name, name="w", version="1")
    activity_type = ActivityType(
        domain=name, name="a", version="1", default_task_start_to_close_timeout="NONE"
    )
    assert [
        swf.register_workflow_type(workflow_type),
        swf.register_workflow_type(workflow_type),
    ] == [True, False]
    assert [
        swf.register_activity_type(activity_type),
        swf.register_activity_type(activity_type),
    ] == [True, False]
    swf.domains.deprecate_domain(name)
    assert name in swf.domains.deprecated_names()
    assert not swf.domains.domain_exists(name)


def test_registering_a_type_in_an_unknown_domain_raises(swf):
    with pytest.raises(UnknownResourceError):
        swf.register_activity_type(ActivityType(domain="no-such-domain", name="a", version="1"))


def test_start_signal_describe_and_history(swf, domain):
    run_id = start(swf, domain, input={"b": 1, "a": 0})
    swf.signal_workflow_execution(domain, "run-1", "hello", input={"decider": "spec"})
    info = swf.describe_workflow_execution(domain, "run-1", run_id)["executionInfo"]
    assert info["executionStatus"] == "OPEN" and info["workflowType"]["name"] == "wf"
    events = swf.get_workflow_execution_history(domain, workflow_id="run-1")
    started = events[0]["workflowExecutionStartedEventAttributes"]
    assert started["input"] == '{"a": 0, "b": 1}'
    signaled = [e for e in events if e["eventType"] == "WorkflowExecutionSignaled"]
    assert signaled[0]["workflowExecutionSignaledEventAttributes"]["input"] == '{"decider": "spec"}'


def test_starting_an_open_workflow_id_again_raises(swf, domain):
    start(swf, domain)
    with pytest.raises(WorkflowAlreadyStartedError) as caught:
        start(swf, domain)
    assert caught.value.code == "WorkflowExecutionAlreadyStartedFault"


def test_history_comes_in_pages_and_the_pages_add_up(swf, domain):
    run_id = start(swf, domain)
    for n in range(6):
        swf.signal_workflow_execution(domain, "run-1", f"s{n}")
    everything = swf.get_workflow_execution_history(domain, workflow_id="run-1", run_id=run_id)
    before = swf.call_counts["GetWorkflowExecutionHistory"]
    pages = list(swf.iter_history_pages(domain, workflow_id="run-1", run_id=run_id, page_size=3))
    assert len(pages) >= 3 and all(len(page) <= 3 for page in pages)
    assert swf.call_counts["GetWorkflowExecutionHistory"] - before == len(pages)
    newest_first = [event["eventId"] for page in pages for event in page]
    assert newest_first == [event["eventId"] for event in reversed(everything)]
    assert len(everything) >= 8


def test_terminate_closes_the_run_and_listings_see_it(swf, domain):
    run_id = start(swf, domain, tag_list=["nightly"])
    assert swf.count_workflow_executions(domain) == 1
    swf.terminate_workflow_execution(domain, "run-1", reason="r" * 400, details="stop")
    closed = swf.list_workflow_executions(domain, status="closed", close_status="TERMINATED")
    assert [info["execution"]["runId"] for info in closed] == [run_id]
    assert swf.list_workflow_executions(domain) == []
    assert swf.latest_run_id(domain, "run-1") == run_id
    events = swf.get_workflow_execution_history(domain, workflow_id="run-1")
    terminated = events[-1]["workflowExecutionTerminatedEventAttributes"]
    assert len(terminated["reason"]) == 256


def test_cancel_request_is_recorded(swf, domain):
    start(swf, domain)
    swf.request_cancel_workflow_execution(domain, "run-1")
    types = [
        e["eventType"] for e in swf.get_workflow_execution_history(domain, workflow_id="run-1")
    ]
    assert "WorkflowExecutionCancelRequested" in types


def test_unknown_workflow_raises_unknown_resource(swf, domain):
    with pytest.raises(UnknownResourceError):
        swf.get_workflow_execution_history(domain, workflow_id="never-started")
    with pytest.raises(UnknownResourceError):
        swf.signal_workflow_execution(domain, "never-started", "s")


@pytest.fixture(scope="module", autouse=True)
def empty_poll(local_engine) -> Iterator[Future]:
    """An activity poll on a list nothing is ever scheduled on, begun as the module starts, in
    a domain of its own: it waits out the engine's whole poll wait while the other tests run,
    instead of after them."""
    swf = Swf()
    domain = unique_domain(swf.client, prefix="api")
    with ThreadPoolExecutor(1) as pool:
        yield pool.submit(
            swf.poll_for_activity_task, domain, "nobody-schedules-here", identity="test"
        )


def test_an_empty_activity_poll_has_an_empty_task_token(empty_poll: Future):
    response = empty_poll.result(timeout=60)
    assert response.get("taskToken") == ""  # SWF: a task whose token is the empty string


def test_a_dropped_connection_is_retried(swf, domain):
    failures = []

    def drop_first_two(request, **_):
        if len(failures) < 2:
            failures.append(request.url)
            raise botocore.exceptions.ConnectionClosedError(endpoint_url=request.url)
        return None

    swf.retry_base_seconds = 0.01
    swf.client.meta.events.register("before-send.swf.StartWorkflowExecution", drop_first_two)
    assert start(swf, domain)
    assert len(failures) == 2
    assert swf.call_counts["StartWorkflowExecution"] == 3


def test_refused_connection_raises_endpoint_error_at_once():
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    swf = Swf(endpoint_url=f"http://127.0.0.1:{port}")
    began = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        swf.domains.registered_names()
    assert time.monotonic() - began < 5
    assert caught.value.endpoint == f"http://127.0.0.1:{port}"
    assert "floto local" in str(caught.value) and "AWS_ENDPOINT_URL_SWF" in str(caught.value)
    assert swf.call_counts["ListDomains"] == 1
