"""A finished run's history alone rebuilds the task graph: the spec's tasks come from the
``floto.tasks`` marker, generated tasks from the generator's result. The fixture was recorded
from a real run on the local engine (generator -> sum -> timer, and a task retried once)."""

import json
from pathlib import Path

from floto.history import TaskStatus, WorkflowStatus, state_from_events

FIXTURE = Path(__file__).parent / "fixtures" / "generator_timer_retry_run.json"
GENERATOR = "fan_out:1:2165adc31b"


def load():
    return json.loads(FIXTURE.read_text())


def test_the_graph_of_a_finished_run_comes_back_from_its_history():
    state = state_from_events(load())
    assert state.status is WorkflowStatus.COMPLETED
    kinds = sorted(ts.kind for ts in state.tasks.values())
    assert kinds == ["activity"] * 6 + ["generator", "timer"]
    generated = [t for t, ts in state.tasks.items() if ts.generated_by == GENERATOR]
    assert len(generated) == 4
    total = next(t for t, ts in state.tasks.items() if ts.requires and GENERATOR in ts.requires
                 and ts.generated_by is None)  # fmt: skip
    assert set(state.tasks[total].requires) == {GENERATOR, *generated}
    graph = state.graph
    assert graph.has_edge(total, "pause") and graph.has_edge(GENERATOR, generated[0])
    assert state.order.index(GENERATOR) < state.order.index(total) < state.order.index("pause")
    assert all(ts.status is TaskStatus.COMPLETED for ts in state.tasks.values())
    assert state.result == {"flaky:1:c9614aa2c5": {"calls": 2}}


def test_a_retried_task_shows_both_attempts_and_the_first_error():
    ts = state_from_events(load()).tasks["flaky:1:c9614aa2c5"]
    assert [attempt.outcome.value for attempt in ts.attempts] == ["failed", "completed"]
    assert ts.error == "RuntimeError: flaky failure 1"
    assert ts.attempts[0].duration is not None and ts.attempts[0].duration >= 0


def test_a_spec_given_explicitly_gives_the_same_graph():
    from floto.specs import decode_tasks

    events = load()
    marker = next(e for e in events if e["eventType"] == "MarkerRecorded")
    tasks = decode_tasks(marker["markerRecordedEventAttributes"]["details"])
    with_spec = state_from_events(events, tasks)
    without = state_from_events(events)
    assert {t: ts.requires for t, ts in with_spec.tasks.items()} == {
        t: ts.requires for t, ts in without.tasks.items()
    }
