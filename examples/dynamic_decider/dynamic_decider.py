"""A DynamicDecider: the tasks come with each run's input, not with the decider.

    python examples/dynamic_decider/dynamic_decider.py [WORD ...]
    python examples/dynamic_decider/dynamic_decider.py --aws [WORD ...]

One DynamicDecider serves every run on its task list; each run's input carries its
``activity_tasks`` (floto encodes Task objects as JSON when the run starts; the decider decodes
them only through floto's allow-list). Here a run counts the letters of each word given on
the command line (a task per word, built when the run starts) and ``total`` adds them up.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _support  # connect, run pollers, wait: see examples/_support.py

import floto
import floto.api
from floto.decider import DynamicDecider
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

DOMAIN = "floto_test"


@floto.activity(name="countLetters", version="1")
def count_letters(context):
    return sum(character.isalpha() for character in context.input)


@floto.activity(name="total", version="1")
def total(context):
    return sum(context.results("countLetters"))


def activity_tasks(words: list[str]) -> list[ActivityTask]:
    """A counting task per word, and a total requiring them all."""
    counts = [ActivityTask(name="countLetters", version="1", input=word) for word in words]
    return [*counts, ActivityTask(name="total", version="1", requires=counts)]


def register(swf: floto.api.Swf) -> None:
    swf.domains.register_domain(DOMAIN)
    swf.register_workflow_type(
        floto.api.WorkflowType(
            domain=DOMAIN,
            name="dynamic_example",
            version="1",
            default_task_start_to_close_timeout=30,
        )
    )
    for name in ("countLetters", "total"):
        swf.register_activity_type(
            floto.api.ActivityType(
                domain=DOMAIN,
                name=name,
                version="1",
                default_task_start_to_close_timeout=60,
            )
        )


def run_decider(spec_json: str) -> None:
    DynamicDecider(decider_spec=spec_json).run()


def run_worker(task_list: str) -> None:
    floto.ActivityWorker(domain=DOMAIN, task_list=task_list).run()


def main() -> int:
    words = [word for word in sys.argv[1:] if not word.startswith("--")] or ["floto", "on", "SWF"]
    swf = _support.connect()
    register(swf)
    spec = DeciderSpec(
        domain=DOMAIN,
        task_list=_support.task_list("dynamic"),
        default_activity_task_list=_support.task_list("dynamic_activities"),
    )
    run = (run_decider, (spec.to_json(),)), (run_worker, (spec.default_activity_task_list,))
    with _support.pollers(*run) as processes:
        run_id = swf.start_workflow_execution(
            domain=DOMAIN,
            workflow_type_name="dynamic_example",
            workflow_type_version="1",
            workflow_id="count_letters",
            task_list=spec.task_list,
            input={"activity_tasks": activity_tasks(words)},
        )["runId"]
        outcome = _support.wait(swf, DOMAIN, "count_letters", run_id, processes)
    return _support.report(outcome)


if __name__ == "__main__":
    sys.exit(main())
