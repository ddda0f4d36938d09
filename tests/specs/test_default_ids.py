"""Default task ids follow the seed: name:version:<10 hex of sha1(input JSON + required ids)>."""

import itertools

import pytest

from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer

# (task factory, expected id); hashes from the reference table, with the seed's id format.
SEED_IDS = [
    (lambda: ActivityTask(name="simple_activity", version="v1"), "simple_activity:v1:2be88ca424"),
    (lambda: ActivityTask("activity4", "v2", input={"file": "a.in"}), "activity4:v2:9ee91a8c18"),
    (lambda: ActivityTask("activity4", "v2", input={"file": "b.in"}), "activity4:v2:ddbc96b7ca"),
    (lambda: ActivityTask("n", "v", input={"b": 1, "a": 2}), "n:v:bfb36f3185"),
    (lambda: ActivityTask("n", "v", input={"a": 2, "b": 1}), "n:v:bfb36f3185"),
    (lambda: ActivityTask("n", "v", input={"k": "v"}, requires=["r1"]), "n:v:f5b8ceda7e"),
    (lambda: ActivityTask("n", "v", requires=["x", "y"]), "n:v:910db87c42"),
    (lambda: ActivityTask("n", "v", input="2016-02-01"), "n:v:b3f376cad7"),
    (lambda: ActivityTask("n", "v", input=5), "n:v:ac3478d69a"),
    (lambda: ActivityTask("n", "v", input=[1, "a"]), "n:v:4c9e5c559d"),
    (lambda: ActivityTask("n", "v", input={}), "n:v:bf21a9e8fb"),
    (lambda: ActivityTask("n", "v", input={"k": "ä"}), "n:v:2e1d95e9b2"),
    (lambda: ActivityTask("n", "v", requires=[]), "n:v:2be88ca424"),
    # The activity3 example: the requirement named by the reference's id string.
    (
        lambda: ActivityTask("activity3", "v2", requires=["activity1:v5:floto_test:2be88ca424"]),
        "activity3:v2:e297f8a275",
    ),
    (lambda: ActivityTask("activity2", "v4", requires=["TimerB"]), "activity2:v4:3113667e6c"),
    (
        lambda: ChildWorkflow(
            "test_child_workflow", "v2", requires=["activity1:v5:floto_test:2be88ca424"]
        ),
        "test_child_workflow:v2:e297f8a275",
    ),
    (lambda: ChildWorkflow("test_child_workflow", "v2"), "test_child_workflow:v2:2be88ca424"),
    (lambda: Generator("generator1", "v1"), "generator1:v1:2be88ca424"),
]


@pytest.mark.parametrize(("make", "expected"), SEED_IDS)
def test_default_id_matches_seed_formula(make, expected):
    assert make().id_ == expected


def test_required_task_objects_contribute_their_ids():
    activity1 = ActivityTask("activity1", "v5")
    by_object = ActivityTask("activity3", "v2", requires=[activity1])
    by_string = ActivityTask("activity3", "v2", requires=["activity1:v5:2be88ca424"])
    assert by_object.id_ == by_string.id_ == "activity3:v2:81a00cec4c"


def test_requirement_order_changes_the_hash():
    a, b = ActivityTask("a", "v1"), ActivityTask("b", "v1")
    assert (
        ActivityTask("c", "v1", requires=[a, b]).id_ != ActivityTask("c", "v1", requires=[b, a]).id_
    )


def test_id_follows_requirements_added_after_construction():
    a, c = ActivityTask("activity1", "v5"), ActivityTask("activity3", "v2")
    before = c.id_
    a >> c
    assert before == "activity3:v2:2be88ca424"
    assert c.id_ == "activity3:v2:81a00cec4c"


def test_id_follows_changes_upstream():
    a, b, c = ActivityTask("a", "v1"), ActivityTask("b", "v1"), ActivityTask("c", "v1")
    a >> b >> c
    before = c.id_
    a.input = {"changed": True}
    assert c.id_ != before


def test_explicit_id_is_kept_whatever_the_requirements():
    task = ActivityTask("a", "v1", activity_id="mine")
    ActivityTask("b", "v1") >> task
    assert task.id_ == "mine"
    assert ChildWorkflow("w", "1", workflow_id="child").id_ == "child"
    assert ActivityTask("a", "v1", id_="json-form").id_ == "json-form"


def test_timer_id_is_explicit():
    assert Timer(id_="Timer30", delay_in_seconds=30).id_ == "Timer30"


def test_deep_chain_ids_need_no_recursion():
    tasks = [ActivityTask("step", "v1", input=i) for i in range(5000)]
    for upstream, downstream in itertools.pairwise(tasks):
        upstream >> downstream
    assert tasks[-1].id_.startswith("step:v1:")
