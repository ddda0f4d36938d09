"""A Decider checks its spec when it is built: no tasks, no task list or a bad graph is a
clear error before anything polls."""

import pytest

from floto.api import Swf
from floto.decider import Decider, DynamicDecider
from floto.errors import CycleError, GraphError, SpecError
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

SWF = Swf(endpoint_url="http://127.0.0.1:9")  # never called


def spec(tasks, **kwargs):
    kwargs.setdefault("task_list", "deciders")
    return DeciderSpec(domain="d", activity_tasks=tasks, **kwargs)


def test_a_spec_without_tasks_is_refused():
    with pytest.raises(GraphError, match="needs at least one task"):
        Decider(spec([]), swf=SWF)
    with pytest.raises(GraphError, match="needs at least one task"):
        Decider(spec(None), swf=SWF)


def test_a_spec_without_a_task_list_is_refused():
    with pytest.raises(SpecError, match=r"decider_spec\.task_list: a decider needs"):
        Decider(spec([ActivityTask(name="a", version="1")], task_list=None), swf=SWF)


def test_a_cycle_is_refused_by_name():
    a = ActivityTask(name="a", version="1", id_="a")
    b = ActivityTask(name="b", version="1", id_="b", requires=["a"])
    a.requires = ["b"]
    document = {
        "type": "floto.specs.DeciderSpec", "domain": "d", "task_list": "l",
        "activity_tasks": [a.to_dict(), b.to_dict()],
    }  # fmt: skip
    with pytest.raises(CycleError):
        Decider(document, swf=SWF)


def test_the_spec_may_be_given_as_json_text_or_dict():
    task = ActivityTask(name="a", version="1")
    for form in (spec([task]).to_json(), spec([task]).to_dict()):
        decider = Decider(decider_spec=form, swf=SWF)
        assert decider.domain == "d" and decider.task_list == "deciders"
        assert [t.id_ for t in decider.tasks] == [task.id_]


def test_a_task_id_too_long_for_swf_once_encoded_is_refused():
    task = ActivityTask(name="a", version="1", id_=":" * 100)
    with pytest.raises(SpecError, match="over the limit of 256"):
        Decider(spec([task]), swf=SWF)


def test_anything_else_is_refused_with_its_type():
    with pytest.raises(SpecError, match="got int"):
        Decider(42, swf=SWF)


def test_a_dynamic_decider_needs_no_tasks_in_its_spec():
    decider = DynamicDecider(spec([]), swf=SWF)
    assert decider.tasks == []


def test_the_run_cache_forgets_the_least_recently_used_run():
    from floto.decider._base import RunCache
    from floto.history import new_state

    cache = RunCache(max_runs=2)
    for run in ("a", "b"):
        cache.put(run, new_state())
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("c", new_state())
    assert "b" not in cache and "a" in cache and "c" in cache and len(cache) == 2


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"page_size": 1.5}, "page_size must be 1 to 1000"),
        ({"page_size": True}, "page_size must be 1 to 1000"),
        ({"page_size": float("nan")}, "page_size must be 1 to 1000"),
        ({"page_size": 0}, "page_size must be 1 to 1000"),
        ({"cache_size": -1}, "cache_size must be a whole number >= 0"),
        ({"cache_size": float("inf")}, "cache_size must be a whole number >= 0"),
    ],
)
def test_numbers_of_a_decider_are_whole_and_in_range(kwargs, words):
    with pytest.raises(ValueError, match=words):
        Decider(spec([ActivityTask(name="a", version="1")]), swf=SWF, **kwargs)
