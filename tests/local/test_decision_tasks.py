"""One outstanding decision task per run, and previousStartedEventId as SWF sends it."""

from __future__ import annotations

from engine_env import Env, decide, of_type

from floto.local import LocalEngine


def test_start_and_two_signals_schedule_one_decision_task(env: Env) -> None:
    run = env.start()
    for name in ("a", "b"):
        env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName=name)
    assert env.types(run).count("DecisionTaskScheduled") == 1
    task = env.decision()
    assert task["previousStartedEventId"] == 0
    assert env.describe(run)["openCounts"]["openDecisionTasks"] == 1


def test_events_during_a_decision_task_schedule_the_next_after_it(env: Env) -> None:
    run = env.start()
    first = env.decision()
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="s")
    assert env.types(run).count("DecisionTaskScheduled") == 1  # not while one is started
    env.respond(first)
    types = env.types(run)
    assert types[-2:] == ["DecisionTaskCompleted", "DecisionTaskScheduled"]
    second = env.decision()
    assert second["previousStartedEventId"] == first["startedEventId"]
    env.respond(second)
    assert env.types(run)[-1] == "DecisionTaskCompleted"  # nothing new: no new task


def test_previous_started_skips_a_timed_out_decision_task(
    tenv: Env, skipping_engine: LocalEngine
) -> None:
    env = tenv  # virtual time: the timer is jumped to, the timeout skipped to
    run = env.start(taskStartToCloseTimeout="1")
    first = env.decision()
    env.respond(first, decide("StartTimer", timerId="t", startToFireTimeout="1"))
    timed_out = env.decision()  # never answered: times out after 1 s
    skipping_engine.skip(1)
    again = env.decision()
    assert "DecisionTaskTimedOut" in env.types(run)
    assert again["previousStartedEventId"] == first["startedEventId"]
    assert again["startedEventId"] > timed_out["startedEventId"]


def test_decision_timeout_none_is_fine(env: Env) -> None:
    run = env.start(taskStartToCloseTimeout="NONE")
    task = env.decision()
    env.swf.signal_workflow_execution(domain=env.domain, workflowId="w", signalName="s")
    env.swf.list_open_workflow_executions(domain=env.domain, startTimeFilter={"oldestDate": 0})
    env.respond(task, decide("CompleteWorkflowExecution"))
    events = env.history(run)
    assert of_type(events, "CompleteWorkflowExecutionFailed")[0]["cause"] == "UNHANDLED_DECISION"
    env.respond(env.decision(), decide("CompleteWorkflowExecution", result=""))
    assert env.describe(run)["executionInfo"]["closeStatus"] == "COMPLETED"
    assert of_type(env.history(run), "WorkflowExecutionCompleted")[0]["result"] == ""
