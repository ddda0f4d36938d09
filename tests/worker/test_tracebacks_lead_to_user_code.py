"""A failed activity's details start with the user's code: floto's frames are left out (and
kept in a section of their own), and a notebook cell is named as IPython names it."""

from __future__ import annotations

import pytest

from floto.wire import split_details
from floto.worker import ActivityRegistry
from floto.worker._outcome import FULL_TRACEBACK, from_exception


def _helper():
    raise ValueError("bad record x3")


def _failing(context):
    return _helper()


def _details_of(function) -> str:
    registry = ActivityRegistry()
    registry.register(function, name="failing", version="1")
    try:
        registry.get("failing", "1").call({})
    except Exception as error:
        return from_exception(error, "activity 'failing' version '1'").details
    raise AssertionError("the function did not raise")


def test_the_traceback_starts_at_the_users_function_and_keeps_floto_s_frames_apart():
    head, sections = split_details(_details_of(_failing))
    assert head.startswith("activity 'failing' version '1' raised ValueError: bad record x3")
    assert "floto/worker" not in head and "_registry.py" not in head
    assert head.index("in _failing") < head.index("in _helper")
    assert head.rstrip().endswith("ValueError: bad record x3")
    assert "floto/worker/_registry.py" in sections[FULL_TRACEBACK]


def test_a_cell_is_named_as_ipython_names_it():
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactiveshell.InteractiveShell.instance()
    try:
        shell.run_cell("def in_a_cell(context):\n    return 1 / 0\n", store_history=True)
        count = shell.execution_count - 1
        details = _details_of(shell.user_ns["in_a_cell"])
    finally:
        interactiveshell.InteractiveShell.clear_instance()
    head, _ = split_details(details)
    assert f"Cell In[{count}], line 2, in in_a_cell" in head
    assert "return 1 / 0" in head and "ipykernel" not in head
