"""Readable task labels: the name, and what tells look-alike tasks apart."""

from __future__ import annotations

from floto.history import state_labels, task_label, task_labels
from floto.history._derive import new_state
from floto.specs.task import ActivityTask, ChildWorkflow, Timer


def test_a_unique_name_is_the_label_and_look_alikes_show_the_input_that_differs():
    fetch = ActivityTask(name="fetch", version="1")
    files = [
        ActivityTask(name="ingest_file", version="1", input={"file": n, "bucket": "b"})
        for n in range(13)
    ]
    labels = task_labels({task.id_: task for task in [fetch, *files]})
    assert labels[fetch.id_] == "fetch"
    assert labels[files[12].id_] == "ingest_file[file=12]"  # bucket is the same for all
    assert len(set(labels.values())) == len(labels)


def test_inputs_that_are_not_dicts_are_shown_cut_and_equal_inputs_get_the_short_hash():
    squares = [ActivityTask(name="square", version="1", input=n) for n in (1, 2)]
    long = ActivityTask(name="square", version="1", input="x" * 100)
    joins = [ActivityTask(name="join", version="1", requires=[task]) for task in squares]
    labels = task_labels({task.id_: task for task in [*squares, long, *joins]})
    assert labels[squares[0].id_] == "square[1]"
    assert labels[long.id_] == "square[" + "x" * 23 + "…]"
    assert labels[joins[0].id_] == f"join #{joins[0].id_[-10:-4]}"
    assert labels[joins[0].id_] != labels[joins[1].id_]


def test_look_alikes_with_ids_of_their_authors_own_are_labelled_by_those_ids():
    broken = [ActivityTask(name="broken", version="1", id_=f"broken-{x}") for x in "ab"]
    again = ActivityTask(name="broken", version="1", input=1)  # a default id among them
    labels = task_labels({task.id_: task for task in [*broken, again]})
    assert labels == {"broken-a": "broken-a", "broken-b": "broken-b", again.id_: "broken[1]"}


def test_two_keys_when_one_does_not_tell_them_apart():
    tasks = [
        ActivityTask(name="copy", version="1", input={"day": day, "region": region})
        for day in (1, 2)
        for region in ("eu", "us")
    ]
    labels = task_labels({task.id_: task for task in tasks})
    assert sorted(labels.values()) == [
        "copy[day=1, region=eu]", "copy[day=1, region=us]",
        "copy[day=2, region=eu]", "copy[day=2, region=us]",
    ]  # fmt: skip


def test_timers_children_and_unknown_tasks():
    timer = Timer(id_="nightly", delay_in_seconds=5)
    child = ChildWorkflow(workflow_type_name="pack", workflow_type_version="1")
    labels = task_labels([(timer.id_, timer), (child.id_, child), ("seen:2:0123456789", None)])
    assert labels == {timer.id_: "nightly", child.id_: "pack", "seen:2:0123456789": "seen"}


def test_a_states_labels_are_cached_until_tasks_are_added():
    tasks = [ActivityTask(name="a", version="1", input=n) for n in range(3)]
    state = new_state(tasks)
    first = state_labels(state)
    assert state_labels(state) is first and task_label(state, tasks[0].id_) == "a[0]"
    assert task_label(state, "not-a-task") == "not-a-task"
