"""The notebook's case end to end: 300 ingest tasks, 5 of them with bad input, feeding one
combine. Under "continue" one run reports all five failures, and the rerun after the fix
schedules only the five and the combine they blocked; under "fail_fast" nothing is left open."""

from __future__ import annotations

from floto.history import TaskStatus, state_from_events
from floto.ids import from_swf_id
from floto.specs.task import ActivityTask

COUNT, BAD = 300, (17, 99, 150, 201, 288)


def ingest_graph(directory: str) -> list[ActivityTask]:
    files = [
        ActivityTask("ingest", "1", id_=f"ingest-{n}",
                     input={"n": n, "bad": n in BAD, "dir": directory})
        for n in range(COUNT)
    ]  # fmt: skip
    return [*files, ActivityTask("combine", "1", id_="combine", requires=files)]


def scheduled_ids(outcome) -> list[str]:
    return sorted(from_swf_id(e["activityId"]) for e in outcome.events("ActivityTaskScheduled"))


def test_one_run_reports_all_five_failures_and_the_rerun_schedules_five_plus_one(scenario):
    scenario.decider(scenario.spec(ingest_graph(str(scenario.tmp_path))))
    scenario.workers(4)
    first = scenario.start("ingest")
    outcome = scenario.wait("ingest", first, timeout=180)
    assert outcome.status == "failed"
    bad_ids = {f"ingest-{n}" for n in BAD}
    assert set(outcome.details) == bad_ids  # all five, in one run
    assert outcome.details["ingest-17"] == "ValueError: bad input in file 17"
    assert outcome.reason.startswith("5 tasks failed (1 blocked): ingest-150, ingest-17")
    state = state_from_events(outcome.history)
    counts = state.counts()
    assert counts[TaskStatus.COMPLETED] == COUNT - len(BAD)
    assert counts[TaskStatus.FAILED] == len(BAD)
    assert counts[TaskStatus.BLOCKED] == 1 and state["combine"].blocked_by in bad_ids
    progress = state.progress()
    assert (progress.running, progress.queued, progress.pending) == (0, 0, 0)

    (scenario.tmp_path / "fixed").write_text("the five inputs were fixed")
    rerun = scenario.swf.rerun_workflow_execution(scenario.domain, "ingest", first)
    again = scenario.wait("ingest", rerun["runId"], timeout=120)
    assert again.status == "completed", again
    assert scheduled_ids(again) == sorted([*bad_ids, "combine"])  # 5 + 1, from its history
    assert again.result == {"combine": sum(range(COUNT))}
    assert state_from_events(again.history).progress().reused == COUNT - len(BAD)


def test_fail_fast_stops_the_300_and_leaves_nothing_open(scenario):
    scenario.decider(
        scenario.spec(ingest_graph(str(scenario.tmp_path)), failure_policy="fail_fast")
    )
    scenario.workers(4)
    scenario.start("ingest-fast")
    outcome = scenario.wait("ingest-fast", timeout=180)
    assert outcome.status == "failed"
    assert outcome.details and set(outcome.details) <= {f"ingest-{n}" for n in BAD}
    state = state_from_events(outcome.history)
    counts = state.counts()
    assert counts[TaskStatus.COMPLETED] < COUNT - len(BAD)  # it did not wait for the rest
    for status in (TaskStatus.PENDING, TaskStatus.SCHEDULED, TaskStatus.RUNNING):
        assert counts[status] == 0
    assert counts[TaskStatus.CANCELED] + counts[TaskStatus.NOT_RUN] > 0
    assert outcome.events("ActivityTaskCancelRequested")  # open work canceled, not abandoned
