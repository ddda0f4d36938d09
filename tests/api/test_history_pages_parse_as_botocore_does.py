"""floto reads history pages' events without botocore's shape walk (floto.api._fastparse):
the events are the same values botocore gives, on real histories of the local engine."""

from __future__ import annotations

import datetime as dt

from botocore.parsers import create_parser

import floto
import floto.testing
from floto.api import ActivityType, Swf, WorkflowType
from floto.local.testing import unique_domain
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Timer
from floto.worker import ActivityRegistry

REGISTRY = ActivityRegistry()


@floto.activity("parse_ok", "1", registry=REGISTRY)
def ok(context):
    return {"text": 'été ✓ \u2028 "quoted"', "n": 2**53 + 1, "x": 1.5, "none": None}


@floto.activity("parse_fails", "1", registry=REGISTRY)
def fails():
    raise ValueError("a reason with 'quotes' and\nnewlines")


class BotocoreSwf(Swf):
    fast_history = False


def _varied_run(env: floto.testing.Environment) -> str:
    a = ActivityTask(name="parse_ok", version="1")
    timer = Timer(id_="pause", delay_in_seconds=1, requires=[a])
    bad = ActivityTask(
        name="parse_fails", version="1", retry_strategy=InstantRetry(1), requires=[timer]
    )
    launched = env.launch([a, timer, bad])
    env.wait(launched)
    return launched.workflow_id


def test_histories_read_the_same_with_and_without_botocores_parser(local_engine):
    with floto.testing.Environment(engine=local_engine, registry=REGISTRY, workers=1) as env:
        workflow_id = _varied_run(env)
        fast = Swf().get_workflow_execution_history(env.domain, workflow_id=workflow_id)
        slow = BotocoreSwf().get_workflow_execution_history(env.domain, workflow_id=workflow_id)
    types = {event["eventType"] for event in slow}
    assert {"ActivityTaskFailed", "TimerFired", "ActivityTaskCompleted"} <= types
    assert fast == slow and len(fast) > 20
    assert [str(e["eventTimestamp"]) for e in fast] == [str(e["eventTimestamp"]) for e in slow]
    assert all(isinstance(e["eventTimestamp"], dt.datetime) for e in fast)
    assert all(a["eventTimestamp"].utcoffset() == b["eventTimestamp"].utcoffset()
               for a, b in zip(fast, slow, strict=True))  # fmt: skip


def _started(swf: Swf, task_list: str, workflow_id: str) -> str:
    """A new domain with a run of type wf:1 started on ``task_list``; the domain's name."""
    domain = unique_domain(swf.client, prefix="parse")
    swf.register_workflow_type(
        WorkflowType(
            domain=domain, name="wf", version="1", default_task_list=task_list,
            default_task_start_to_close_timeout=60, default_execution_start_to_close_timeout=600,
        )
    )  # fmt: skip
    swf.start_workflow_execution(
        domain=domain, workflow_type_name="wf", workflow_type_version="1", workflow_id=workflow_id
    )
    return domain


def test_decision_task_pages_read_the_same(local_engine):
    swf, slow_swf = Swf(), BotocoreSwf()
    domain = _started(swf, "pages", "p")
    for i in range(5):
        swf.signal_workflow_execution(domain, "p", "sig", input={"i": i, "text": "é\n"})
    first = swf.poll_for_decision_task(domain, "pages", identity="t", page_size=2)
    token = first["nextPageToken"]
    pages = [
        client.poll_for_decision_task(
            domain, "pages", identity="t", next_page_token=token, page_size=2
        )
        for client in (swf, slow_swf)
    ]
    assert pages[0]["events"] == pages[1]["events"] and len(pages[0]["events"]) == 2
    fast_page, slow_page = ({k: v for k, v in p.items() if k != "ResponseMetadata"} for p in pages)
    assert fast_page == slow_page
    history = slow_swf.get_workflow_execution_history(domain, workflow_id="p", reverse_order=True)
    assert first["events"] == history[:2] and pages[0]["events"] == history[2:4]
    assert first["taskToken"] and first["workflowExecution"]["workflowId"] == "p"


def test_activity_tasks_read_the_same(local_engine):
    """A real activity task's answer, parsed by botocore's own JSON parser and by floto's."""
    swf = Swf()
    domain = _started(swf, "d", "a")
    swf.register_activity_type(
        ActivityType(
            domain=domain, name="act", version="1", default_task_list="acts",
            default_task_start_to_close_timeout=60, default_task_heartbeat_timeout="NONE",
            default_task_schedule_to_start_timeout="NONE",
            default_task_schedule_to_close_timeout="NONE",
        )
    )  # fmt: skip
    decision = swf.poll_for_decision_task(domain, "d", identity="t")
    schedule = {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "act", "version": "1"}, "activityId": "x%é",
            "input": '{"a": "é \\u2028", "n": 12345678901234567890}',
        },
    }  # fmt: skip
    swf.respond_decision_task_completed(decision["taskToken"], [schedule])
    recorded: list[bytes] = []
    client = swf.client
    client.meta.events.register_first(
        "before-parse.swf.PollForActivityTask",
        lambda response_dict, **_: recorded.append(response_dict["body"]),
    )
    task = swf.poll_for_activity_task(domain, "acts", identity="worker")
    task.pop("ResponseMetadata")
    model = client.meta.service_model.operation_model("PollForActivityTask")
    by_botocore = create_parser("json").parse(
        {"body": recorded[0], "headers": {}, "status_code": 200}, model.output_shape
    )
    by_botocore.pop("ResponseMetadata", None)
    assert task == by_botocore and task["activityId"] == "x%é" and task["taskToken"]
