"""The activity context keeps its seed form (a dict) and reads results by task name."""

from __future__ import annotations

import json

import pytest

from floto.worker import ActivityContext
from floto.worker._outcome import parse_context

SEED_FORM = {
    "fetch:1:3e774b6f38": {"rows": 3},
    "clean:1:963bdf2b30": 4,
    "clean:1:cdaa45f186": 5,
    "my-own-id": "x",
    "activity_task": {"day": "2024-01-02"},
}


def test_a_parsed_context_is_a_dict_in_the_seed_form_with_readers():
    context = parse_context(json.dumps(SEED_FORM))
    assert isinstance(context, ActivityContext) and isinstance(context, dict)
    assert context == SEED_FORM and json.loads(json.dumps(context)) == SEED_FORM
    assert context.result("fetch") == {"rows": 3}
    assert context.result("my-own-id") == "x"
    assert sorted(context.results("clean")) == [4, 5]
    assert context.results_by_id("clean") == {"clean:1:963bdf2b30": 4, "clean:1:cdaa45f186": 5}
    assert context.results("absent") == []
    assert context.input == {"day": "2024-01-02"}
    assert context.workflow_input is None


def test_the_workflow_input_and_a_child_workflows_input():
    context = ActivityContext({"workflow": {"n": 1}, "child_workflow": [1, 2]})
    assert context.workflow_input == {"n": 1}
    assert context.input == [1, 2]
    assert parse_context(None) == {} and parse_context(None).input is None


def test_a_missing_or_ambiguous_name_says_what_the_context_has():
    context = ActivityContext(SEED_FORM)
    with pytest.raises(KeyError, match=r"named .load. in this context; it has clean, fetch, my"):
        context.result("load")
    with pytest.raises(KeyError, match=r"2 required tasks are named 'clean'.*context.results"):
        context.result("clean")
    with pytest.raises(TypeError, match="non-empty string"):
        context.result("")
    with pytest.raises(KeyError):  # the reserved keys are not tasks
        context.result("workflow")
