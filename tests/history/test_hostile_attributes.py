"""Whatever text a history's attributes hold (results, details, inputs, signals, markers,
control), deriving the state never raises: floto reads each through its bounded reader, keeps
what it does not read as text, and says why where it matters (issue 12, holes 1 and 3)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floto import wire
from floto.history import fold_events, new_state, state_from_events
from floto.specs.task import ActivityTask, Generator
from history.histories import H

DEEP = "[" * 10_000 + "]" * 10_000
HOSTILE = [
    DEEP,
    '{"a":' * 3000 + "1" + "}" * 3000,
    "[" * 50_000,
    "NaN",
    '{"x": Infinity}',
    "[1e999]",
    "9" * 5000,
    '"' + '\\"' * 10_000,
]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('{"activity_tasks": ' + "[" * 3000 + "]" * 3000 + "}", "deeper than floto's limit of 128"),
        ('{"activity_tasks": [], "n": NaN}', "NaN is not a number JSON allows"),
        ('{"activity_tasks": [' + "1" * 5000 + "]}", "an integer of 5,000 digits"),
    ],
)
def test_a_dynamic_input_floto_does_not_read_is_a_bad_task_list(raw, words):
    h = H()
    h.start(raw=raw)
    state = fold_events(new_state(tasks_from_input=True), h.events)
    problem = state.problems[""]
    assert problem.startswith("bad task list in the workflow input: the input is not JSON floto")
    assert words in problem


def test_a_signal_floto_does_not_read_keeps_its_text_and_says_why():
    h = H()
    h.start()
    h.signal("s", raw=DEEP)
    h.signal("s", raw="plain text")
    deep, plain = state_from_events(h.events).signals
    assert deep["input"] == DEEP
    assert deep["input_error"] == "nests arrays and objects deeper than floto's limit of 128 levels"
    assert (plain["input"], plain["input_error"]) == ("plain text", None)


def test_results_and_markers_floto_does_not_read_stay_text():
    a = ActivityTask(name="a", version="1")
    g = Generator(name="g", version="1")
    h = H()
    h.start()
    h.marker(wire.TASKS_MARKER, DEEP)
    h.marker(wire.RESULT_MARKER, DEEP)
    h.marker(wire.SIGNAL_REJECTED_MARKER, DEEP)
    scheduled = h.scheduled(a.id_)
    h.started(scheduled)
    h.completed(scheduled, raw=DEEP)
    scheduled = h.scheduled(g.id_, name="g")
    h.started(scheduled)
    h.completed(scheduled, raw=DEEP)
    state = state_from_events(h.events, [a, g])
    assert state.tasks[a.id_].result == DEEP
    assert state.problems[g.id_] == (
        "generator returned bad tasks: result: nests arrays and objects deeper than floto's "
        "limit of 128 levels"
    )


def test_a_control_field_floto_does_not_read_is_not_floto_s():
    assert wire.read_control('{"retry": ' + "[" * 5000 + "]" * 5000 + "}") == {}
    assert wire.read_control('{"retry": NaN}') == {}
    assert wire.read_control('{"retry": "a"}') == {"retry": "a"}


TEXT = st.sampled_from(HOSTILE) | st.text(
    alphabet=st.sampled_from('[]{}",:\\0123456789.eE-+ nullNaIfity'), max_size=300
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=9, max_size=9))
def test_no_attribute_text_makes_derivation_raise(texts):
    a = ActivityTask(name="a", version="1")
    g = Generator(name="g", version="1")
    h = H()
    h.start(raw=texts[0])
    h.decision()
    h.signal("s", raw=texts[1])
    h.marker(wire.TASKS_MARKER, texts[2])
    h.marker(wire.RESULT_MARKER, texts[3])
    h.marker(wire.SIGNAL_REJECTED_MARKER, texts[4])
    h.timer(wire.retry_timer_id(a.id_, 1), 2, control=texts[5])
    scheduled = h.scheduled(a.id_)
    h.started(scheduled)
    h.failed(scheduled, reason="x", details=texts[6])
    scheduled = h.scheduled(g.id_, name="g")
    h.started(scheduled)
    h.completed(scheduled, raw=texts[7])
    initiated = h.child("c")
    h.child_closed(initiated, "ChildWorkflowExecutionCompleted", result=texts[8])
    for state in (state_from_events(h.events, [a, g]), state_from_events(h.events)):
        json.dumps(state.signals)  # whatever was read can be written again
    fold_events(new_state(tasks_from_input=True), h.events)


def test_a_rerun_shaped_input_floto_does_not_read_is_no_rerun():
    deep = '{"' + wire.RERUN_KEY + '": ' + "[" * 5000 + "]" * 5000 + "}"
    assert wire.read_rerun_input(deep) == (None, deep)
    nan = '{"' + wire.RERUN_KEY + '": NaN}'
    assert wire.read_rerun_input(nan) == (None, nan)
    h = H()
    h.start(raw=deep)
    assert state_from_events(h.events).rerun_of is None
