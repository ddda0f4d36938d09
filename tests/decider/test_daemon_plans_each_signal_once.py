"""The Daemon's planning: one child per valid signal, handled once by event id; a bad signal
is recorded in a marker; other signals are ignored; the daemon run is never closed."""

import json

from history.histories import H
from hypothesis import given, settings
from hypothesis import strategies as st

from floto import wire
from floto.decider import CHILD_WORKFLOW_TYPE, SIGNAL_NAME
from floto.decider._daemon import child_id, plan_daemon
from floto.history import state_from_events
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

SPEC = DeciderSpec(domain="dom", activity_tasks=[ActivityTask(name="a", version="1")])


def attrs(decision):
    kind = decision["decisionType"]
    return decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]


def daemon_state(h):
    state = state_from_events(h.events)
    state.workflow_id, state.run_id = "floto_daemon", "run-0123456789abcdef"
    return state


def test_a_signal_with_a_spec_starts_one_child_on_the_specs_task_list():
    h = H()
    h.start()
    h.decision()
    with_list = DeciderSpec(
        domain="dom", task_list="child_list", activity_tasks=SPEC.activity_tasks
    )
    first = h.signal(SIGNAL_NAME, {"decider_spec": SPEC.to_json()})
    named = {"workflow_type_name": "mine", "workflow_type_version": "2"}
    second = h.signal(
        SIGNAL_NAME, {"decider_spec": with_list.to_dict(), "input": {"k": 0}, **named}
    )
    h.signal("somethingElse", {"decider_spec": SPEC.to_json()})
    state = daemon_state(h)
    one, two = plan_daemon(state, "dom").decisions
    assert attrs(one)["workflowType"] == dict(
        zip(("name", "version"), CHILD_WORKFLOW_TYPE, strict=True)
    )
    assert (
        attrs(one)["workflowId"]
        == child_id(state, first)
        == f"floto_daemon%3Arun-01234567%3A{first}"
    )
    assert attrs(one)["taskList"] == {"name": attrs(one)["workflowId"]}
    assert json.loads(attrs(one)["control"]) == {"task": f"signal-{first}", "signal": first}
    assert "input" not in attrs(one)
    assert attrs(two)["workflowType"] == {"name": "mine", "version": "2"}
    assert attrs(two)["taskList"] == {"name": "child_list"}
    assert attrs(two)["input"] == '{"k": 0}'
    assert json.loads(attrs(two)["control"])["signal"] == second


def test_a_signal_already_acted_on_is_not_acted_on_again():
    h = H()
    h.start()
    h.decision()
    signal = h.signal(SIGNAL_NAME, {"decider_spec": SPEC.to_json()})
    h.decision()
    h.add("StartChildWorkflowExecutionInitiated", workflowId="c",
          control=wire.control(task=f"signal-{signal}", signal=signal))  # fmt: skip
    assert plan_daemon(daemon_state(h), "dom").decisions == []


def test_bad_signals_are_recorded_once_and_never_stop_the_daemon():
    h = H()
    h.start()
    h.decision()
    h.signal(SIGNAL_NAME, "just text")
    h.signal(SIGNAL_NAME, {"decider_spec": {"type": "builtins.eval"}})
    elsewhere = DeciderSpec(domain="other", activity_tasks=SPEC.activity_tasks)
    h.signal(SIGNAL_NAME, {"decider_spec": elsewhere.to_json()})
    decisions = plan_daemon(daemon_state(h), "dom").decisions
    assert [d["decisionType"] for d in decisions] == ["RecordMarker"] * 3
    errors = [json.loads(attrs(d)["details"])["error"] for d in decisions]
    assert "must be a JSON object with 'decider_spec'" in errors[0]
    assert "type 'builtins.eval' is not allowed" in errors[1]
    assert "is not the daemon's 'dom'" in errors[2]
    h.decision()
    for decision in decisions:
        h.marker(wire.SIGNAL_REJECTED_MARKER, attrs(decision)["details"])
    assert plan_daemon(daemon_state(h), "dom").decisions == []


def test_a_signal_nested_too_deep_is_rejected_and_the_next_one_still_acted_on():
    # issue 12, hole 1: this 20 KB input ended the daemon run (RecursionError, 3 times)
    h = H()
    h.start()
    h.decision()
    deep = h.signal(SIGNAL_NAME, raw="[" * 10_000 + "]" * 10_000)
    nan = h.signal(SIGNAL_NAME, raw='{"decider_spec": NaN}')
    good = h.signal(SIGNAL_NAME, {"decider_spec": SPEC.to_json()})
    state = daemon_state(h)
    rejected_deep, rejected_nan, started = plan_daemon(state, "dom").decisions
    assert json.loads(attrs(rejected_deep)["details"]) == {
        "signal": deep,
        "error": "input: nests arrays and objects deeper than floto's limit of 128 levels",
    }
    assert json.loads(attrs(rejected_nan)["details"]) == {
        "signal": nan,
        "error": "input: NaN is not a number JSON allows (numbers must be finite)",
    }
    assert started["decisionType"] == "StartChildWorkflowExecution"
    assert json.loads(attrs(started)["control"])["signal"] == good


def test_a_bug_reading_a_signal_rejects_that_signal_instead_of_ending_the_daemon(monkeypatch):
    from floto.decider import _daemon

    def explode(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(_daemon, "read_signal", explode)
    h = H()
    h.start()
    h.decision()
    h.signal(SIGNAL_NAME, {"decider_spec": SPEC.to_json()})
    (decision,) = plan_daemon(daemon_state(h), "dom").decisions
    assert json.loads(attrs(decision)["details"])["error"] == "ZeroDivisionError: a bug"


SIGNAL_TEXT = st.sampled_from(
    ["[" * 10_000 + "]" * 10_000, '{"decider_spec": ' + "{" * 300, "NaN", '{"decider_spec": 1e999}']
) | st.text(alphabet=st.sampled_from('[]{}",:\\0123456789.eE-+ nulNaIfity'), max_size=200)


@settings(max_examples=150, deadline=None)
@given(st.lists(SIGNAL_TEXT, min_size=1, max_size=4))
def test_any_signal_text_is_acted_on_or_rejected_never_fatal(texts):
    h = H()
    h.start()
    h.decision()
    for text in texts:
        h.signal(SIGNAL_NAME, raw=text)
    decisions = plan_daemon(daemon_state(h), "dom").decisions
    assert len(decisions) == len(texts)
    for decision in decisions:
        assert decision["decisionType"] in ("RecordMarker", "StartChildWorkflowExecution")
