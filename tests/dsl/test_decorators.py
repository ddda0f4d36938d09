"""@floto.activity / @floto.generator return the function, callable, with a `.task()` maker."""

import pytest

import floto
from floto.specs.task import ActivityTask, Generator
from floto.worker import RegistrationError


def test_activity_decorator_returns_the_function_still_callable():
    registry = floto.ActivityRegistry()

    @floto.activity(name="ActivityA", version="v1", registry=registry)
    def activity_a(context):
        return {"your": "result_activity_a", "got": context}

    assert activity_a({"x": 1}) == {"your": "result_activity_a", "got": {"x": 1}}
    task = activity_a.task(input={"k": 1})
    assert type(task) is ActivityTask
    assert (task.name, task.version, task.input) == ("ActivityA", "v1", {"k": 1})
    assert registry.get("ActivityA", "v1").function is activity_a


def test_generator_decorator_makes_generator_tasks():
    registry = floto.ActivityRegistry()

    @floto.generator(name="weekDays", version="1", registry=registry)
    def week_days(context):
        return []

    assert type(week_days.task()) is Generator
    assert registry.get("weekDays", "1").kind == "generator"


def test_context_parameter_is_optional_and_may_have_any_name():
    registry = floto.ActivityRegistry()

    @floto.activity(name="none", version="v1", registry=registry)
    def no_context():
        return "none"

    @floto.activity(name="named", version="v1", registry=registry)
    def other_name(ctx):
        return ctx

    @floto.activity(name="kwonly", version="v1", registry=registry)
    def keyword_only(*, context):
        return context

    assert registry.get("none", "v1").call({"a": 1}) == "none"
    assert registry.get("named", "v1").call({"a": 1}) == {"a": 1}
    assert registry.get("kwonly", "v1").call({"a": 2}) == {"a": 2}


def test_another_function_under_the_same_name_is_refused():
    registry = floto.ActivityRegistry()

    @floto.activity(name="dup", version="v1", registry=registry)
    def first():
        return 1

    with pytest.raises(RegistrationError, match="'dup' version 'v1' is already registered"):

        @floto.activity(name="dup", version="v1", registry=registry)
        def second():
            return 2


def test_default_registry_backs_the_seed_decorator():
    @floto.activity(name="test_default_registry_backs", version="v1")
    def seed_style():
        return None

    try:
        assert (
            floto.default_registry.get("test_default_registry_backs", "v1").function is seed_style
        )
    finally:
        floto.default_registry.unregister("test_default_registry_backs", "v1")


def test_empty_name_is_refused():
    with pytest.raises(ValueError, match="name: must be a non-empty string"):
        floto.activity(name="", version="v1", registry=floto.ActivityRegistry())(lambda: 1)
