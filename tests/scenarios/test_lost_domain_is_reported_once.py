"""An engine that restarts loses its in-memory domains: deciders and workers polling it say so
plainly, once (not on every poll), keep polling with back-off, and pick up the work again
once the domain is back (issue 12, hole 7)."""

from __future__ import annotations

import logging
import threading
import time

from scenario_activities import REGISTRY

from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.local import LocalEngine
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask
from floto.worker import ActivityWorker

DOMAIN = "lost-domain"


def register(swf: Swf) -> None:
    swf.domains.register_domain(DOMAIN)
    swf.register_workflow_type(WorkflowType(domain=DOMAIN, name="wf", version="1",
                                            default_task_list="deciders"))  # fmt: skip
    swf.register_activity_type(ActivityType(domain=DOMAIN, name="zero", version="1",
                                            default_task_list="workers"))  # fmt: skip


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_restarted_engine_s_lost_domain_is_reported_once_and_polling_goes_on(caplog):
    first = LocalEngine(poll_wait=1).start()
    port = int(first.endpoint_url.rsplit(":", 1)[1])
    second = None
    try:
        swf = Swf(endpoint_url=first.endpoint_url)
        register(swf)
        task = ActivityTask(name="zero", version="1")
        spec = DeciderSpec(domain=DOMAIN, task_list="deciders",
                           default_activity_task_list="workers", activity_tasks=[task])  # fmt: skip
        decider = Decider(spec, swf=Swf(endpoint_url=first.endpoint_url))
        decider.backoff.base, decider.backoff.cap = 0.05, 0.3
        worker = ActivityWorker(DOMAIN, "workers", heartbeat_in_seconds=0, registry=REGISTRY,
                                swf=Swf(endpoint_url=first.endpoint_url))  # fmt: skip
        worker.backoff_base_seconds, worker.backoff_cap_seconds = 0.05, 0.3
        threads = [threading.Thread(target=loop.run, daemon=True) for loop in (decider, worker)]
        with caplog.at_level(logging.DEBUG, logger="floto"):
            for thread in threads:
                thread.start()
            first.stop()  # the engine goes, with everything it held in memory
            second = LocalEngine(port=port, poll_wait=1).start()
            polls = (decider.swf.call_counts, worker.swf.call_counts)
            before = [polls[0]["PollForDecisionTask"], polls[1]["PollForActivityTask"]]
            wait_until(lambda: polls[0]["PollForDecisionTask"] > before[0] + 5
                       and polls[1]["PollForActivityTask"] > before[1] + 5)  # fmt: skip
            lost = [r for r in caplog.records if "is unknown to the SWF endpoint" in r.getMessage()]
            assert sorted(r.name for r in lost if r.levelno >= logging.WARNING) == [
                "floto.decider",
                "floto.worker",
            ]  # once each, however many polls
            message = lost[0].getMessage()
            assert f"domain '{DOMAIN}' is unknown to the SWF endpoint http://127.0.0.1:{port}" in (
                message
            )
            assert "the engine was restarted and lost its in-memory state" in message
            assert "--data-dir" in message and "Polling on with back-off" in message
            register(swf)  # the domain is back: both pick up work again
            swf.start_workflow_execution(
                domain=DOMAIN, workflow_type_name="wf", workflow_type_version="1",
                workflow_id="after",
            )  # fmt: skip

            def completed():
                history = swf.get_workflow_execution_history(DOMAIN, workflow_id="after")
                return history[-1]["eventType"] == "WorkflowExecutionCompleted"

            wait_until(completed)
        decider.stop()
        worker.stop()
        for thread in threads:
            thread.join(10)
    finally:
        first.stop()
        if second is not None:
            second.stop()
