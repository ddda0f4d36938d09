"""`floto local --fault-rate`: SWF calls meet throttling, 5xx, lost answers and delays, drawn
from a seed, logged, counted; set-up calls never do. Driven through boto3 with retries off, so
each call shows what the engine did to it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError
from engine_env import POLL_WAIT, Env, schedule

from floto.local import LocalEngine
from floto.local._faults import Faults
from floto.local.testing import running_engine

DROPPED = (ConnectionClosedError, EndpointConnectionError)


def _raw(engine: LocalEngine) -> Any:
    """A client that tries each call once: the fault reaches the test as it happened."""
    return engine.client("swf", config=Config(read_timeout=30, retries={"total_max_attempts": 1}))


def _outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as exc:
        status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
        return f"{exc.response['Error']['Code']} {status}"
    except DROPPED:
        return "dropped"
    return "ok"


def _until_ok(call: Callable[[], Any], tries: int = 60) -> Any:
    """Retry what a fault refused or dropped (rate < 1)."""
    for _ in range(tries):
        try:
            return call()
        except (ClientError, *DROPPED) as exc:
            if isinstance(exc, ClientError) and exc.response["Error"]["Code"] not in (
                "ThrottlingException",
                "InternalFailure",
                "ServiceUnavailable",
            ):
                raise
    raise AssertionError(f"still faulted after {tries} tries")


def _open_ids(env: Env) -> set[str]:
    infos = _until_ok(
        lambda: env.swf.list_open_workflow_executions(
            domain=env.domain, startTimeFilter={"oldestDate": 0}
        )
    )["executionInfos"]
    return {info["execution"]["workflowId"] for info in infos}


@pytest.fixture
def faulty() -> Iterator[Callable[..., LocalEngine]]:
    """Start engines with fault options (stopped after the test)."""
    started: list[Any] = []

    def start(**options: Any) -> LocalEngine:
        manager = running_engine(poll_wait=POLL_WAIT, **options)
        started.append(manager)
        return manager.__enter__()

    yield start
    for manager in started:
        manager.__exit__(None, None, None)


def _starts(env: Env, count: int) -> dict[str, str]:
    return {f"w{i}": _outcome(lambda i=i: env.start(workflow_id=f"w{i}")) for i in range(count)}


def test_throttled_and_5xx_calls_are_refused_and_not_carried_out(faulty) -> None:
    engine = faulty(fault_rate=0.5, fault_kinds=("throttle", "5xx"), fault_seed=11)
    env = Env(_raw(engine))  # registering the domain and types is never faulted
    outcomes = _starts(env, 30)
    refused = {wid for wid, outcome in outcomes.items() if outcome != "ok"}
    assert {outcomes[wid] for wid in refused} <= {
        "ThrottlingException 400",
        "InternalFailure 500",
        "ServiceUnavailable 503",
    }
    assert len({outcomes[wid].split()[0] for wid in refused}) == 3  # all three at 0.5 of 30
    assert _open_ids(env) == set(outcomes) - refused


def test_a_dropped_answer_is_lost_but_the_call_took_effect(faulty) -> None:
    engine = faulty(fault_rate=0.5, fault_kinds=("drop-response",), fault_seed=5)
    env = Env(_raw(engine))
    outcomes = _starts(env, 20)
    assert set(outcomes.values()) == {"ok", "dropped"}
    assert _open_ids(env) == set(outcomes)  # every start happened, answered or not


def _seed_dropping(*pattern: bool) -> int:
    """A seed whose first draws drop (True) or spare (False) the calls, as the engine draws."""
    for seed in range(1000):
        faults = Faults()
        faults.configure(0.5, ("drop-response",), seed)
        if [faults.draw("Call") is not None for _ in pattern] == list(pattern):
            return seed
    raise AssertionError("no such seed below 1000")


def test_a_task_handed_out_in_a_dropped_answer_is_started_and_times_out(faulty) -> None:
    seed = _seed_dropping(False, True)  # the start is answered, the poll's answer is lost
    # virtual time (an engine that moves only when told): skip over the 1 s timeout
    engine = faulty(
        fault_rate=0.5,
        fault_kinds=("drop-response",),
        fault_seed=seed,
        time_skipping=True,
        extra_args=("--skip-quiet", "86400"),
    )
    env = Env(_raw(engine))
    run = env.start(taskStartToCloseTimeout="1")
    assert _outcome(env.decision) == "dropped"
    engine.skip(1)  # the clock's own endpoint: never faulted
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        kinds = [event["eventType"] for event in _until_ok(lambda: env.history(run))]
        if "DecisionTaskTimedOut" in kinds:
            break
        time.sleep(0.2)
    assert kinds[:3] == ["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"]
    assert "DecisionTaskTimedOut" in kinds  # started for a decider that never heard of it


def _seed_slow(calls: int, at_most: float) -> tuple[int, list[float]]:
    """A seed whose first ``calls`` slow faults (rate 1) are at most ``at_most`` seconds late
    (the draws go from 0.2 to 2 s: a test need not wait the long ones), and their delays."""
    for seed in range(1000):
        faults = Faults()
        faults.configure(1.0, ("slow",), seed)
        delays = [fault.delay for fault in (faults.draw("Call") for _ in range(calls)) if fault]
        if max(delays) <= at_most:
            return seed, delays
    raise AssertionError("no such seed below 1000")


def test_slow_calls_are_answered_late(faulty) -> None:
    seed, delays = _seed_slow(3, at_most=0.5)
    engine = faulty(fault_rate=1.0, fault_kinds=("slow",), fault_seed=seed)
    env = Env(_raw(engine))
    began = time.monotonic()
    env.swf.describe_domain(name=env.domain)  # set-up calls are never faulted
    assert time.monotonic() - began < 0.2
    for delay in delays:
        began = time.monotonic()
        env.swf.count_pending_decision_tasks(domain=env.domain, taskList={"name": env.tl})
        assert time.monotonic() - began >= max(delay, 0.2)  # late by the delay drawn
    assert engine.faults()["injected"]["slow"] == 3
    late = f"floto local fault 3: slow on CountPendingDecisionTasks, {delays[2]:.2f} s late"
    assert late in engine.output()


def _sequence(engine: LocalEngine) -> list[str]:
    env = Env(_raw(engine))
    pending = {"domain": env.domain, "taskList": {"name": env.tl}}
    return [_outcome(lambda: env.swf.count_pending_decision_tasks(**pending)) for _ in range(40)]


def test_a_seed_replays_the_same_faults_for_the_same_calls(faulty) -> None:
    kinds = ("throttle", "5xx")
    first = _sequence(faulty(fault_rate=0.5, fault_kinds=kinds, fault_seed=42))
    again = _sequence(faulty(fault_rate=0.5, fault_kinds=kinds, fault_seed=42))
    other = _sequence(faulty(fault_rate=0.5, fault_kinds=kinds, fault_seed=43))
    assert first == again
    assert first != other
    assert 5 <= sum(outcome != "ok" for outcome in first) <= 35


def test_faults_are_logged_and_counted(faulty) -> None:
    # two kinds a client tells apart at once (slow ones are counted and logged in
    # test_slow_calls_are_answered_late: 40 calls with slow faults would wait ~10 s)
    kinds = ("throttle", "drop-response")
    engine = faulty(fault_rate=0.5, fault_kinds=kinds, fault_seed=7)
    outcomes = _sequence(engine)
    figures = engine.faults()
    assert figures["rate"] == 0.5 and figures["seed"] == 7
    assert figures["kinds"] == list(kinds)
    assert figures["calls"] == 40  # registering the domain and types is not counted
    assert figures["injected"]["throttle"] == outcomes.count("ThrottlingException 400")
    assert figures["injected"]["drop-response"] == outcomes.count("dropped")
    injected = sum(figures["injected"].values())
    assert 5 <= injected <= 35 and injected == 40 - outcomes.count("ok")
    output = engine.output()
    first_line = output.splitlines()[0]
    assert "fault injection: 0.5 of SWF calls (throttle, drop-response), seed 7" in first_line
    assert f"floto local fault {injected}: " in output
    assert "floto local fault 1: " in output and "on CountPendingDecisionTasks" in output


def test_registration_is_never_faulted(faulty) -> None:
    engine = faulty(fault_rate=1.0)
    client = _raw(engine)
    for _ in range(3):
        env = Env(client)  # a domain, a workflow type and an activity type each time
        client.describe_domain(name=env.domain)
        client.list_activity_types(domain=env.domain, registrationStatus="REGISTERED")
    assert engine.faults()["calls"] == 0


def test_without_a_rate_nothing_is_faulted(local_engine: LocalEngine, env: Env) -> None:
    run = env.start()
    env.respond(env.decision(), schedule("a"))
    assert local_engine.faults()["rate"] == 0
    assert local_engine.faults()["injected"] == dict.fromkeys(
        ["throttle", "5xx", "drop-response", "slow"], 0
    )
    assert env.types(run)[-1] == "ActivityTaskScheduled"
