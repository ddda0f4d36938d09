"""Runs whose projected events pass the decider's budget move pending work into shards (child
runs the same decider decides); results, contexts and failures read as if it were one run."""

from __future__ import annotations

import pytest

from floto.api import Swf
from floto.history import TaskStatus, state_from_events
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Generator

BUDGET = 300  # events: 25 tasks a shard


def fan_out(width: int):
    source = ActivityTask("add", "1", id_="source", input={"n": 1})
    middle = [ActivityTask("add", "1", id_=f"m{n}", input={"n": n}) for n in range(width)]
    sink = ActivityTask("add", "1", id_="sink", input={"n": 1000})
    source >> middle
    middle >> sink
    return [source, *middle, sink]


def test_a_wide_fan_out_runs_in_shards_and_its_sink_sees_every_result(scenario):
    tasks = fan_out(100)
    # a decider that stops after its run completes goes on when the shards (runs it decides
    # too) complete, and stops after the parent
    spec = scenario.spec(tasks, terminate_decider_after_completion=True)
    decider = scenario.decider(spec, event_budget=BUDGET)
    scenario.workers(3)
    scenario.start("wide", input={"day": 1})
    outcome = scenario.wait("wide", timeout=120)
    assert outcome.status == "completed", outcome
    decider.join(30)
    assert decider.exitcode == 0
    # source: 1; each middle task: n + 1 (its source's result); sink: 1000 + those.
    assert outcome.result == {"sink": 1000 + sum(n + 1 for n in range(100))}
    shards = outcome.events("StartChildWorkflowExecutionInitiated")
    assert len(shards) == 4 and all(s["workflowType"]["name"] == "floto_shard" for s in shards)
    assert len(outcome.history) < 150  # the parent holds 4 shards, not 100 activities
    state = state_from_events(outcome.history)
    assert state.progress().completed == state.progress().total == 102
    assert state.tasks["m42"].status is TaskStatus.COMPLETED and state.tasks["m42"].result == 43


def test_a_generators_pairs_are_sharded_with_their_followers(scenario):
    fan = Generator("fan_out", "1", id_="gen", input={"count": 60})
    after = ActivityTask("add", "1", id_="after", input={"n": 0}, requires=[fan])
    scenario.decider(scenario.spec([fan, after]), event_budget=BUDGET)
    scenario.workers(3)
    scenario.start("pairs")
    outcome = scenario.wait("pairs", timeout=120)
    assert outcome.status == "completed", outcome
    # fan_out makes pairs copy(n) -> length(100 + copy's n): 'after' waits for (and sums)
    # every generated task, as it would in one run.
    assert outcome.result == {"after": sum(n + 100 + n for n in range(60))}
    assert outcome.events("StartChildWorkflowExecutionInitiated")  # sharded
    assert not outcome.events("ActivityTaskScheduled")[2:]  # the parent ran gen and after only


@pytest.mark.parametrize("policy", ["continue", "fail_fast"])
def test_a_task_failing_inside_a_shard_fails_the_run_naming_it(scenario, policy):
    tasks = fan_out(40)
    tasks[7] = ActivityTask("always_fails", "1", id_="m6", requires=[tasks[0]],
                            retry_strategy=InstantRetry(1))  # fmt: skip
    tasks[-1].requires = [t for t in tasks[1:-1]]
    scenario.decider(scenario.spec(tasks, failure_policy=policy), event_budget=BUDGET)
    scenario.workers(3)
    scenario.start("broken")
    outcome = scenario.wait("broken", timeout=120)
    assert outcome.status == "failed"
    assert outcome.details == {"m6": "ValueError: this activity always fails"}
    assert "m6" in outcome.reason
    state = state_from_events(outcome.history)
    assert state["m6"].status is TaskStatus.FAILED
    assert state[tasks[-1].id_].status is TaskStatus.BLOCKED
    still_open = {TaskStatus.PENDING, TaskStatus.SCHEDULED, TaskStatus.RUNNING}
    assert not still_open & {ts.status for ts in state.tasks.values()}


def test_shards_too_big_for_the_budget_shard_themselves(scenario):
    tasks = fan_out(300)
    scenario.decider(scenario.spec(tasks), event_budget=120)  # 10-task shards, or nested
    scenario.workers(4)
    scenario.start("nested")
    outcome = scenario.wait("nested", timeout=240)
    assert outcome.status == "completed", outcome
    assert outcome.result == {"sink": 1000 + sum(n + 1 for n in range(300))}
    shards = outcome.events("StartChildWorkflowExecutionInitiated")
    assert 0 < len(shards) <= 12  # few shards in the parent: each holds ~30 tasks...
    inner = scenario.history(shards[0]["workflowId"])
    started = [e for e in inner if e["eventType"] == "StartChildWorkflowExecutionInitiated"]
    assert started  # ...and shards them again in turn
    assert len(outcome.history) < 120 and len(inner) < 120


def test_a_sharded_run_draws_its_tasks_not_its_shards(scenario):
    import floto.viz

    tasks = fan_out(30)
    scenario.decider(scenario.spec(tasks), event_budget=120)
    scenario.workers(2)
    scenario.start("drawn")
    outcome = scenario.wait("drawn", timeout=120)
    assert outcome.status == "completed", outcome
    state = state_from_events(outcome.history)
    source = floto.viz.draw(state, collapse_above=None).source
    assert "floto.shard" not in source and "\tm29 [" in source
    svg = floto.viz.timeline(state).svg
    assert "floto.shard:1 (" in svg and "30 ran in shards" in svg


def test_a_shard_whose_input_is_stored_outside_swf_reads_it(scenario):
    # the shards' tasks require ten 5 KB results: each is given to every shard in its input,
    # which is then over SWF's 32,768 characters and travels by reference: the shard run
    # (decided by the same decider) must read it from the store
    sources = [ActivityTask("big", "1", id_=f"s{n}", input={"size": 5_000}) for n in range(10)]
    middle = [ActivityTask("measure", "1", id_=f"m{n}", input={"n": n}, requires=sources)
              for n in range(60)]  # fmt: skip
    sink = ActivityTask("add", "1", id_="sink", input={"n": 1000}, requires=middle)
    scenario.decider(scenario.spec([*sources, *middle, sink]), event_budget=BUDGET)
    scenario.workers(3)
    scenario.start("given")
    outcome = scenario.wait("given", timeout=120)
    assert outcome.status == "completed", outcome
    shards = outcome.events("StartChildWorkflowExecutionInitiated")
    assert any(shard["input"].startswith('{"floto.payload"') for shard in shards)
    state = state_from_events(outcome.history, resolver=Swf().resolve_payload)
    assert state.tasks["m42"].result["s7"]["chars"] > 5_000  # m42 ran in a shard
