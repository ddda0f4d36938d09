"""Planning costs what it decides, not what is ready: with every activity slot taken, a
decision looks at no ready activity at all, and timers behind thousands of ready activities
still start at once."""

from __future__ import annotations

from history.histories import H

from floto.decider import _planner
from floto.decider._planner import PlanConfig, plan
from floto.history import state_from_events
from floto.ids import to_swf_id
from floto.specs.task import ActivityTask, Timer

READY = 5_000
OPEN = 10


def wide_state():
    """``READY`` ready activities, ``OPEN`` already scheduled, and one ready timer last."""
    tasks = [ActivityTask("a", "1", id_=f"t{n}") for n in range(READY + OPEN)]
    tasks.append(Timer("wait", 30))
    h = H()
    h.start()
    h.decision()
    for task in tasks[:OPEN]:
        h.scheduled(task.id_)
    return state_from_events(h.events, tasks)


def count_looks(monkeypatch) -> list[str]:
    looked: list[str] = []
    real = _planner._decision_for

    def counting(state, ts, config, problems):
        looked.append(ts.task_id)
        return real(state, ts, config, problems)

    monkeypatch.setattr(_planner, "_decision_for", counting)
    return looked


def test_full_activity_slots_mean_no_ready_activity_is_looked_at(monkeypatch):
    state = wide_state()
    looked = count_looks(monkeypatch)
    result = plan(state, PlanConfig(max_open_activities=OPEN))
    assert looked == ["wait"]
    assert [d["decisionType"] for d in result.decisions] == ["StartTimer"]


def test_free_slots_are_filled_in_the_order_tasks_became_ready(monkeypatch):
    state = wide_state()
    looked = count_looks(monkeypatch)
    result = plan(state, PlanConfig(max_open_activities=OPEN + 3))
    assert len(looked) == 4  # the timer and three activities, not 5,000
    ids = [
        d.get("scheduleActivityTaskDecisionAttributes", {}).get("activityId")
        or d["startTimerDecisionAttributes"]["timerId"]
        for d in result.decisions
    ]
    assert ids == [to_swf_id(f"t{n}") for n in range(OPEN, OPEN + 3)] + ["wait"]
