"""A run that nears SWF's event limit is failed by floto with its reason, before SWF would
terminate it (EVENT_LIMIT_EXCEEDED) and leave its decider waiting."""

from __future__ import annotations

from history.histories import H

from floto.decider._planner import PlanConfig, plan
from floto.history import state_from_events
from floto.specs.task import ActivityTask


def test_the_guard_fails_the_run_and_names_the_limit():
    task = ActivityTask("a", "1", id_="a")
    h = H()
    h.start()
    for _ in range(20):
        h.decision()
    state = state_from_events(h.events, [task])
    assert plan(state, PlanConfig(event_guard=1_000)).closing is None  # under: goes on
    failed = plan(state, PlanConfig(event_guard=state.last_event_id))
    assert failed.closing == "FailWorkflowExecution"
    reason = failed.decisions[0]["failWorkflowExecutionDecisionAttributes"]["reason"]
    assert f"{state.last_event_id:,} events" in reason and "25,000" in reason
