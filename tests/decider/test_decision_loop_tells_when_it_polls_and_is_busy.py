"""A decider calls its ``before_poll`` listeners before each poll for a decision task (not for
the pages of one) and is ``busy`` exactly while it answers one."""

from __future__ import annotations

from floto.decider import Decider
from floto.specs import DeciderSpec
from floto.specs.task import Timer


def test_listeners_run_before_each_poll_and_busy_is_true_only_while_deciding(engine):
    spec = DeciderSpec(domain=engine.domain, task_list="deciders",
                       activity_tasks=[Timer(id_="wait", delay_in_seconds=0)])  # fmt: skip
    decider = Decider(spec, swf=engine.swf)
    seen = []
    decider.before_poll.append(lambda: seen.append(decider.busy))
    deciding = []
    original = decider.plan

    def plan(history):
        deciding.append(decider.busy)
        return original(history)

    decider.plan = plan  # type: ignore[method-assign]
    engine.start()
    assert decider.run_once() and deciding == [True] and not decider.busy
    assert seen == [False]
