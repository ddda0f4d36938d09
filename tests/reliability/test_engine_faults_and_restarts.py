"""The same ~200-activity workflow under what the local engine can do to it: injected faults
(``floto local --fault-rate``: throttling, 5xx, lost answers, delays) and the engine killed
and restarted with its state on disk (``floto local --data-dir``).

The engine's fault injection and persistence are being built separately (issue 12); each
test here runs as soon as ``floto local`` has its option, and is skipped until then.
"""

from __future__ import annotations

import time

import pytest
from reliability_harness import (
    EngineRestarts,
    Fleet,
    RandomKills,
    engine_supports,
    result_of,
    run_until_closed,
)
from reliability_workload import WORK_COUNT, audit, child_spec, parent_spec, register_types

from floto.api import Swf
from floto.local import LocalEngine
from floto.local.testing import TEST_POLL_WAIT, unique_domain

WORKFLOW_ID = "under-engine-trouble"


def _run(engine, tmp_path, rng, disruptions):
    swf = Swf(endpoint_url=engine.endpoint_url)
    domain = unique_domain(swf.client, prefix="reliability")
    register_types(swf, domain)
    fleet = Fleet(domain, engine.endpoint_url, tmp_path)
    fleet.workers(4)
    fleet.deciders("parent decider", parent_spec(domain), 2)
    fleet.deciders("child decider", child_spec(domain), 1)
    began = time.monotonic()
    swf.start_workflow_execution(domain=domain, workflow_type_name="parent",
                                 workflow_type_version="1", workflow_id=WORKFLOW_ID)  # fmt: skip
    try:
        run_until_closed(swf, fleet, WORKFLOW_ID, disruptions, rng, timeout=420)
    finally:
        fleet.stop()
    kind, result, history = result_of(swf, domain, WORKFLOW_ID)
    assert kind == "WorkflowExecutionCompleted", result
    ((_, finished),) = result.items()
    numbers = [v for v in finished["seen"].values() if isinstance(v, dict) and "numbers" in v]
    assert numbers == [{"numbers": list(range(WORK_COUNT))}]
    found = audit(history)
    assert found.duplicates == found.overlapping == 0
    assert swf.list_workflow_executions(domain, status="open") == []
    return time.monotonic() - began, found


def test_a_200_activity_workflow_completes_under_injected_engine_faults(tmp_path, rng, figures):
    if not engine_supports("--fault-rate"):
        pytest.skip("needs `floto local --fault-rate` (issue 12: the engine's fault injection)")
    with LocalEngine(poll_wait=TEST_POLL_WAIT, extra_args=("--fault-rate", "0.05")) as engine:
        kills = RandomKills(roles=("worker",), every=(1.0, 3.0), limit=5)
        duration, found = _run(engine, tmp_path, rng, [kills])
        injected = engine.faults()["injected"]
    assert sum(injected.values()) > 0  # faults did happen
    figures.record(seed=rng.seed_value, fault_rate=0.05, faults_injected=injected,
                   **kills.figures(), duration_s=duration,
                   timed_out_attempts=found.timed_out, duplicates=found.duplicates)  # fmt: skip


def test_a_200_activity_workflow_survives_the_engine_killed_and_restarted(tmp_path, rng, figures):
    if not engine_supports("--data-dir"):
        pytest.skip("needs `floto local --data-dir` (issue 12: the engine's persistence)")
    data = tmp_path / "engine-data"
    data.mkdir()
    engine = LocalEngine(poll_wait=TEST_POLL_WAIT, extra_args=("--data-dir", str(data))).start()
    port = int(engine.endpoint_url.rsplit(":", 1)[1])
    engine.stop()  # again on a fixed port, so that the fleet finds it after each restart
    restarts = EngineRestarts(
        LocalEngine(
            port=port, poll_wait=TEST_POLL_WAIT, extra_args=("--data-dir", str(data))
        ).start()
    )
    try:
        duration, found = _run(restarts.engine, tmp_path, rng, [restarts])
    finally:
        restarts.engine.stop()
    assert restarts.restarts >= 1
    figures.record(seed=rng.seed_value, **restarts.figures(), duration_s=duration,
                   timed_out_attempts=found.timed_out, duplicates=found.duplicates)  # fmt: skip
