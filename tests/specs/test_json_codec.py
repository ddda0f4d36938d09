"""The JSON form round-trips, follows the seed's shape, and decodes only floto's own types."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floto.errors import GraphError, SpecError
from floto.specs import DeciderSpec, JSONEncoder, decode, decode_task, decode_tasks
from floto.specs.retry_strategy import DelayedRetry, InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer

SEED_JSON = {
    "activity_tasks": [
        {
            "id_": "simple_activity:v1:2be88ca424",
            "name": "simple_activity",
            "type": "floto.specs.task.ActivityTask",
            "version": "v1",
        }
    ],
    "default_activity_task_list": "hello_world_atl",
    "domain": "floto_test",
    "repeat_workflow": False,
    "task_list": "simple_decider",
    "terminate_decider_after_completion": True,
    "type": "floto.specs.DeciderSpec",
}


def seed_spec() -> DeciderSpec:
    return DeciderSpec(
        domain="floto_test",
        task_list="simple_decider",
        default_activity_task_list="hello_world_atl",
        activity_tasks=[ActivityTask(name="simple_activity", version="v1")],
        terminate_decider_after_completion=True,
    )


def test_seed_example_has_the_seed_json_shape():
    assert json.loads(seed_spec().to_json()) == SEED_JSON


def test_seed_json_round_trips():
    spec = DeciderSpec.from_json(json.dumps(SEED_JSON))
    assert spec == seed_spec()
    assert json.loads(spec.to_json()) == SEED_JSON


def test_seed_table_name_for_terminate_flag_is_accepted():
    spec = DeciderSpec(domain="d", task_list="t", terminate_workflow_after_completion=True)
    assert spec.terminate_decider_after_completion is True
    assert spec.terminate_workflow_after_completion is True


def test_every_task_type_round_trips():
    a = ActivityTask("a", "v1", input={"x": [1, 2]}, retry_strategy=InstantRetry(3), task_list="tl")
    g = Generator("g", "v1", requires=[a], retry_strategy=DelayedRetry(2, 1, 2.0, 30))
    c = ChildWorkflow("child", "1", requires=[g], input="in", task_list="child_tl")
    t = Timer("wait", 30, requires=[c])
    for task in (a, g, c, t):
        restored = decode_task(json.loads(json.dumps(task.to_dict())))
        assert type(restored) is type(task)
        assert restored.to_dict() == task.to_dict()
        assert restored.id_ == task.id_


def test_decoded_requirements_are_ids():
    a = ActivityTask("a", "v1")
    b = ActivityTask("b", "v1", requires=[a])
    assert decode_task(b.to_dict()).requires == [a.id_]


def test_encoder_writes_tasks_and_specs_inside_other_data():
    text = json.dumps(
        {"activity_tasks": [ActivityTask("a", "v1")], "spec": seed_spec()}, cls=JSONEncoder
    )
    data = json.loads(text)
    assert data["activity_tasks"][0]["type"] == "floto.specs.task.ActivityTask"
    assert data["spec"] == SEED_JSON


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
names = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12
)


@settings(max_examples=150, deadline=None)
@given(
    name=names,
    version=names,
    input=json_values,
    retries=st.none() | st.integers(0, 5),
    kind=st.sampled_from([ActivityTask, Generator, ChildWorkflow]),
)
def test_work_tasks_round_trip_property(name, version, input, retries, kind):
    strategy = None if retries is None else InstantRetry(retries)
    task = kind(name, version, input=input, retry_strategy=strategy)
    restored = decode(json.loads(json.dumps(task.to_dict())))
    assert restored.to_dict() == task.to_dict()


@settings(max_examples=50, deadline=None)
@given(timer_id=names, delay=st.integers(0, 10**6), requires=st.lists(names, max_size=3))
def test_timers_round_trip_property(timer_id, delay, requires):
    task = Timer(timer_id, delay, requires=requires)
    assert decode(task.to_dict()).to_dict() == task.to_dict()


def _spec_with(tasks):
    return json.dumps({"type": "floto.specs.DeciderSpec", "domain": "d", "activity_tasks": tasks})


def _activity(name, **extra):
    return {"type": "floto.specs.task.ActivityTask", "name": name, "version": "1", **extra}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "$: not valid JSON"),
        ("[]", "$: must be a JSON object, got an array"),
        ('{"type": "os.system", "domain": "d"}', "type: type 'os.system' is not allowed here"),
        ('{"domain": "d"}', "type: needs a string 'type'"),
        ('{"type": "floto.specs.DeciderSpec"}', "domain: required field of"),
        (
            '{"type": "floto.specs.DeciderSpec", "domain": "d", "colour": 1}',
            "unknown field 'colour'",
        ),
        (
            '{"type": "floto.specs.DeciderSpec", "domain": "d", "repeat_workflow": "yes"}',
            "repeat_workflow: must be true or false",
        ),
        (_spec_with({"a": 1}), "activity_tasks: must be an array of tasks, got an object"),
        (
            _spec_with([_activity("a"), _activity("b"), _activity("c", requires=["x"])]),
            "activity_tasks[2].requires[0]: unknown task id 'x'",
        ),
        (
            _spec_with([{"type": "subprocess.Popen", "args": "ls"}]),
            "activity_tasks[0].type: type 'subprocess.Popen' is not allowed",
        ),
        (
            _spec_with([{"type": "floto.specs.DeciderSpec", "domain": "x"}]),
            "activity_tasks[0].type: type 'floto.specs.DeciderSpec' is not allowed",
        ),
        (
            _spec_with([_activity("a", input={"x": 1}, colour="red")]),
            "activity_tasks[0]: unknown field 'colour'",
        ),
        (
            _spec_with([{"type": "floto.specs.task.ActivityTask", "version": "1"}]),
            "activity_tasks[0].name: required field",
        ),
        (_spec_with([_activity("")]), "activity_tasks[0].name: must be a non-empty string"),
        (
            _spec_with([_activity("a", requires="b")]),
            "activity_tasks[0].requires: must be an array",
        ),
        (
            _spec_with([_activity("a", requires=[7])]),
            "activity_tasks[0].requires[0]: must be a task id",
        ),
        (
            _spec_with([_activity("a", retry_strategy={"type": "builtins.eval", "retries": 1})]),
            "activity_tasks[0].retry_strategy.type: type 'builtins.eval' is not allowed",
        ),
        (
            _spec_with(
                [
                    _activity(
                        "a",
                        retry_strategy={
                            "type": "floto.specs.retry_strategy.InstantRetry",
                            "retries": -1,
                        },
                    )
                ]
            ),
            "activity_tasks[0].retry_strategy.retries: must be a whole number from 0 to 25,000",
        ),
        (
            _spec_with([{"type": "floto.specs.task.Timer", "id_": "t", "delay_in_seconds": -5}]),
            "activity_tasks[0].delay_in_seconds: must be a whole number of seconds",
        ),
        (
            _spec_with([_activity("a", id_="same"), _activity("b", id_="same")]),
            "two tasks have the id 'same'",
        ),
        (
            _spec_with(
                [_activity("a", id_="a", requires=["b"]), _activity("b", id_="b", requires=["a"])]
            ),
            "cycle in the task graph: a -> b -> a",
        ),
        (
            _spec_with([_activity("a", input="x" * 40_000)]),
            "activity_tasks[0].input: encoded input is 40,002 characters",
        ),
    ],
)
def test_bad_document_gets_one_error_naming_field_and_reason(document, message):
    with pytest.raises(SpecError) as caught:
        DeciderSpec.from_json(document)
    assert message in str(caught.value)


def test_foreign_type_is_never_imported(monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "this_module_does_not_exist", raising=False)
    with pytest.raises(SpecError):
        decode({"type": "this_module_does_not_exist.Evil"})
    assert "this_module_does_not_exist" not in sys.modules


def test_decode_tasks_without_graph_check_allows_external_requirements():
    tasks = decode_tasks([_activity("a", requires=["outside"])], check_graph=False)
    assert tasks[0].requires == ["outside"]
    with pytest.raises(GraphError, match=r"activity_tasks\[0\].requires\[0\]: unknown task id"):
        decode_tasks([_activity("a", requires=["outside"])])


def test_user_subclass_has_no_json_form():
    class MyTask(ActivityTask):
        pass

    with pytest.raises(SpecError, match="has no JSON form"):
        MyTask("a", "v1").to_dict()


def test_user_strategy_subclass_has_no_json_form():
    class MyRetry(InstantRetry):
        pass

    with pytest.raises(SpecError, match="MyRetry has no JSON form"):
        ActivityTask("a", "v1", retry_strategy=MyRetry(1)).to_dict()
