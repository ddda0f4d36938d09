"""floto's getting-started workflow: one activity, a decider and a worker.

    python examples/hello_world.py          # the local engine: AWS_ENDPOINT_URL_SWF's, or a new one
    python examples/hello_world.py --aws    # AWS, with your credentials and region

The decider and the worker run in processes of their own, as they would in production. The
script prints the run's result and exits 0 (1 if the run did not complete).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _support  # connect, run pollers, wait: see examples/_support.py

import floto
import floto.api
from floto.decider import Decider
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

DOMAIN = "floto_test"
WORKFLOW_TYPE = ("my_workflow_type", "v1")


@floto.activity(name="simple_activity", version="v1")
def simple_activity():
    print("Hello World!", flush=True)
    return "Hello World!"


def register(swf: floto.api.Swf) -> None:
    """Register the domain and the types the workflow uses (a no-op if they exist)."""
    swf.domains.register_domain(DOMAIN)
    name, version = WORKFLOW_TYPE
    swf.register_workflow_type(
        floto.api.WorkflowType(
            domain=DOMAIN, name=name, version=version, default_task_start_to_close_timeout=30
        )
    )
    swf.register_activity_type(
        floto.api.ActivityType(
            domain=DOMAIN,
            name="simple_activity",
            version="v1",
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
    spec = DeciderSpec(
        domain=DOMAIN,
        task_list=_support.task_list("simple_decider"),
        default_activity_task_list=_support.task_list("hello_world_atl"),
        activity_tasks=[ActivityTask(name="simple_activity", version="v1")],
        terminate_decider_after_completion=True,
    )
    run = (run_decider, (spec.to_json(),)), (run_worker, (spec.default_activity_task_list,))
    with _support.pollers(*run) as processes:
        name, version = WORKFLOW_TYPE
        run_id = swf.start_workflow_execution(
            domain=DOMAIN,
            workflow_type_name=name,
            workflow_type_version=version,
            task_list=spec.task_list,
        )["runId"]
        outcome = _support.wait(swf, DOMAIN, f"{name}_{version}", run_id, processes)
    return _support.report(outcome)


if __name__ == "__main__":
    sys.exit(main())
