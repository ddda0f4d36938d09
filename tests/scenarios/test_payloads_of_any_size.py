"""Payloads over SWF's 32,768 characters travel through the payload store (the local engine's
own S3, no setup): results, workflow inputs, generator task lists, contexts. Small ones never
touch S3; without a store the error says how to configure one; the cap refuses absurd ones."""

from __future__ import annotations

import hashlib
import json
import logging

import pytest

from floto.api import PayloadStore, Swf
from floto.decider import Decider
from floto.errors import PayloadError, PayloadTooLargeError
from floto.history import state_from_events
from floto.specs.task import ActivityTask, ChildWorkflow, Generator
from floto.wire import PAYLOAD_KEY, payload_ref_of_text

MB = 1_000_000


def _described(value):
    text = json.dumps(value, sort_keys=True)
    return {"chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()}


def _decide_without_store(spec):
    logging.basicConfig(level=logging.WARNING)
    Decider(spec, swf=Swf(payload_store=False)).run()


def test_a_5mb_result_and_a_1mb_input_round_trip_through_a_run(scenario):
    big = ActivityTask(name="big", version="1", input={"size": 5 * MB})
    after_big = ActivityTask(name="measure", version="1", requires=[big])
    reads_input = ActivityTask(name="measure", version="1", input={"of": "workflow"})
    scenario.decider(scenario.spec([big, after_big, reads_input],
                                   terminate_decider_after_completion=True))  # fmt: skip
    scenario.workers(2)
    workflow_input = {"data": "w" * MB}
    scenario.start(input=workflow_input)
    outcome = scenario.wait("run", timeout=120)
    assert outcome.status == "completed", outcome.reason
    # the dependent received the 5 MB result, the root the 1 MB input, whole and unchanged
    assert outcome.result[after_big.id_][big.id_] == _described({"blob": "b" * 5 * MB})
    assert outcome.result[reads_input.id_]["workflow"] == _described(workflow_input)
    # on the wire: references only, and the decider passed the result on unread
    started = outcome.events("WorkflowExecutionStarted")[0]
    assert payload_ref_of_text(started["input"]).size > MB
    (completed_big,) = [e for e in outcome.events("ActivityTaskCompleted")
                        if PAYLOAD_KEY in e["result"]]  # fmt: skip
    assert payload_ref_of_text(completed_big["result"]).size == 5 * MB + len('{"blob": ""}')
    scheduled = {e["activityId"]: e for e in outcome.events("ActivityTaskScheduled")}
    dependent_input = scheduled[after_big.id_.replace(":", "%3A")]["input"]
    assert len(dependent_input) < 1000 and PAYLOAD_KEY in dependent_input
    # the state shows resolved values given a resolver, and says why not without one
    swf = Swf()
    state = state_from_events(outcome.history, resolver=swf.resolve_payload)
    assert len(state.tasks[big.id_].result["blob"]) == 5 * MB
    assert state.workflow_input == workflow_input
    assert state.context_of(after_big.id_)[big.id_] == {"blob": "b" * 5 * MB}
    assert PAYLOAD_KEY in state.context_of(after_big.id_, by_reference=True)[big.id_]
    with pytest.raises(PayloadError, match="no resolver"):
        _ = state_from_events(outcome.history).tasks[big.id_].result


def test_a_generator_of_300_tasks_over_32kb_completes(scenario):
    generator = Generator(name="fan_out", version="1", input={"count": 150})
    after = ActivityTask(name="add", version="1", input={"n": 1}, requires=[generator])
    scenario.decider(scenario.spec([generator, after], terminate_decider_after_completion=True))
    scenario.workers(3)
    scenario.start()
    outcome = scenario.wait("run", timeout=240)
    assert outcome.status == "completed", outcome.reason
    results = [e.get("result", "") for e in outcome.events("ActivityTaskCompleted")]
    (task_list,) = [r for r in results if PAYLOAD_KEY in r]  # the generator's
    assert payload_ref_of_text(task_list).size > 32_768
    assert len(outcome.events("ActivityTaskCompleted")) == 1 + 300 + 1
    # `after` waited for all 300 and got their results: copies return n, lengths 100 + n
    assert outcome.result == {after.id_: 1 + sum(n + 100 + n for n in range(150))}


def test_a_1000_requirement_fan_in_keeps_its_spec_records_within_limits(scenario):
    sources = [ActivityTask(name="zero", version="1", id_=f"z{n}") for n in range(1000)]
    sink = ActivityTask(name="add", version="1", input={"n": 5}, requires=sources)
    scenario.decider(scenario.spec([*sources, sink], terminate_decider_after_completion=True))
    scenario.workers(3)
    scenario.start()
    outcome = scenario.wait("run", timeout=300)
    assert outcome.status == "completed", outcome.reason
    assert outcome.result == {sink.id_: 5}
    markers = [e["details"] for e in outcome.events("MarkerRecorded")]
    assert markers and all(len(details) <= 32_768 for details in markers)
    # several markers (1,001 tasks' records are ~82 kB), each within SWF's limit, and compact:
    # the sink's 1,000 requirements are one range (10,000 in tests/history)
    assert 2 <= len(markers) <= 4
    rebuilt = state_from_events(outcome.history)  # the graph, from the markers alone
    assert rebuilt.tasks[sink.id_].requires == [task.id_ for task in sources]


def test_a_payload_over_the_cap_is_refused_clearly(scenario, monkeypatch):
    store = PayloadStore("floto-payloads", endpoint_url=scenario.swf.endpoint_url,
                         create_bucket=True, max_bytes=100_000)  # fmt: skip
    swf = Swf(payload_store=store)
    with pytest.raises(PayloadTooLargeError) as caught:
        swf.start_workflow_execution(domain=scenario.domain, workflow_type_name="wf",
                                     workflow_type_version="1", input="x" * 150_000)  # fmt: skip
    assert "workflow input is 150,000 bytes, over floto's payload cap of 100,000" in str(
        caught.value
    )
    assert store.call_counts == {}  # refused before anything was sent
    # a worker whose cap is 200 kB fails the task and the run says why
    monkeypatch.setenv("FLOTO_PAYLOAD_MAX_BYTES", "200000")
    big = ActivityTask(name="big", version="1", input={"size": 300_000})
    scenario.decider(scenario.spec([big], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start()
    outcome = scenario.wait("run", timeout=60)
    assert outcome.status == "failed"
    assert "is 300,012 bytes, over floto's payload cap of 200,000" in outcome.reason


def test_without_a_store_an_oversized_context_fails_the_run_saying_how_to_configure_one(
    scenario,
):
    task = ActivityTask(name="echo", version="1", input="y" * 20_000)
    scenario.process(_decide_without_store,
                     scenario.spec([task], terminate_decider_after_completion=True))  # fmt: skip
    scenario.workers(1)
    scenario.start(input="x" * 20_000)
    outcome = scenario.wait("run")
    assert outcome.status == "failed"
    assert outcome.reason.startswith(f"task {task.id_} failed: activity input is 40,")
    assert "over SWF's limit of 32,768" in outcome.reason
    assert "FLOTO_PAYLOAD_STORE=s3://" in outcome.details[task.id_]
    assert not outcome.events("ActivityTaskScheduled")
    with pytest.raises(PayloadTooLargeError, match="payload_store="):
        Swf(payload_store=False).start_workflow_execution(
            domain=scenario.domain, workflow_type_name="wf", workflow_type_version="1",
            workflow_id="other", input="x" * 40_000,
        )  # fmt: skip


def test_with_the_local_default_store_the_same_context_is_sent_by_reference(scenario):
    task = ActivityTask(name="echo", version="1", input="y" * 20_000)
    scenario.decider(scenario.spec([task], terminate_decider_after_completion=True))
    scenario.workers(1)
    scenario.start(input="x" * 20_000)
    outcome = scenario.wait("run")
    assert outcome.status == "completed", outcome.reason
    assert PAYLOAD_KEY in outcome.events("ActivityTaskScheduled")[0]["input"]
    # echo's 40 kB result is stored too: the run's result refers to it
    assert PAYLOAD_KEY in outcome.result[task.id_]
    state = state_from_events(outcome.history, resolver=Swf().resolve_payload)
    context = state.result[task.id_]["context"]
    assert context == {"workflow": "x" * 20_000, "activity_task": "y" * 20_000}


def _step(decider, worker):
    assert decider.run_once(), "expected a decision task"
    assert worker.run_once(), "expected an activity task"


def test_small_payloads_make_no_s3_call(scenario):
    swf = Swf()
    a = ActivityTask(name="add", version="1", input={"n": 2})
    b = ActivityTask(name="add", version="1", input={"n": 3}, requires=[a])
    decider = Decider(scenario.spec([a, b]), swf=swf)
    worker = scenario_worker(scenario, swf)
    swf.start_workflow_execution(domain=scenario.domain, workflow_type_name="wf",
                                 workflow_type_version="1", workflow_id="small",
                                 input={"some": "input"})  # fmt: skip
    _step(decider, worker)
    _step(decider, worker)
    assert decider.run_once()
    assert scenario.wait("small").result == {b.id_: 5}
    assert swf.payload_store is not None and swf.payload_store.call_counts == {}
    # the counter does count: a large input goes through the same store
    swf.start_workflow_execution(domain=scenario.domain, workflow_type_name="wf",
                                 workflow_type_version="1", workflow_id="large",
                                 input={"some": "i" * 40_000})  # fmt: skip
    assert swf.payload_store.call_counts["PutObject"] >= 1  # (2 if it created the bucket)


def scenario_worker(scenario, swf):
    from scenario_activities import REGISTRY

    from floto.worker import ActivityWorker

    return ActivityWorker(scenario.domain, "workers", heartbeat_in_seconds=0, swf=swf,
                          registry=REGISTRY)  # fmt: skip


def test_a_dynamic_decider_reads_its_tasks_from_a_stored_input(scenario):
    from floto.decider import DynamicDecider

    tasks = [ActivityTask(name="add", version="1", input={"n": n}, id_=f"t{n:03}")
             for n in range(100)]  # fmt: skip
    scenario.decider(scenario.spec([]), cls=DynamicDecider)
    scenario.workers(3)
    # the tasks (~11 kB) and a note take the input over SWF's limit: it is stored
    scenario.start("dynamic", input={"activity_tasks": tasks, "note": "n" * 30_000})
    outcome = scenario.wait("dynamic", timeout=240)
    assert outcome.status == "completed", outcome.reason
    assert payload_ref_of_text(outcome.events("WorkflowExecutionStarted")[0]["input"]).size > 32_768
    assert outcome.result == {task.id_: n for n, task in enumerate(tasks)}


def test_a_childs_large_result_reaches_the_parents_next_task(scenario):
    scenario.workflow_type("child", task_list="child_deciders")
    child = ChildWorkflow(workflow_type_name="child", workflow_type_version="1",
                          task_list="child_deciders")  # fmt: skip
    after = ActivityTask(name="measure", version="1", requires=[child])
    inner = ActivityTask(name="big", version="1", input={"size": 200_000})
    scenario.decider(scenario.spec([child, after], terminate_decider_after_completion=True))
    scenario.decider(scenario.spec([inner], task_list="child_deciders"))
    scenario.workers(2)
    scenario.start("parent")
    outcome = scenario.wait("parent", timeout=60)
    assert outcome.status == "completed", outcome.reason
    # the child's result holds its sink's reference; the parent passed it on, the worker read it
    (closed,) = outcome.events("ChildWorkflowExecutionCompleted")
    assert PAYLOAD_KEY in closed["result"] and len(closed["result"]) < 1000
    expected = _described({inner.id_: {"blob": "b" * 200_000}})
    assert outcome.result == {after.id_: {child.id_: expected}}
