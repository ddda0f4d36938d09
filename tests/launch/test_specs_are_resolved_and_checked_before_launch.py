"""What a launcher accepts as a workflow, the task lists it derives, and the clear errors it
gives before anything reaches SWF (pure: no engine)."""

from __future__ import annotations

import pytest

from floto.dsl import Workflow
from floto.errors import CycleError, GraphError, SpecError
from floto.launch import derive_task_list, needs_of, to_spec
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer


def _spec(tasks, **kwargs):
    return to_spec(tasks, domain="d", default_activity_task_list="workers", **kwargs)


def test_every_form_gives_the_same_spec():
    a = ActivityTask("a", "1")
    b = ActivityTask("b", "1", requires=[a])
    reference = _spec([a, b])
    source = DeciderSpec(domain="d", activity_tasks=[a, b])
    forms = [b, [a, b], (a, b), Workflow(b), source, source.to_json(), source.to_dict(),
             source.to_json().encode(), [a.to_dict(), b.to_dict()]]  # fmt: skip
    for form in forms:
        assert _spec(form) == reference, form
    assert reference.default_activity_task_list == "workers"
    assert reference.task_list == derive_task_list(reference)


def test_derived_task_lists_differ_between_workflows_and_repeat_for_one():
    a, b = ActivityTask("a", "1"), ActivityTask("a", "1", input=2)
    assert _spec([a]).task_list == _spec([ActivityTask("a", "1")]).task_list
    assert _spec([a]).task_list != _spec([b]).task_list
    other_workers = to_spec([a], domain="d", default_activity_task_list="elsewhere")
    assert other_workers.task_list != _spec([a]).task_list
    assert _spec([a]).task_list.startswith("floto-a-")


def test_a_spec_keeps_its_own_task_lists_and_is_not_changed():
    a = ActivityTask("a", "1")
    source = DeciderSpec(domain="d", task_list="mine", activity_tasks=[a],
                         terminate_decider_after_completion=True)  # fmt: skip
    spec = _spec(source)
    assert (spec.task_list, spec.default_activity_task_list) == ("mine", "workers")
    assert spec.terminate_decider_after_completion is False
    assert source.default_activity_task_list is None and source.terminate_decider_after_completion


@pytest.mark.parametrize(
    ("workflow", "error", "words"),
    [
        (42, SpecError, "got int"),
        ([], GraphError, "at least one task"),
        (
            '{"type": "floto.specs.DeciderSpec", "domain": "d", "activity_tasks": []}',
            GraphError,
            "at least one task",
        ),
        ("{not json", SpecError, "workflow"),
        (
            DeciderSpec(domain="other", activity_tasks=[ActivityTask("a", "1")]),
            SpecError,
            "domain 'other'",
        ),
        ([ActivityTask("a", "1", requires=["ghost"])], GraphError, "unknown task id 'ghost'"),
    ],
)
def test_bad_workflows_are_refused_with_the_problem_named(workflow, error, words):
    with pytest.raises(error, match=words):
        _spec(workflow)


def test_a_cycle_is_refused():
    a, b = ActivityTask("a", "1"), ActivityTask("b", "1")
    b.requires = [a]
    a.requires = [b]
    with pytest.raises(CycleError):
        _spec([a, b])


def test_needs_list_types_task_lists_and_nested_children():
    leaf = ActivityTask("leaf", "1", task_list="special")
    inner_child = ChildWorkflow("inner", "1", input={"activity_tasks": [leaf]})
    middle = ActivityTask("middle", "2")
    outer = ChildWorkflow("outer", "1", task_list="outer_deciders",
                          input={"activity_tasks": [middle, inner_child]})  # fmt: skip
    bare = ChildWorkflow("bare", "1")
    gen = Generator("gen", "1")
    timer = Timer("wait", delay_in_seconds=1, requires=[gen])
    needs = needs_of(_spec([outer, bare, gen, timer]))
    assert needs.activity_types == [("gen", "1"), ("leaf", "1"), ("middle", "2")]
    assert needs.activity_task_lists == ["special", "workers"]
    children = {(c.name, c.task_list, c.has_tasks) for c in needs.children}
    assert children == {("outer", "outer_deciders", True), ("inner", None, True),
                        ("bare", None, False)}  # fmt: skip
    assert not needs.dynamic


def test_a_spec_without_tasks_takes_them_from_the_input():
    spec = DeciderSpec(domain="d", task_list="dyn")
    needs = needs_of(_spec(spec), {"activity_tasks": [ActivityTask("a", "1").to_dict()]})
    assert needs.dynamic and needs.activity_types == [("a", "1")]
