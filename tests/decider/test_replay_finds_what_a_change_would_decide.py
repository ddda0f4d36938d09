"""Replay: histories recorded by real deciders on the local engine, replayed with changed
specs, report each kind of difference where the new decider would decide otherwise, and
none with the spec that decided them (in every saved form a user has)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest

import floto
from decider.inflight_support import Driver
from floto.decider import Decider, replay_history
from floto.history import load_events
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Generator

FIXTURE = Path(__file__).parents[1] / "history" / "fixtures" / "generator_timer_retry_run.json"


def _tasks(key, *, b_input="B", retries=2, names=("x", "y"), drop_b=False, add_c=False):
    a = ActivityTask("echo", "1", id_="a", input="a")
    b = ActivityTask("echo", "1", id_="b", input=b_input, requires=[a])
    f = ActivityTask("flaky", "1", id_="f", input={"key": key, "times": 1},
                     retry_strategy=InstantRetry(retries))  # fmt: skip
    g = Generator("gen", "1", id_="g", input=list(names))
    tasks = [a, f, g] + ([] if drop_b else [b])
    return tasks + ([ActivityTask("echo", "1", id_="c", input="C")] if add_c else [])


@pytest.fixture(scope="module")
def recorded(local_engine, request):
    """One run of the original spec, decided to its end; (driver-less) its events and key."""
    from decider.conftest import Engine

    engine = Engine()
    driver = Driver(engine)
    key = uuid.uuid4().hex
    engine.start()
    driver.drive(driver.decider(_tasks(key)))
    events = engine.history()
    assert events[-1]["eventType"] == "WorkflowExecutionCompleted"
    return driver, key, events


def _spec(driver, tasks, failure_policy="continue"):
    spec = driver.spec(tasks)
    spec.failure_policy = failure_policy
    return spec


def _kinds(report):
    return {difference.kind for difference in report.differences}


def test_the_spec_that_decided_a_run_replays_it_without_differences(recorded):
    driver, key, events = recorded
    report = replay_history(events, _spec(driver, _tasks(key)))
    assert report.same, str(report)
    assert report.decisions >= 5
    decider = Decider(_spec(driver, _tasks(key)), swf=driver.swf)
    assert floto.replay(events, decider).same  # a decider, too; nothing sent to SWF


def test_every_saved_form_of_a_history_replays_alike(recorded, tmp_path):
    driver, key, events = recorded
    spec = _spec(driver, _tasks(key))

    def stamp(event, as_epoch):
        when = event["eventTimestamp"]
        assert isinstance(when, dt.datetime)
        return {**event, "eventTimestamp": when.timestamp() if as_epoch else when.isoformat()}

    aws_cli = json.dumps({"events": [stamp(event, True) for event in events]})
    bare = json.dumps([stamp(event, False) for event in events])
    lines = "\n".join(json.dumps(stamp(event, False)) for event in events)  # floto history --json
    for text in (aws_cli, bare, lines):
        assert load_events(text) == load_events(bare) or text is aws_cli
        assert replay_history(text, spec).same


def test_a_history_of_an_earlier_floto_replays_with_its_own_tasks():
    from floto.history import decision_tasks, recorded_tasks_of

    events = json.loads(FIXTURE.read_text())  # floto.tasks as a plain list (records v1)
    marker = decision_tasks(events)[0].decisions[0]["recordMarkerDecisionAttributes"]["details"]
    tasks = recorded_tasks_of([marker])
    assert replay_history(events, tasks_spec(tasks)).same


def tasks_spec(tasks):
    from floto.specs import DeciderSpec

    return DeciderSpec(domain="d", task_list="deciders", default_activity_task_list="workers",
                       activity_tasks=tasks)  # fmt: skip


def test_a_changed_spec_differs_at_the_first_decision_but_not_for_runs_in_flight(recorded):
    driver, key, events = recorded
    report = replay_history(events, _spec(driver, _tasks(key, add_c=True)))
    assert [d.decision for d in report.differences] == [1, 1], str(report)
    assert _kinds(report) == {"tasks", "schedule"}
    assert "1 task added (c)" in str(report) and "would schedule c" in str(report)


@pytest.mark.parametrize(
    ("change", "kinds", "words"),
    [
        ({"add_c": True}, {"tasks", "schedule", "close"}, "would schedule c"),
        ({"drop_b": True}, {"tasks", "not_scheduled", "close", "migrate"}, "would not schedule b"),
        ({"b_input": "B2"}, {"tasks", "input", "migrate"}, "b with another input"),
        ({"retries": 0}, {"tasks", "close", "retry", "migrate"}, "would fail the run here"),
        ({"names": ("x",)}, {"tasks", "input"}, "g with another input"),
    ],
    ids=["added", "removed", "changed", "retry", "generator"],
)
def test_migrating_runs_in_flight_shows_each_kind_of_difference(recorded, change, kinds, words):
    driver, key, events = recorded
    # under "continue" a failure with no retry left fails the run only once nothing more can
    # run; under "fail_fast" at once, which is the close this case looks for
    policy = "fail_fast" if "retries" in change else "continue"
    report = replay_history(events, _spec(driver, _tasks(key, **change), policy),
                            in_flight="migrate")  # fmt: skip
    assert kinds <= _kinds(report) and words in str(report), str(report)
    for in_flight in ("migrate", "recorded", "fail"):  # a kept state decides as a cold one
        spec = _spec(driver, _tasks(key, **change), policy)
        kept = replay_history(events, spec, in_flight=in_flight).differences
        assert kept == replay_history(events, spec, in_flight=in_flight, cold=True).differences


def test_failing_runs_in_flight_fails_them_at_their_next_decision(recorded):
    driver, key, events = recorded
    report = replay_history(events, _spec(driver, _tasks(key, add_c=True)), in_flight="fail")
    closes = [d for d in report.differences if d.kind == "close"]
    assert closes and closes[0].decision == 2
    assert "the workflow changed while the run was in flight" in closes[0].message


def test_a_bad_history_is_refused_naming_the_problem():
    with pytest.raises(ValueError, match=r"history: events\[1\]: needs an eventType"):
        replay_history([{"eventId": 1, "eventType": "WorkflowExecutionStarted"}, {"eventId": 2}])
    with pytest.raises(ValueError, match="not JSON"):
        replay_history('{"events": [')
