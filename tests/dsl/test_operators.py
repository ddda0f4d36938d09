"""`>>` and `<<` add requirements, return their right-hand side, and refuse non-tasks."""

import pytest

from floto.dsl import Workflow, chain, cross, pairwise
from floto.errors import CycleError
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, Timer


def tasks(*names):
    return [ActivityTask(name, "v1") for name in names]


def test_rshift_makes_right_require_left_and_returns_right():
    a, b = tasks("a", "b")
    assert (a >> b) is b
    assert b.requires == [a]
    assert a.requires == []


def test_chained_rshift():
    a, b, c = tasks("a", "b", "c")
    a >> b >> c
    assert b.requires == [a] and c.requires == [b]


def test_lshift_makes_left_require_right_and_returns_right():
    a, b, c = tasks("a", "b", "c")
    assert (a << b) is b
    b << c
    assert a.requires == [b] and b.requires == [c]


def test_list_fan_in_and_fan_out():
    a, b, c, d, e = tasks("a", "b", "c", "d", "e")
    assert ([a, b] >> c) is c
    assert c.requires == [a, b]
    fanned = c >> [d, e]
    assert fanned == [d, e]
    assert d.requires == [c] and e.requires == [c]


def test_list_lshift_makes_list_require_task():
    a, b, c = tasks("a", "b", "c")
    assert ([a, b] << c) is c
    assert a.requires == [c] and b.requires == [c]


def test_tuple_operands_work_like_lists():
    a, b, c = tasks("a", "b", "c")
    (a, b) >> c
    assert c.requires == [a, b]


def test_connecting_twice_adds_one_requirement():
    a, b = tasks("a", "b")
    a >> b
    a >> b
    assert b.requires == [a]


@pytest.mark.parametrize("other", [3, "a", None, [1, 2]])
def test_non_task_operand_raises_type_error(other):
    (a,) = tasks("a")
    with pytest.raises(TypeError):
        a >> other
    with pytest.raises(TypeError):
        other >> a


def test_operators_work_on_timers():
    a, b = tasks("a", "b")
    wait = Timer("wait", 5)
    a >> wait >> b
    assert b.requires == [wait] and wait.requires == [a]


def test_chain_connects_steps_and_lists_all_to_all():
    a, b, c, d, e = tasks("a", "b", "c", "d", "e")
    assert chain(a, [b, c], [d, e]) == [d, e]
    assert b.requires == [a] and c.requires == [a]
    assert d.requires == [b, c] and e.requires == [b, c]


def test_cross_and_pairwise():
    a, b, c, d = tasks("a", "b", "c", "d")
    cross([a, b], [c, d])
    assert c.requires == [a, b] and d.requires == [a, b]
    e, f, g, h = tasks("e", "f", "g", "h")
    pairwise([e, f], [g, h])
    assert g.requires == [e] and h.requires == [f]
    with pytest.raises(ValueError, match="lists differ in length"):
        pairwise([e], [g, h])


def test_spec_from_operators_equals_spec_by_hand():
    a, b = tasks("ActivityA", "ActivityB")
    c = ActivityTask("ActivityC", "v1")
    [a, b] >> c
    by_operators = Workflow(c).decider_spec("floto_test", "decider_tl", "activity_tl")

    hand_a = ActivityTask(name="ActivityA", version="v1")
    hand_b = ActivityTask(name="ActivityB", version="v1")
    hand_c = ActivityTask(name="ActivityC", version="v1", requires=[hand_a, hand_b])
    by_hand = DeciderSpec(
        domain="floto_test",
        task_list="decider_tl",
        default_activity_task_list="activity_tl",
        activity_tasks=[hand_a, hand_b, hand_c],
    )
    assert by_operators == by_hand
    assert by_operators.to_json() == by_hand.to_json()


def test_builders_make_the_seed_tasks():
    from floto.dsl import activity_task, child_workflow, generator_task, timer
    from floto.specs.retry_strategy import InstantRetry
    from floto.specs.task import ChildWorkflow, Generator

    built = activity_task("a", "v1", input={"x": 1}, retry=2, task_list="tl")
    assert (
        built.to_dict()
        == ActivityTask(
            "a", "v1", input={"x": 1}, retry_strategy=InstantRetry(2), task_list="tl"
        ).to_dict()
    )
    assert type(generator_task("g", "v1")) is Generator
    assert (
        child_workflow("w", "1", retry=InstantRetry(1)).to_dict()
        == ChildWorkflow("w", "1", retry_strategy=InstantRetry(1)).to_dict()
    )
    assert timer("wait", 5).delay_in_seconds == 5


@pytest.mark.parametrize(
    "join",
    [
        lambda a, b: [a, None] >> b,
        lambda a, b: a >> [b, None],
        lambda a, b: a << (b, None),
        lambda a, b: (a, None) << b,
    ],
)
def test_a_list_operand_with_a_non_task_names_the_element(join):
    a, b = ActivityTask(name="A", version="v1"), ActivityTask(name="B", version="v1")
    with pytest.raises(TypeError, match=r"item 1 of the (list|tuple) is a NoneType, not a task"):
        join(a, b)
    assert a.requires == [] and b.requires == []


def test_a_task_cannot_require_itself():
    a = ActivityTask(name="A", version="v1")
    with pytest.raises(CycleError, match=r"v1.\).requires: cycle in the task graph"):
        a >> a
    assert a.requires == [] and a.id_ == "A:v1:2be88ca424"
