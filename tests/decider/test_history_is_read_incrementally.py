"""A decider reads only the history pages it has not folded yet, and a cold decider that
replays the whole history decides exactly as the warm one does."""

import time

from floto.decider import Decider
from floto.history import History, TaskStatus, state_from_events
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask

PAGE = 10


def chain(length):
    tasks = [ActivityTask(name="inc", version="1")]
    for _ in range(length - 1):
        tasks.append(ActivityTask(name="inc", version="1", requires=[tasks[-1]]))
    return tasks


def test_a_warm_decider_reads_one_page_per_decision_and_matches_a_cold_replay(engine):
    tasks = chain(15)
    spec = DeciderSpec(domain=engine.domain, task_list="deciders",
                       default_activity_task_list="workers", activity_tasks=tasks)  # fmt: skip
    decider = Decider(spec, swf=engine.swf, page_size=PAGE)
    engine.worker()
    engine.start()
    pages, compared = [], 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = engine.swf.poll_for_decision_task(engine.domain, "deciders", page_size=PAGE)
        if not response.get("taskToken"):
            continue
        cached = decider.cache.get(response["workflowExecution"]["runId"])
        cold = None
        if cached is not None and cached.last_event_id > 3 * PAGE:
            cold = History(response, decider.read_page, make_state=decider.make_state)
            assert cold.replayed and cold.pages >= 3
        decider.decide(response)
        history = decider.last_history
        pages.append(history.pages)
        if cold is not None:
            assert not history.replayed
            assert decider.plan(history).decisions == decider.plan(cold).decisions
            compared += 1
        if history.state.tasks[tasks[-1].id_].status is TaskStatus.COMPLETED:
            break
    assert pages[0] == 1 and max(pages[1:]) == 1  # each decision saw < 10 new events
    assert compared >= 5
    events = engine.history()
    assert events[-1]["eventType"] == "WorkflowExecutionCompleted"
    assert len(events) > 6 * PAGE
    replayed = state_from_events(events, tasks)
    final = decider.last_history.state
    assert {t: (s.status, s.result) for t, s in replayed.tasks.items()} == {
        t: (s.status, s.result) for t, s in final.tasks.items()
    }


def test_the_run_cache_keeps_only_the_most_recent_runs(engine):
    spec = DeciderSpec(domain=engine.domain, task_list="deciders",
                       default_activity_task_list="workers",
                       activity_tasks=[ActivityTask(name="inc", version="1")])  # fmt: skip
    decider = Decider(spec, swf=engine.swf, cache_size=2)
    runs = [engine.start(f"run-{n}") for n in range(3)]
    for _ in range(3):
        assert decider.run_once()
    assert len(decider.cache) == 2
    assert runs[0] not in decider.cache and runs[2] in decider.cache


def test_a_cached_state_that_does_not_match_the_history_is_replaced_by_a_replay(engine):
    from floto.history import new_state

    task = ActivityTask(name="inc", version="1")
    spec = DeciderSpec(domain=engine.domain, task_list="deciders",
                       default_activity_task_list="workers", activity_tasks=[task])  # fmt: skip
    decider = Decider(spec, swf=engine.swf)
    run_id = engine.start()
    bogus = new_state([task])
    bogus.last_event_id, bogus.last_event_type = 2, "ActivityTaskCompleted"  # not what happened
    decider.cache.put(run_id, bogus)
    assert decider.run_once()
    assert decider.last_history.replayed
    kinds = [e["eventType"] for e in engine.history()]
    assert kinds.count("ActivityTaskScheduled") == 1 and kinds.count("MarkerRecorded") == 1
