"""Ids floto writes to SWF: retry and wake-up timers never collide with task timers, child
workflow ids are unique per parent and map back to their task, long ids stay within 256."""

import pytest

from floto import wire
from floto.ids import from_swf_id, to_swf_id
from floto.limits import MAX_ID_CHARS

IDS = ["simple_activity:v1:2be88ca424", "a/b|c", "%retry1.x", "arn", " edge ", "x" * 256]


@pytest.mark.parametrize("task_id", IDS)
def test_retry_timer_ids_are_valid_and_distinct_from_any_task_timer(task_id):
    timer_id = wire.retry_timer_id(task_id, 3)
    assert len(timer_id) <= MAX_ID_CHARS
    assert wire.is_retry_timer(timer_id) and not wire.is_wake_timer(timer_id)
    assert not any(c in timer_id for c in ":/|")
    for other in IDS:
        try:
            encoded = to_swf_id(other)
        except ValueError:
            continue
        assert encoded != timer_id and not wire.is_retry_timer(encoded)
    assert wire.retry_timer_id(task_id, 3) != wire.retry_timer_id(task_id, 4)


def test_task_ids_come_back_from_their_wire_form():
    for task_id in IDS[:-1]:
        assert from_swf_id(to_swf_id(task_id)) == task_id


@pytest.mark.parametrize("task_id", IDS[:-1])
def test_child_workflow_ids_map_back_to_their_task(task_id):
    child_id = wire.child_workflow_id("parent-wf", task_id)
    assert wire.task_id_from_child_workflow_id(child_id) == task_id
    assert child_id != wire.child_workflow_id("other-parent", task_id)


def test_a_child_id_that_would_be_too_long_is_hashed_and_stays_unique():
    long_task = "t" * 200
    first = wire.child_workflow_id("p" * 200, long_task)
    second = wire.child_workflow_id("p" * 199 + "q", long_task)
    assert len(first) <= MAX_ID_CHARS and len(second) <= MAX_ID_CHARS
    assert first != second and ".#" in first


def test_controls_round_trip_and_foreign_controls_read_as_empty():
    assert wire.read_control(wire.control(task="a:1", signal=4)) == {"task": "a:1", "signal": 4}
    for foreign in (None, "", "plain", "[1]", "{broken"):
        assert wire.read_control(foreign) == {}
