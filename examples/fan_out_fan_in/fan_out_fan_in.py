"""Fan-out / fan-in written with ``>>``: split the work, run the parts in parallel, join.

    python examples/fan_out_fan_in/fan_out_fan_in.py
    python examples/fan_out_fan_in/fan_out_fan_in.py --aws

``split >> [square_0 ... square_9] >> join``: ``split`` says how many numbers there are, each
``square`` task (input: its number) squares one, ``join`` receives every square (under each
task's id) and adds them up. Three workers take the squares in parallel. ``floto.dsl.Workflow``
collects the tasks upstream of ``join``, checks the graph and compiles it to a DeciderSpec.
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
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask

DOMAIN = "floto_test"
PARTS = 10


@floto.activity(name="split", version="1")
def split(context):
    return {"parts": PARTS}


@floto.activity(name="square", version="1")
def square(context):
    return context.input ** 2


@floto.activity(name="join", version="1")
def join(context):
    squares = context.results("square")
    return {"parts": len(squares), "sum_of_squares": sum(squares)}


def workflow() -> Workflow:
    retry = InstantRetry(retries=2)
    start = ActivityTask(name="split", version="1")
    squares = [
        ActivityTask(name="square", version="1", input=n, retry_strategy=retry)
        for n in range(PARTS)
    ]
    end = ActivityTask(name="join", version="1")
    start >> squares >> end  # fan out, then fan in
    return Workflow(end)


def register(swf: floto.api.Swf) -> None:
    swf.domains.register_domain(DOMAIN)
    swf.register_workflow_type(
        floto.api.WorkflowType(
            domain=DOMAIN,
            name="fan_out_fan_in",
            version="1",
            default_task_start_to_close_timeout=30,
        )
    )
    for name in ("split", "square", "join"):
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
    spec = workflow().decider_spec(
        DOMAIN, _support.task_list("fan"), _support.task_list("fan_activities")
    )
    workers = [(run_worker, (spec.default_activity_task_list,))] * 3
    with _support.pollers((run_decider, (spec.to_json(),)), *workers) as processes:
        run_id = swf.start_workflow_execution(
            domain=DOMAIN,
            workflow_type_name="fan_out_fan_in",
            workflow_type_version="1",
            workflow_id="fan_out_fan_in",
            task_list=spec.task_list,
        )["runId"]
        outcome = _support.wait(swf, DOMAIN, "fan_out_fan_in", run_id, processes)
    return _support.report(outcome)


if __name__ == "__main__":
    sys.exit(main())
