"""Random decision lists never get an HTTP 500 and never leave a run stuck."""

from __future__ import annotations

from botocore.exceptions import ClientError
from engine_env import Env, decide, schedule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ids = st.sampled_from(["a", "b", "t", "kid", "w", "x:y", "arn", "z" * 257])
payloads = st.sampled_from([None, "", "0", "p" * 32_768, "p" * 32_769])

decisions = st.one_of(
    st.builds(lambda i, p: schedule(i, input=p) if p is not None else schedule(i), ids, payloads),
    st.builds(lambda i: schedule(i, name="unregistered"), ids),
    st.builds(lambda i: decide("StartTimer", timerId=i, startToFireTimeout="30"), ids),
    st.builds(lambda i: decide("CancelTimer", timerId=i), ids),
    st.builds(lambda i: decide("RequestCancelActivityTask", activityId=i), ids),
    st.builds(lambda p: decide("RecordMarker", markerName="m", details=p), payloads),
    st.builds(
        lambda i: decide("SignalExternalWorkflowExecution", workflowId=i, signalName="s"), ids
    ),
    st.builds(lambda i: decide("RequestCancelExternalWorkflowExecution", workflowId=i), ids),
    st.builds(
        lambda i: decide(
            "StartChildWorkflowExecution", workflowId=i, workflowType={"name": "wf", "version": "1"}
        ),
        ids,
    ),
    st.builds(lambda p: decide("CompleteWorkflowExecution", result=p), payloads),
    st.builds(lambda p: decide("FailWorkflowExecution", reason="r", details=p), payloads),
    st.just(decide("CancelWorkflowExecution")),
    st.just(decide("ContinueAsNewWorkflowExecution")),
    st.just(decide("ScheduleLambdaFunction", id="l", name="f")),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(decisions, max_size=6), min_size=1, max_size=3))
def test_random_decisions_are_answered_without_500_and_runs_move_on(swf, batches) -> None:
    env = Env(swf)
    run = env.start("w")
    for batch in batches:
        runs = env.swf.list_open_workflow_executions(
            domain=env.domain,
            startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": "w"},
        )["executionInfos"]
        if not runs or not env.describe(runs[0]["execution"])["openCounts"]["openDecisionTasks"]:
            break
        task = env.decision()
        if not task.get("taskToken"):
            break
        try:
            env.respond(task, *batch)
        except ClientError as err:
            assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            env.respond(task)  # a refused list leaves the task open: answer it
    info = env.swf.list_open_workflow_executions(
        domain=env.domain, startTimeFilter={"oldestDate": 0}, executionFilter={"workflowId": "w"}
    )["executionInfos"]
    for open_run in info:  # a refused decision is always followed by a new decision task
        types = env.types(open_run["execution"])
        failed = [i for i, t in enumerate(types) if t.endswith("Failed") and t in REFUSED]
        if failed:
            assert "DecisionTaskScheduled" in types[failed[-1] :], types
    assert run["runId"]


REFUSED = {
    "ScheduleActivityTaskFailed",
    "StartTimerFailed",
    "CancelTimerFailed",
    "RequestCancelActivityTaskFailed",
    "SignalExternalWorkflowExecutionFailed",
    "RequestCancelExternalWorkflowExecutionFailed",
    "StartChildWorkflowExecutionFailed",
    "CompleteWorkflowExecutionFailed",
    "FailWorkflowExecutionFailed",
    "CancelWorkflowExecutionFailed",
    "ContinueAsNewWorkflowExecutionFailed",
    "ScheduleLambdaFunctionFailed",
}
