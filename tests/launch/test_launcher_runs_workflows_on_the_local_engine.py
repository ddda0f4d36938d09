"""A launcher checks, registers, serves and starts a workflow given in any of its forms, and
the run completes on the local engine with the results the activities returned."""

from __future__ import annotations

import floto
from floto.dsl import Workflow
from floto.history import TaskStatus, WorkflowStatus
from floto.launch import Launcher
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, ChildWorkflow, Generator


def _diamond(registry):
    @floto.activity("source", "1", registry=registry)
    def source(context):
        return {"n": context["workflow"]["n"]}

    @floto.activity("double", "1", registry=registry)
    def double(context):
        (value,) = [v for k, v in context.items() if k.startswith("source")]
        return value["n"] * 2

    @floto.activity("total", "1", registry=registry)
    def total(context):
        return sum(v for k, v in context.items() if k.startswith("double"))

    a = ActivityTask("source", "1")
    b = ActivityTask("double", "1", input="b")
    c = ActivityTask("double", "1", input="c")
    d = ActivityTask("total", "1")
    a >> [b, c] >> d
    return a, b, c, d


def test_a_workflow_runs_to_completion_with_its_results(launcher, registry):
    a, b, c, d = _diamond(registry)
    launched = launcher.launch(Workflow(d), input={"n": 5})
    state = launcher.wait(launched, timeout=30)
    assert state.status is WorkflowStatus.COMPLETED
    assert state.result == {d.id_: 20}
    assert {t: s.status for t, s in state.tasks.items()} == dict.fromkeys(
        [a.id_, b.id_, c.id_, d.id_], TaskStatus.COMPLETED
    )
    assert launched.task_list.startswith("floto-source-")
    assert launched.workflow_id.startswith("floto_workflow-")


def test_every_form_of_a_workflow_launches(launcher, registry):
    a, b, c, d = _diamond(registry)
    spec = Workflow(d).decider_spec(domain=launcher.domain)
    forms = {"tasks": [a, b, c, d], "task": d, "spec": spec, "json": spec.to_json(),
             "dict": spec.to_dict()}  # fmt: skip
    launched = {form: launcher.launch(workflow, input={"n": 1}) for form, workflow in forms.items()}
    for form, run in launched.items():
        assert launcher.wait(run, timeout=30).result == {d.id_: 4}, form
    assert len({run.task_list for run in launched.values()}) == 1  # one workflow: one decider


def test_a_generators_tasks_find_their_activity_types_registered(launcher, registry):
    @floto.activity("square", "1", registry=registry)
    def square(context):
        return context["activity_task"] ** 2

    @floto.generator("fan", "1", registry=registry)
    def fan():
        return [ActivityTask("square", "1", input=n) for n in range(4)]

    launched = launcher.launch([Generator("fan", "1")])
    state = launcher.wait(launched, timeout=30)
    assert state.status is WorkflowStatus.COMPLETED, state.failure_reason
    squares = sorted(s.result for s in state.tasks.values() if s.generated_by)
    assert squares == [0, 1, 4, 9]


def test_a_child_workflow_with_tasks_in_its_input_is_decided_too(launcher, registry):
    @floto.activity("hello", "1", registry=registry)
    def hello(context):
        return "hello " + context["activity_task"]

    inner = ActivityTask("hello", "1", input="child")
    child = ChildWorkflow("child_flow", "1", input={"activity_tasks": [inner]})
    after = ActivityTask("hello", "1", input="parent", requires=[child])
    launched = launcher.launch([child, after])
    state = launcher.wait(launched, timeout=30)
    assert state.status is WorkflowStatus.COMPLETED, state.failure_reason
    assert state.tasks[child.id_].result == {inner.id_: "hello child"}
    assert any(s.kind == "decider" and s.task_list.startswith("floto-children-")
               for s in launcher.services)  # fmt: skip


def test_workers_can_be_processes(local_engine, registry, domain):
    @floto.activity("pid", "1", registry=registry)
    def pid():
        import os

        return os.getpid()

    launcher = Launcher(domain, registry=registry, workers=1, worker_processes=True,
                        heartbeat_in_seconds=0).start()  # fmt: skip
    try:
        (worker,) = [s for s in launcher.services if s.kind == "worker"]
        task = ActivityTask("pid", "1")
        state = launcher.wait(launcher.launch(task), timeout=30)
        assert state.result == {task.id_: worker.pid}
    finally:
        still = launcher.stop(timeout=0.5)  # SIGTERM, then SIGKILL at the deadline
        assert not [name for name in still if name.startswith("worker")]
    assert not worker.alive


def test_a_decider_spec_keeps_its_own_task_lists(launcher, registry):
    a, b, c, d = _diamond(registry)
    spec = DeciderSpec(
        domain=launcher.domain, task_list="my_deciders", activity_tasks=[a, b, c, d],
        default_activity_task_list="my_workers",
    )  # fmt: skip
    launched = launcher.launch(spec, input={"n": 2})
    assert launcher.wait(launched, timeout=30).result == {d.id_: 8}
    lists = {(s.kind, s.task_list) for s in launcher.services}
    assert {("decider", "my_deciders"), ("worker", "my_workers")} <= lists


def test_a_result_over_swfs_limit_comes_back_whole_from_the_payload_store(launcher, registry):
    big = "x" * 100_000

    @floto.activity("big", "1", registry=registry)
    def make_big():
        return big

    task = ActivityTask("big", "1")
    state = launcher.wait(launcher.launch(Workflow(task)), timeout=60)
    assert state.status is WorkflowStatus.COMPLETED
    assert state.tasks[task.id_].result == big  # stored in S3, read back on access
    assert state.result == {task.id_: big}
