"""Activity ids: a closed id can be scheduled again; ids follow SWF's documented rule."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from engine_env import Env, decide, of_type, schedule


def test_closed_activity_id_can_be_scheduled_again(env: Env) -> None:
    run = env.start()
    env.respond(env.decision(), schedule("retry-me"))
    env.swf.respond_activity_task_failed(taskToken=env.activity()["taskToken"], reason="boom")
    env.respond(env.decision(), schedule("retry-me"))
    env.swf.respond_activity_task_completed(taskToken=env.activity()["taskToken"], result="ok")
    events = env.history(run)
    assert len(of_type(events, "ActivityTaskScheduled")) == 2
    assert of_type(events, "ActivityTaskCompleted")[0]["result"] == "ok"
    assert not of_type(events, "ScheduleActivityTaskFailed")


def test_open_activity_id_is_in_use(env: Env) -> None:
    run = env.start()
    env.respond(env.decision(), schedule("a"), schedule("a"))
    failed = of_type(env.history(run), "ScheduleActivityTaskFailed")[0]
    assert failed["cause"] == "ACTIVITY_ID_ALREADY_IN_USE"


@pytest.mark.parametrize("bad_id", ["a:b", "a/b", "a|b", "tab\there", "arn", "x" * 257])
def test_illegal_activity_id_is_refused(env: Env, bad_id: str) -> None:
    run = env.start()
    task = env.decision()
    with pytest.raises(ClientError) as caught:
        env.respond(task, schedule(bad_id))
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "activityId" in caught.value.response["Error"]["Message"]
    env.respond(task, schedule("fine"))  # the decision task is still open
    assert "ActivityTaskScheduled" in env.types(run)


@pytest.mark.parametrize("bad_id", ["a:b", "arn", "x" * 257])
def test_illegal_workflow_and_timer_ids_are_refused(env: Env, bad_id: str) -> None:
    with pytest.raises(ClientError) as caught:
        env.start(bad_id)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    env.start()
    with pytest.raises(ClientError):
        env.respond(env.decision(), decide("StartTimer", timerId=bad_id, startToFireTimeout="1"))


def test_percent_encoded_ids_are_legal(env: Env) -> None:
    run = env.start("simple_activity%3Av1%3A2be88ca424")
    env.respond(env.decision(), schedule("simple_activity%3Av1%3A2be88ca424"))
    assert "ActivityTaskScheduled" in env.types(run)
