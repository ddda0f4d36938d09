"""`floto register` registers the domain and the types a spec, a module or module:attribute
needs, says what it did, and leaves what exists alone."""

from __future__ import annotations

from cli_support import FLOWS

from floto.api import Swf
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer


def _activity(swf: Swf, domain: str, name: str, version: str) -> dict:
    return swf.client.describe_activity_type(
        domain=domain, activityType={"name": name, "version": version}
    )["configuration"]


def test_a_spec_file_registers_its_activities_generators_and_child_types(
    local_engine, cli, tmp_path
):
    a = ActivityTask("extract", "1", task_list="special")
    gen = Generator("fan_out", "1", requires=[a])
    child = ChildWorkflow("child_flow", "2", requires=[gen], task_list="children")
    timer = Timer(id_="pause", delay_in_seconds=5, requires=[child])
    domain = f"cli-register-{tmp_path.name[-12:]}"
    spec = DeciderSpec(
        domain=domain,
        task_list="deciders",
        default_activity_task_list="acts",
        activity_tasks=[a, gen, child, timer],
    )
    path = tmp_path / "spec.json"
    path.write_text(spec.to_json())
    first = cli(
        "register", str(path), "--workflow-type", "main_flow:1", "--activity-timeout", "120"
    )
    assert first.code == 0, first.err
    assert first.out.splitlines() == [
        f"domain {domain}: registered",
        "activity type extract 1: registered",
        "activity type fan_out 1: registered",
        "workflow type child_flow 2: registered",
        "workflow type main_flow 1: registered",
    ]
    swf = Swf()
    extract = _activity(swf, domain, "extract", "1")
    assert extract["defaultTaskList"]["name"] == "special"
    assert extract["defaultTaskStartToCloseTimeout"] == "120"
    assert _activity(swf, domain, "fan_out", "1")["defaultTaskList"]["name"] == "acts"
    main_flow = swf.client.describe_workflow_type(
        domain=domain, workflowType={"name": "main_flow", "version": "1"}
    )["configuration"]
    assert main_flow["defaultTaskList"]["name"] == "deciders"
    again = cli("register", str(path), "--workflow-type", "main_flow:1")
    assert again.code == 0
    assert all(line.endswith(": already registered") for line in again.out.splitlines())


def test_a_module_registers_every_activity_it_defines(local_engine, cli, tmp_path):
    domain = f"cli-register-module-{tmp_path.name[-8:]}"
    done = cli("register", FLOWS, "--domain", domain, "--task-list", "workers")
    assert done.code == 0, done.err
    assert {
        "activity type hello 1: registered",
        "activity type broken 1: registered",
        "activity type slow 1: registered",
    } <= set(done.out.splitlines())
    assert _activity(Swf(), domain, "slow", "1")["defaultTaskList"]["name"] == "workers"


def test_a_target_that_needs_nothing_is_an_error(local_engine, cli, tmp_path):
    path = tmp_path / "timer.json"
    path.write_text(
        DeciderSpec(domain="d", activity_tasks=[Timer(id_="t", delay_in_seconds=1)]).to_json()
    )
    result = cli("register", str(path))
    assert result.code == 1
    assert result.err.startswith("floto register: nothing to register")


def test_a_module_that_does_not_exist_is_named(cli):
    result = cli("register", "no_such_module_here", "--domain", "d")
    assert result.code == 1
    assert result.err.startswith("floto register: no module named 'no_such_module_here'")


def test_a_child_whose_tasks_are_dicts_in_its_input_registers_them(local_engine, cli, tmp_path):
    """A spec decoded from JSON holds a child's tasks as dicts (as floto.launch decodes them)."""
    inner = ActivityTask("inner_step", "3", task_list="inner")
    child = ChildWorkflow(
        "dynamic_child", "1", input={"activity_tasks": [inner.to_dict()]}, task_list="kids"
    )
    domain = f"cli-register-child-{tmp_path.name[-8:]}"
    spec = DeciderSpec(domain=domain, default_activity_task_list="acts", activity_tasks=[child])
    path = tmp_path / "spec.json"
    path.write_text(spec.to_json())
    done = cli("register", str(path))
    assert done.code == 0, done.err
    assert done.out.splitlines() == [
        f"domain {domain}: registered",
        "activity type inner_step 3: registered",
        "workflow type dynamic_child 1: registered",
    ]
    assert _activity(Swf(), domain, "inner_step", "3")["defaultTaskList"]["name"] == "inner"
