"""Errors inside the engine (bugs: requests are validated first) never wedge a run: a start
that fails leaves no run (the workflow id stays free, nothing is handed out); a decision that
fails leaves a decision task scheduled. Run in-process on the engine's backend."""

from __future__ import annotations

import uuid

import pytest

from floto.local import _decisions
from floto.local._backend import LocalSWFBackend
from floto.local._execution import LocalExecution
from floto.local._state import LOCK


def test_a_start_that_fails_half_way_leaves_no_run(monkeypatch) -> None:
    with LOCK:  # as every request holds it
        _fails_then_starts(monkeypatch)


def _backend_with_types() -> LocalSWFBackend:
    backend = LocalSWFBackend("us-east-1", f"{uuid.uuid4().int % 10**12:012d}")
    backend.register_domain("d", "1")
    backend.register_type(
        "workflow",
        "d",
        "wf",
        "1",
        task_list="deciders",
        default_execution_start_to_close_timeout="60",
        default_task_start_to_close_timeout="10",
        default_child_policy="TERMINATE",
    )
    return backend


def _fails_then_starts(monkeypatch) -> None:
    backend = _backend_with_types()

    def broken(self: LocalExecution) -> None:
        raise RuntimeError("a bug in the engine")

    monkeypatch.setattr(LocalExecution, "schedule_decision_task", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        backend.start_workflow_execution("d", "w", "wf", "1")
    domain = backend.domains_by_name["d"]
    assert domain.open_by_id == {} and domain.runs == {}
    monkeypatch.undo()
    wfe = backend.start_workflow_execution("d", "w", "wf", "1")  # the id is free
    assert list(domain.runs) == [wfe.run_id]
    assert backend.poll_for_decision_task("d", "deciders").workflow_execution is wfe
    assert backend.poll_for_decision_task("d", "deciders") is None


def test_a_decision_that_fails_inside_the_engine_leaves_a_decision_task(monkeypatch) -> None:
    with LOCK:
        backend = _backend_with_types()
        wfe = backend.start_workflow_execution("d", "w", "wf", "1")
        dt = backend.poll_for_decision_task("d", "deciders")

        def broken(wfe: LocalExecution, completed_id: int, attrs: dict) -> None:
            raise RuntimeError("a bug in the engine")

        monkeypatch.setitem(_decisions.HANDLERS, "RecordMarker", broken)
        marker = {
            "decisionType": "RecordMarker",
            "recordMarkerDecisionAttributes": {"markerName": "m"},
        }
        with pytest.raises(RuntimeError, match="a bug"):
            backend.respond_decision_task_completed(dt.task_token, [marker])
        assert [evt.event_type for evt in wfe.events_list][-2:] == [
            "DecisionTaskCompleted",
            "DecisionTaskScheduled",
        ]
        assert backend.poll_for_decision_task("d", "deciders") is not None  # the run moves on
