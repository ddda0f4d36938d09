"""A decision task left to time out by one decider is decided by the next; deciders that
share a task list never decide one step twice."""

import time
from collections import Counter

import pytest

from floto.api import Swf
from floto.decider import Decider
from floto.specs.task import ActivityTask


def _take_decision_tasks_and_never_answer(domain: str, count: int) -> None:
    swf = Swf()
    taken = 0
    while taken < count:
        if swf.poll_for_decision_task(domain, "deciders").get("taskToken"):
            taken += 1
    time.sleep(60)


def _wait_until_held(scenario, count: int, timeout: float = 20) -> None:
    """Wait until the sleeper holds its ``count``-th decision task (the run's last event)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        history = scenario.history("run")
        started = sum(e["eventType"] == "DecisionTaskStarted" for e in history)
        if started == count and history[-1]["eventType"] == "DecisionTaskStarted":
            return
        time.sleep(0.05)
    raise AssertionError(f"no decision task {count} held: ...{history[-4:]}")


@pytest.mark.time_skipping
def test_a_decision_task_that_timed_out_is_decided_by_another_decider(scenario):
    a = ActivityTask(name="add", version="1", input={"n": 1})
    b = ActivityTask(name="add", version="1", input={"n": 2}, requires=[a])
    scenario.workers(1)
    scenario.process(_take_decision_tasks_and_never_answer, scenario.domain, 2)
    run_id = scenario.start(decision_task_start_to_close_timeout=2)
    for held in (1, 2):
        _wait_until_held(scenario, held)
        if held == 2:  # the sleeper polls no more: the decider must be there when it times out
            scenario.decider(scenario.spec([a, b], terminate_decider_after_completion=True))
            scenario.wait_for_pollers()
        scenario.env.skip(2)  # a held task holds the clock: its 2 s timeout passes now
    outcome = scenario.wait("run", run_id)
    assert outcome.status == "completed"
    assert outcome.result == {b.id_: 3}
    assert len(outcome.events("DecisionTaskTimedOut")) >= 2
    assert len(outcome.events("ActivityTaskScheduled")) == 2


def test_two_racing_deciders_finish_every_run_without_duplicate_decisions(scenario):
    tasks = [ActivityTask(name="add", version="1", input={"n": 1})]
    for _ in range(3):
        tasks.append(ActivityTask(name="add", version="1", input={"n": 1}, requires=[tasks[-1]]))
    spec = scenario.spec(tasks)
    scenario.decider(spec, identity="decider-one")
    scenario.decider(spec, identity="decider-two")
    scenario.workers(2)
    scenario.wait_for_pollers()  # both deciders poll before the first run (a slow start-up
    # under load let one of them take every decision task)
    runs = {f"race-{n}": scenario.start(f"race-{n}") for n in range(6)}
    identities: Counter[str] = Counter()
    for workflow_id, run_id in runs.items():
        outcome = scenario.wait(workflow_id, run_id)
        assert outcome.status == "completed"
        assert outcome.result == {tasks[-1].id_: 4}
        scheduled = [e["activityId"] for e in outcome.events("ActivityTaskScheduled")]
        assert len(scheduled) == len(set(scheduled)) == 4
        assert not outcome.events("ScheduleActivityTaskFailed")
        identities.update(e["identity"] for e in outcome.events("DecisionTaskStarted"))
    assert set(identities) == {"decider-one", "decider-two"}


def test_a_cold_decider_replays_a_run_another_decider_started(scenario):
    tasks = [ActivityTask(name="add", version="1", input={"n": n}) for n in range(3)]
    last = ActivityTask(name="add", version="1", requires=tasks)
    spec = scenario.spec([*tasks, last], terminate_decider_after_completion=True)
    first = Decider(spec, swf=scenario.swf, identity="first")
    scenario.start()
    while not first.run_once():  # the first decision task: markers and three activities
        pass
    assert first.last_history is not None and first.last_history.replayed
    scenario.workers(1)
    scenario.decider(spec, identity="second")  # knows nothing of the run yet
    outcome = scenario.wait("run")
    assert outcome.status == "completed"
    assert outcome.result == {last.id_: 0 + 1 + 2}
