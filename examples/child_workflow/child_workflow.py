"""A workflow that starts a child workflow and uses its result.

    python examples/child_workflow/child_workflow.py
    python examples/child_workflow/child_workflow.py --aws

The parent ``order`` workflow runs ``receive`` (takes the order from the workflow input), then
a ChildWorkflow of type ``ship`` on its own decision task list, then ``confirm``. The child
has a decider of its own, for its spec ``pack >> label``. The child's workflow input is the
context the parent built for the ChildWorkflow task: the results of the tasks it requires
(``receive``'s, under its id) and the task's own input (under ``child_workflow``); the
child's first task reads it under ``workflow``. The child's result (``label``'s) reaches
``confirm`` under the child task's id. A ChildWorkflow task can retry
like an activity (here: once).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _support  # connect, run pollers, wait: see examples/_support.py

import floto
import floto.api
from floto.decider import Decider
from floto.dsl import Workflow
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow

DOMAIN = "floto_test"


@floto.activity(name="receive", version="1")
def receive(context):
    order = context.workflow_input
    return {"order": order["order"], "items": order["items"]}


@floto.activity(name="pack", version="1")
def pack(context):
    parent = context.workflow_input  # the child's input: what the parent passed on
    received = parent.result("receive")
    return {"parcels": (len(received["items"]) + 1) // 2, "carrier": parent["child_workflow"]}


@floto.activity(name="label", version="1")
def label(context):
    packed = context.result("pack")
    return f"{packed['parcels']} parcel(s) by {packed['carrier']['carrier']}"


@floto.activity(name="confirm", version="1")
def confirm(context):
    # A child's result is its own run's result: {id of its last task: that task's result}.
    shipped = context.result("ship")
    return "order confirmed: " + ", ".join(shipped.values())


def specs(parent_list: str, child_list: str, activities: str) -> tuple[DeciderSpec, DeciderSpec]:
    """The parent's and the child's decider specs."""
    child = Workflow(
        ActivityTask(name="pack", version="1") >> ActivityTask(name="label", version="1")
    )
    child_spec = child.decider_spec(DOMAIN, child_list, activities)
    receive_task = ActivityTask(name="receive", version="1")
    ship = ChildWorkflow(
        workflow_type_name="ship",
        workflow_type_version="1",
        task_list=child_list,
        input={"carrier": "bike"},
        retry_strategy=InstantRetry(retries=1),
    )
    parent = Workflow(receive_task >> ship >> ActivityTask(name="confirm", version="1"))
    return parent.decider_spec(DOMAIN, parent_list, activities), child_spec


def register(swf: floto.api.Swf) -> None:
    swf.domains.register_domain(DOMAIN)
    for name in ("order", "ship"):
        swf.register_workflow_type(
            floto.api.WorkflowType(
                domain=DOMAIN,
                name=name,
                version="1",
                default_task_start_to_close_timeout=30,
            )
        )
    for name in ("receive", "pack", "label", "confirm"):
        swf.register_activity_type(
            floto.api.ActivityType(
                domain=DOMAIN,
                name=name,
                version="1",
                default_task_start_to_close_timeout=60,
            )
        )


def run_decider(spec_json: str) -> None:
    Decider(decider_spec=spec_json).run()


def run_worker(task_list: str) -> None:
    floto.ActivityWorker(domain=DOMAIN, task_list=task_list).run()


def main() -> int:
    swf = _support.connect()
    register(swf)
    activities = _support.task_list("orders_activities")
    parent, child = specs(_support.task_list("orders"), _support.task_list("shipping"), activities)
    run = [
        (run_decider, (parent.to_json(),)),
        (run_decider, (child.to_json(),)),
        (run_worker, (activities,)),
    ]
    with _support.pollers(*run) as processes:
        run_id = swf.start_workflow_execution(
            domain=DOMAIN,
            workflow_type_name="order",
            workflow_type_version="1",
            workflow_id="order-A-17",
            task_list=parent.task_list,
            input={"order": "A-17", "items": ["book", "lamp", "mug"]},
        )["runId"]
        outcome = _support.wait(swf, DOMAIN, "order-A-17", run_id, processes)
    return _support.report(outcome)


if __name__ == "__main__":
    sys.exit(main())
