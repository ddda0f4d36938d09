"""floto's getting-started workflow: one activity, a decider and a worker, on the local engine.

Run it with ``make demo`` (or ``python examples/hello_world.py``). Without
``AWS_ENDPOINT_URL_SWF`` it starts floto's local SWF engine for the length of the run; with it,
it uses that endpoint. The decider and the worker run in processes of their own, as they
would in production. The script prints the run's result and exits 0.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time

import floto
import floto.api
import floto.local
from floto.decider import Decider
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

DOMAIN = "floto_test"
WORKFLOW_TYPE = ("my_workflow_type", "v1")
DECIDER_TASK_LIST = "simple_decider"
ACTIVITY_TASK_LIST = "hello_world_atl"


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
        floto.api.ActivityType(domain=DOMAIN, name="simple_activity", version="v1")
    )


def run_decider(spec_json: str) -> None:
    Decider(decider_spec=spec_json).run()


def run_worker() -> None:
    floto.ActivityWorker(domain=DOMAIN, task_list=ACTIVITY_TASK_LIST).run()


def wait_for_result(swf: floto.api.Swf, workflow_id: str, run_id: str, processes: list) -> dict:
    """The closing event's attributes, once the run has closed."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not all(process.is_alive() or process.exitcode == 0 for process in processes):
            raise RuntimeError("the decider or the worker process died; see its output above")
        info = swf.describe_workflow_execution(DOMAIN, workflow_id, run_id)["executionInfo"]
        if info["executionStatus"] == "CLOSED":
            last = swf.get_workflow_execution_history(
                DOMAIN, workflow_id=workflow_id, run_id=run_id, reverse_order=True
            )[0]
            key = last["eventType"][0].lower() + last["eventType"][1:] + "EventAttributes"
            return {"status": info["closeStatus"], **last.get(key, {})}
        time.sleep(0.2)
    raise TimeoutError(f"{workflow_id} did not close within a minute")


def main() -> int:
    floto.local.ensure_engine(poll_wait=5)  # the engine at AWS_ENDPOINT_URL_SWF, or a new one
    swf = floto.api.Swf()
    register(swf)

    task = ActivityTask(name="simple_activity", version="v1")
    spec = DeciderSpec(
        domain=DOMAIN,
        task_list=DECIDER_TASK_LIST,
        default_activity_task_list=ACTIVITY_TASK_LIST,
        activity_tasks=[task],
        terminate_decider_after_completion=True,
    )
    decider = multiprocessing.Process(target=run_decider, args=(spec.to_json(),))
    worker = multiprocessing.Process(target=run_worker)
    decider.start()
    worker.start()
    try:
        name, version = WORKFLOW_TYPE
        run_id = swf.start_workflow_execution(
            domain=DOMAIN, workflow_type_name=name, workflow_type_version=version,
            task_list=DECIDER_TASK_LIST,
        )["runId"]  # fmt: skip
        outcome = wait_for_result(swf, f"{name}_{version}", run_id, [decider, worker])
        decider.join(30)
    finally:
        worker.terminate()
        worker.join(10)
        if decider.is_alive():
            decider.terminate()
    print(f"workflow {outcome['status'].lower()}:", outcome.get("result") or outcome)
    if outcome["status"] != "COMPLETED":
        return 1
    assert json.loads(outcome["result"]) == {task.id_: "Hello World!"}
    return 0


if __name__ == "__main__":
    sys.exit(main())
