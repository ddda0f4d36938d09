"""The wire rules for results and failures, without SWF."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floto.specs.task import ActivityTask
from floto.worker._outcome import (
    BadInput,
    activity_outcome,
    from_exception,
    generator_outcome,
    parse_context,
)


def test_context_is_the_parsed_input_or_empty():
    assert parse_context(None) == {}
    assert parse_context("") == {}
    assert parse_context('{"workflow": [1]}') == {"workflow": [1]}
    with pytest.raises(BadInput, match="not JSON"):
        parse_context("{nope")


def test_none_means_no_result_and_falsy_values_are_results():
    assert activity_outcome(None, "a").result is None
    assert [activity_outcome(v, "a").result for v in (0, "", [], {}, False)] == [
        "0", '""', "[]", "{}", "false",
    ]  # fmt: skip


def test_string_results_stay_strings():
    assert activity_outcome("42", "a").result == '"42"'


def test_dates_and_tasks_in_results_use_the_floto_encoder():
    outcome = activity_outcome({"day": dt.date(2016, 2, 1)}, "a")
    assert outcome.result == '{"day": "2016-02-01"}'


def test_reason_is_type_and_message_and_details_hold_the_traceback():
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError as error:
        outcome = from_exception(error, "activity 'x' version '1'")
    assert outcome.failed and outcome.reason == "ZeroDivisionError: division by zero"
    assert outcome.details.startswith("activity 'x' version '1' raised ZeroDivisionError")
    assert "Traceback" in outcome.details


def test_exception_without_message_uses_its_type():
    assert from_exception(RuntimeError(), "a").reason == "RuntimeError"


def test_generator_list_becomes_task_documents():
    task = ActivityTask(name="a", version="1", input={"k": 1})
    outcome = generator_outcome([task], "g")
    assert outcome.result == (
        '[{"id_": "' + task.id_ + '", "input": {"k": 1}, "name": "a", '
        '"type": "floto.specs.task.ActivityTask", "version": "1"}]'
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "must return a list of floto tasks, got NoneType"),
        ((ActivityTask(name="a", version="1"),), "got tuple"),
        (["a"], "not floto tasks: [0] str"),
    ],
)
def test_generator_bad_values_fail(value, reason):
    outcome = generator_outcome(value, "g")
    assert outcome.failed and reason in outcome.reason


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["[" * 3000 + "]" * 3000, "NaN", "[1e999]", "9" * 5000, '"' + "\\" * 999])
    | st.text(alphabet=st.sampled_from('[]{}",:\\0123456789.eE-+ nulNaIfity'), max_size=300)
)
def test_any_input_text_is_a_context_or_bad_input(text):
    from floto.worker._outcome import BadInput, parse_context

    try:
        parse_context(text)
    except BadInput as error:
        assert str(error).startswith("the task's input is not JSON floto reads: ")
