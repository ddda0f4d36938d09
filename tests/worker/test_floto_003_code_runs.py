"""Code written for the original floto 0.0.3 runs: its ``domain=`` arguments, its worker's
``task_heartbeat_in_seconds=`` and its JSON specs' ``domain`` fields are accepted, each with a
DeprecationWarning saying what to write instead; 0.0.3's examples/hello_world.py runs."""

from __future__ import annotations

import json
import threading
import uuid

import pytest

import floto
import floto.api
import floto.decider
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, ChildWorkflow, Generator
from floto.worker import ActivityRegistry


def test_domain_arguments_warn_and_say_what_to_write() -> None:
    with pytest.warns(DeprecationWarning, match=r"write ActivityTask\(\.\.\.\) without domain="):
        task = ActivityTask(domain="d", name="a", version="1")
    assert task.id_ == ActivityTask(name="a", version="1").id_
    with pytest.warns(DeprecationWarning, match="Generator"):
        Generator(domain="d", name="g", version="1")
    with pytest.warns(DeprecationWarning, match="ChildWorkflow"):
        ChildWorkflow(domain="d", workflow_type_name="w", workflow_type_version="1")
    registry = ActivityRegistry()
    with pytest.warns(DeprecationWarning, match=r"write @floto.activity\(name=\.\.\., version"):

        @floto.activity(domain="d", name="a", version="1", registry=registry)
        def a() -> str:
            return "a"

    assert a() == "a"


def test_the_worker_takes_task_heartbeat_in_seconds_with_a_warning() -> None:
    swf = floto.api.Swf(region_name="us-east-1")
    with pytest.warns(DeprecationWarning, match="write heartbeat_in_seconds="):
        worker = floto.ActivityWorker(
            domain="d", task_list="tl", swf=swf, task_heartbeat_in_seconds=7
        )
    assert worker.heartbeat_in_seconds == 7
    with pytest.raises(TypeError, match="not both"):
        floto.ActivityWorker(
            domain="d", task_list="tl", swf=swf, heartbeat_in_seconds=5, task_heartbeat_in_seconds=7
        )
    assert floto.ActivityWorker(domain="d", task_list="tl", swf=swf).heartbeat_in_seconds == 90


OLD_SPEC = {  # to_json() of a floto 0.0.3 spec: every task carries its domain
    "activity_tasks": [
        {
            "domain": "floto_test",
            "id_": "a:1:floto_test:2be88ca424",
            "name": "a",
            "type": "floto.specs.task.ActivityTask",
            "version": "1",
        }
    ],
    "domain": "floto_test",
    "repeat_workflow": False,
    "task_list": "tl",
    "terminate_decider_after_completion": False,
    "type": "floto.specs.DeciderSpec",
}


def test_a_json_spec_with_domain_fields_is_read_with_a_warning() -> None:
    with pytest.warns(
        DeprecationWarning, match="'domain' field of a floto.specs.task.ActivityTask"
    ):
        spec = DeciderSpec.from_json(json.dumps(OLD_SPEC))
    assert spec.domain == "floto_test"
    assert [task.id_ for task in spec.activity_tasks] == ["a:1:floto_test:2be88ca424"]
    assert "domain" not in json.loads(spec.to_json())["activity_tasks"][0]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_floto_003_hello_world_runs_end_to_end(local_engine) -> None:
    """examples/hello_world.py of floto 0.0.3, as it was written (a fresh domain name, and
    threads where it used processes)."""
    domain = f"floto_test_{uuid.uuid4().hex[:8]}"
    swf = floto.api.Swf()
    swf.domains.register_domain(domain)
    workflow_type = floto.api.WorkflowType(domain=domain, name="my_workflow_type", version="v1")
    swf.register_workflow_type(workflow_type)
    activity_type = floto.api.ActivityType(domain=domain, name="simple_activity", version="v1")
    swf.register_activity_type(activity_type)

    simple_task = ActivityTask(domain=domain, name="simple_activity", version="v1")
    decider_spec = DeciderSpec(
        domain=domain,
        task_list="simple_decider",
        activity_tasks=[simple_task],
        default_activity_task_list="hello_world_atl",
        terminate_decider_after_completion=True,
    )
    decider = floto.decider.Decider(decider_spec=decider_spec)
    ran = []

    @floto.activity(domain=domain, name="simple_activity", version="v1")
    def simple_activity():
        ran.append("Hi")
        print("\nSimpleWorker: I'm working!")

    worker = floto.ActivityWorker(
        domain=domain, task_list="hello_world_atl", task_heartbeat_in_seconds=10
    )
    decider_thread = threading.Thread(target=decider.run, daemon=True)
    worker_thread = threading.Thread(target=worker.run, daemon=True)
    decider_thread.start()
    worker_thread.start()
    swf.start_workflow_execution(
        domain=domain,
        workflow_type_name="my_workflow_type",
        workflow_type_version="v1",
        task_list="simple_decider",
    )
    decider_thread.join(timeout=60)
    worker.stop()
    worker_thread.join(timeout=30)
    assert not decider_thread.is_alive()
    assert ran == ["Hi"]
    closed = swf.client.list_closed_workflow_executions(
        domain=domain, startTimeFilter={"oldestDate": 0}
    )["executionInfos"]
    assert [info["closeStatus"] for info in closed] == ["COMPLETED"]
