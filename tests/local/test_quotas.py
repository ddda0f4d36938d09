"""SWF's quotas that big runs meet, enforced as SWF enforces them: open activities, timers and
children per run (1,000 each), the rate quotas (token buckets, refused decisions recorded with
their ``*_RATE_EXCEEDED`` cause, calls answered ``ThrottlingException``), and the 1 MB request.

Rate tests run on an engine with small buckets that barely refill, each test in a region of its
own: an account's buckets are per region, so the tests do not share tokens.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from engine_env import POLL_WAIT, Env, decide, of_type, schedule

from floto.local import LocalEngine
from floto.local.testing import running_engine

NEVER = 0.001
"""A refill rate (tokens a second) that adds no token during a test."""

SMALL = {
    "account:ScheduleActivityTask": (25, NEVER),
    "task-list:ScheduleActivityTask": (20, NEVER),
    "account:StartChildWorkflowExecution": (3, NEVER),
    "account:SignalExternalWorkflowExecution": (2, NEVER),
    "account:RequestCancelExternalWorkflowExecution": (2, NEVER),
    "workflow:SignalWorkflowExecution": (5, NEVER),
    "workflow:RecordActivityTaskHeartbeat": (3, NEVER),
    "workflow:RequestCancelWorkflowExecution": (1, NEVER),
    "workflow:GetWorkflowExecutionHistory": (1000, 1000),  # Env.history reads pages freely
}
"""Bucket size and refill of the rate-test engine; the others are SWF's, scaled by 0.01
(account:StartTimer: 20 at once, 2 a second)."""


def _client(engine: LocalEngine, region: str, attempts: int = 3) -> Any:
    return boto3.client(
        "swf",
        endpoint_url=engine.endpoint_url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(read_timeout=30, retries={"total_max_attempts": attempts}),
    )


@pytest.fixture(scope="module")
def small_engine():
    with running_engine(poll_wait=POLL_WAIT, rate_scale=0.01, rate_limits=SMALL) as engine:
        yield engine


_REGIONS = iter(boto3.session.Session().get_available_regions("swf"))
"""SWF's regions (the engine knows these only), one for each test using ``env``."""


@pytest.fixture(scope="module")
def swf_quota_engine():
    """An engine with SWF's own quotas (full buckets in a region no test used yet)."""
    with running_engine(poll_wait=POLL_WAIT) as engine:
        yield engine


def _refused_since(engine: LocalEngine, before: dict[str, int]) -> dict[str, int]:
    """The rate-quota refusals counted since the engine's count was ``before``."""
    after = engine.quotas()["refused"]
    return {name: n - before.get(name, 0) for name, n in after.items() if n != before.get(name)}


@pytest.fixture
def env(small_engine: LocalEngine) -> Env:
    """A fresh domain in a region of its own (fresh account-level buckets)."""
    return Env(_client(small_engine, next(_REGIONS)))


def _causes(events: list[dict], event_type: str) -> Counter:
    return Counter(attrs["cause"] for attrs in of_type(events, event_type))


def _code(caught: pytest.ExceptionInfo) -> str:
    return caught.value.response["Error"]["Code"]


# -- SWF's own numbers ----------------------------------------------------------------------
def test_1200_activities_in_one_response_open_1000_and_refuse_200(
    swf_quota_engine: LocalEngine,
) -> None:
    engine = swf_quota_engine  # SWF's quotas
    refused = engine.quotas()["refused"]
    env = Env(_client(engine, next(_REGIONS)))  # full account buckets
    run = env.start()
    env.respond(env.decision(), *[schedule(f"a{i}") for i in range(1200)])
    events = env.history(run)
    scheduled = of_type(events, "ActivityTaskScheduled")
    failed = of_type(events, "ScheduleActivityTaskFailed")
    assert len(scheduled) == 1000 and [s["activityId"] for s in scheduled[:2]] == ["a0", "a1"]
    assert _causes(events, "ScheduleActivityTaskFailed") == {"OPEN_ACTIVITIES_LIMIT_EXCEEDED": 200}
    assert [f["activityId"] for f in failed] == [f"a{i}" for i in range(1000, 1200)]
    assert events[-1]["eventType"] == "DecisionTaskScheduled"  # the decider hears of it
    assert env.describe(run)["openCounts"]["openActivityTasks"] == 1000
    # the limit counts open activities: one closes, one more may be scheduled
    task = env.activity()
    env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="done")
    env.respond(env.decision(), schedule("again-1"), schedule("again-2"))
    events = env.history(run)
    assert of_type(events, "ActivityTaskScheduled")[-1]["activityId"] == "again-1"
    assert of_type(events, "ScheduleActivityTaskFailed")[-1]["activityId"] == "again-2"
    assert _refused_since(engine, refused) == {}  # no rate quota was met on the way


def _start_children(env: Env, count: int) -> dict:
    """Start run "parent" and answer its decision task with ``count`` child starts
    (kid-0, kid-1...); the parent run."""
    env.register_workflow("child", defaultTaskList={"name": "children"})
    run = env.start("parent")
    kids = [
        decide("StartChildWorkflowExecution", workflowType={"name": "child", "version": "1"},
               workflowId=f"kid-{i}")
        for i in range(count)
    ]  # fmt: skip
    env.respond(env.decision(), *kids)
    return run


def test_swf_rate_quotas_take_500_child_starts_at_once(swf_quota_engine: LocalEngine) -> None:
    engine = swf_quota_engine
    refused = engine.quotas()["refused"]
    env = Env(_client(engine, next(_REGIONS)))  # full account buckets
    run = _start_children(env, 600)
    events = env.history(run)
    # a bucket of 500 refilled at 12 a second while the response is carried out: 500 and a
    # few more start (100 more would take 8 s), the rest fail with the rate cause
    started = len(of_type(events, "ChildWorkflowExecutionStarted"))
    failed = _causes(events, "StartChildWorkflowExecutionFailed")
    assert 500 <= started < 600 and started + failed["CHILD_CREATION_RATE_EXCEEDED"] == 600
    assert set(failed) == {"CHILD_CREATION_RATE_EXCEEDED"}
    assert _refused_since(engine, refused) == {"account:StartChildWorkflowExecution": 600 - started}


def test_1001_timers_open_1000(swf) -> None:
    env = Env(swf)  # the shared engine (rate quotas off): only the open-timer limit applies
    run = env.start()
    timers = [decide("StartTimer", timerId=f"t{i}", startToFireTimeout="600") for i in range(1001)]
    env.respond(env.decision(), *timers)
    events = env.history(run)
    assert len(of_type(events, "TimerStarted")) == 1000
    assert of_type(events, "StartTimerFailed") == [
        {"timerId": "t1000", "cause": "OPEN_TIMERS_LIMIT_EXCEEDED",
         "decisionTaskCompletedEventId": 4}
    ]  # fmt: skip
    assert env.describe(run)["openCounts"]["openTimers"] == 1000


# -- the 1 MB request ------------------------------------------------------------------------
def _markers(count: int, chars: int) -> list[dict[str, Any]]:
    return [decide("RecordMarker", markerName=f"m{i}", details="d" * chars) for i in range(count)]


def test_a_request_over_1_mb_is_refused_and_the_decision_task_stays_open(env: Env) -> None:
    run = env.start()
    task = env.decision()
    with pytest.raises(ClientError) as caught:
        env.respond(task, *_markers(35, 30_000))  # 1.05 MB of decisions
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert _code(caught) == "RequestEntityTooLargeException"
    assert "1 MB (1,000,000 bytes)" in caught.value.response["Error"]["Message"]
    assert "DecisionTaskCompleted" not in env.types(run)
    env.respond(task, *_markers(33, 30_000))  # 0.99 MB with the headers: taken
    assert env.types(run).count("MarkerRecorded") == 33


def test_any_call_over_1_mb_is_refused(env: Env) -> None:
    with pytest.raises(ClientError) as caught:
        env.swf.register_domain(
            name="big", workflowExecutionRetentionPeriodInDays="1", description="x" * 1_000_100
        )
    assert _code(caught) == "RequestEntityTooLargeException"


# -- rate quotas -----------------------------------------------------------------------------
def test_a_burst_over_a_task_lists_schedule_rate_is_refused(env: Env, small_engine) -> None:
    run = env.start()
    burst = [schedule(f"a{i}") for i in range(30)]  # 20 a task list at once
    other = [schedule(f"b{i}", taskList={"name": "other"}) for i in range(5)]
    env.respond(env.decision(), *burst, *other)
    events = env.history(run)
    scheduled = [s["activityId"] for s in of_type(events, "ActivityTaskScheduled")]
    assert scheduled == [f"a{i}" for i in range(20)] + [f"b{i}" for i in range(5)]
    failed = of_type(events, "ScheduleActivityTaskFailed")
    assert [f["activityId"] for f in failed] == [f"a{i}" for i in range(20, 30)]
    assert {f["cause"] for f in failed} == {"ACTIVITY_CREATION_RATE_EXCEEDED"}
    assert events[-1]["eventType"] == "DecisionTaskScheduled"


def test_the_accounts_schedule_rate_spans_its_task_lists(env: Env) -> None:
    run = env.start()
    first = [schedule(f"a{i}") for i in range(15)]
    second = [schedule(f"b{i}", taskList={"name": "other"}) for i in range(15)]
    env.respond(env.decision(), *first, *second)  # 25 at once in the account (this region)
    events = env.history(run)
    assert len(of_type(events, "ActivityTaskScheduled")) == 25
    failed = of_type(events, "ScheduleActivityTaskFailed")
    assert [f["activityId"] for f in failed] == [f"b{i}" for i in range(10, 15)]
    assert _causes(events, "ScheduleActivityTaskFailed") == {"ACTIVITY_CREATION_RATE_EXCEEDED": 5}


def test_timer_starts_refill_at_the_scaled_rate(env: Env) -> None:
    run = env.start()
    env.respond(env.decision(), *[decide("StartTimer", timerId=f"t{i}", startToFireTimeout="600")
                                  for i in range(25)])  # fmt: skip
    events = env.history(run)
    assert len(of_type(events, "TimerStarted")) == 20  # SWF's 2,000 x 0.01
    assert _causes(events, "StartTimerFailed") == {"TIMER_CREATION_RATE_EXCEEDED": 5}
    time.sleep(1.6)  # 2 tokens a second: 3 at least by now, whatever the load
    env.respond(env.decision(), *[decide("StartTimer", timerId=f"u{i}", startToFireTimeout="600")
                                  for i in range(3)])  # fmt: skip
    assert len(of_type(env.history(run), "TimerStarted")) == 23


def test_child_starts_over_the_rate_fail(env: Env) -> None:
    run = _start_children(env, 5)
    events = env.history(run)
    started = of_type(events, "ChildWorkflowExecutionStarted")
    assert [s["workflowExecution"]["workflowId"] for s in started] == ["kid-0", "kid-1", "kid-2"]
    failed = of_type(events, "StartChildWorkflowExecutionFailed")
    assert [(f["workflowId"], f["cause"]) for f in failed] == [
        ("kid-3", "CHILD_CREATION_RATE_EXCEEDED"), ("kid-4", "CHILD_CREATION_RATE_EXCEEDED")
    ]  # fmt: skip


def test_external_signals_and_cancellations_over_the_rate_fail(env: Env) -> None:
    target = env.start("target")
    run = env.start("source")
    task = env.decision()
    while task["workflowExecution"]["workflowId"] != "source":
        task = env.decision()
    signals = [decide("SignalExternalWorkflowExecution", workflowId="target", signalName=f"s{i}")
               for i in range(3)]  # fmt: skip
    cancels = [decide("RequestCancelExternalWorkflowExecution", workflowId="target")
               for _ in range(3)]  # fmt: skip
    env.respond(task, *signals, *cancels)
    events = env.history(run)
    assert len(of_type(events, "SignalExternalWorkflowExecutionInitiated")) == 3
    assert len(of_type(events, "ExternalWorkflowExecutionSignaled")) == 2
    assert _causes(events, "SignalExternalWorkflowExecutionFailed") == {
        "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_RATE_EXCEEDED": 1
    }
    assert len(of_type(events, "ExternalWorkflowExecutionCancelRequested")) == 2
    assert _causes(events, "RequestCancelExternalWorkflowExecutionFailed") == {
        "REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_RATE_EXCEEDED": 1
    }
    assert env.types(target).count("WorkflowExecutionSignaled") == 2


def test_workflow_level_call_quotas_throttle_per_run(env: Env, small_engine) -> None:
    bare = Env.__new__(Env)  # the same domain, a client that does not retry
    bare.__dict__.update(env.__dict__, swf=_client(small_engine, env.swf.meta.region_name, 1))
    env.start("one")
    env.start("two")
    for i in range(5):
        bare.swf.signal_workflow_execution(domain=env.domain, workflowId="one", signalName=f"{i}")
    with pytest.raises(ClientError) as caught:
        bare.swf.signal_workflow_execution(domain=env.domain, workflowId="one", signalName="6")
    assert _code(caught) == "ThrottlingException"
    assert "SignalWorkflowExecution of this workflow execution" in str(caught.value)
    bare.swf.signal_workflow_execution(domain=env.domain, workflowId="two", signalName="ok")
    bare.swf.request_cancel_workflow_execution(domain=env.domain, workflowId="two")
    with pytest.raises(ClientError) as caught:
        bare.swf.request_cancel_workflow_execution(domain=env.domain, workflowId="two")
    assert _code(caught) == "ThrottlingException"


def test_heartbeats_over_the_runs_quota_are_throttled(env: Env, small_engine) -> None:
    env.start()
    env.respond(env.decision(), schedule("a"))
    token = env.activity()["taskToken"]
    bare = _client(small_engine, env.swf.meta.region_name, 1)
    for _ in range(3):
        assert bare.record_activity_task_heartbeat(taskToken=token)["cancelRequested"] is False
    with pytest.raises(ClientError) as caught:
        bare.record_activity_task_heartbeat(taskToken=token)
    assert _code(caught) == "ThrottlingException"
    env.swf.respond_activity_task_completed(taskToken=token)  # answers are not throttled


def test_quotas_endpoint_reports_settings_and_refusals(small_engine) -> None:
    figures = small_engine.quotas()
    assert figures["rateQuotas"] is True and figures["scale"] == 0.01
    assert figures["rates"]["account:StartTimer"] == {"size": 20.0, "refill": 2.0}
    assert figures["rates"]["task-list:ScheduleActivityTask"] == {"size": 20.0, "refill": NEVER}
    assert figures["maxRequestBytes"] == 1_000_000
    assert "rate quotas x0.01, account:ScheduleActivityTask=25/0.001" in small_engine.output()


def test_without_rate_quotas_nothing_is_throttled() -> None:
    with running_engine(poll_wait=POLL_WAIT, rate_quotas=False, rate_scale=0.01) as engine:
        env = Env(engine.client())
        run = env.start()
        env.respond(env.decision(), *[decide("StartTimer", timerId=f"t{i}", startToFireTimeout="9")
                                      for i in range(50)])  # fmt: skip
        assert len(of_type(env.history(run), "TimerStarted")) == 50
        assert engine.quotas()["rateQuotas"] is False
        assert "rate quotas off" in engine.output()
