"""A generator's result joins the graph: its tasks require it, its dependents wait for them;
bad or duplicate tasks become a problem that fails the run."""

import json

from floto.history import TaskStatus, state_from_events
from floto.specs.task import ActivityTask, Generator
from history.histories import H


def run_generator(result_text):
    gen = Generator(name="g", version="1")
    after = ActivityTask(name="a", version="1", requires=[gen])
    h = H()
    h.start()
    h.decision()
    scheduled = h.scheduled(gen.id_, "g")
    h.completed(scheduled, raw=result_text)
    return gen, after, state_from_events(h.events, [gen, after])


def test_generated_tasks_require_the_generator_and_hold_back_its_dependents():
    x = ActivityTask(name="a", version="1", input="x")
    y = ActivityTask(name="a", version="1", input="y", requires=[x])
    gen, after, state = run_generator(json.dumps([x.to_dict(), y.to_dict()]))
    assert state.tasks[x.id_].requires == [gen.id_]
    assert state.tasks[y.id_].requires == [x.id_, gen.id_]
    assert state.tasks[x.id_].generated_by == gen.id_
    assert state.tasks[after.id_].requires == [gen.id_, x.id_, y.id_]
    assert list(state.ready) == [x.id_]
    assert not state.problems


def test_an_empty_generated_list_releases_the_dependents_at_once():
    gen, after, state = run_generator("[]")
    assert list(state.ready) == [after.id_]
    assert state.tasks[gen.id_].result == []


def test_a_generated_id_already_in_the_workflow_is_a_problem():
    clash = ActivityTask(name="a", version="1", requires=[Generator(name="g", version="1")])
    gen, _, state = run_generator(json.dumps([clash.to_dict()]))
    assert "generator returned bad tasks" in state.problems[gen.id_]
    assert "already in the workflow" in state.problems[gen.id_]


def test_duplicate_generated_ids_are_a_problem():
    x = ActivityTask(name="a", version="1", input="x").to_dict()
    gen, _, state = run_generator(json.dumps([x, x]))
    assert "two generated tasks have the id" in state.problems[gen.id_]
    assert len(state.tasks) == 2  # none of them joined


def test_a_type_outside_the_allow_list_is_never_instantiated():
    bad = [{"type": "subprocess.Popen", "name": "x", "version": "1"}]
    gen, _, state = run_generator(json.dumps(bad))
    assert "type 'subprocess.Popen' is not allowed" in state.problems[gen.id_]


def test_requiring_a_task_downstream_of_the_generator_is_a_cycle():
    gen = Generator(name="g", version="1")
    after = ActivityTask(name="a", version="1", requires=[gen])
    loop = ActivityTask(name="a", version="1", input="loop", requires=[after.id_])
    h = H()
    h.start()
    h.decision()
    h.completed(h.scheduled(gen.id_, "g"), [loop.to_dict()])
    state = state_from_events(h.events, [gen, after])
    assert "makes a cycle" in state.problems[gen.id_]


def test_a_generator_result_that_is_no_list_is_a_problem():
    gen, _, state = run_generator('{"not": "a list"}')
    assert "must be an array of tasks" in state.problems[gen.id_]
    gen, _, state = run_generator(None)
    assert "got no result" in state.problems[gen.id_]
    assert state.tasks[gen.id_].status is TaskStatus.COMPLETED
