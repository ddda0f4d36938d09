"""Payload references in histories are read lazily through an injected resolver (once, then
kept), nested ones too; and the floto.tasks records of huge fan-ins stay within SWF's limit."""

from __future__ import annotations

import hashlib
import json

import pytest

from floto import wire
from floto.errors import PayloadError
from floto.history import StoredPayload, load_payload, state_from_events
from floto.limits import MAX_PAYLOAD_CHARS
from floto.specs.task import ActivityTask
from history.histories import H


class FakeStore:
    """A resolver over a dict, counting reads."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.reads = 0

    def put(self, value) -> str:
        text = json.dumps(value)
        digest = hashlib.sha256(text.encode()).hexdigest()
        ref = wire.PayloadRef(f"s3://bucket/p/{digest}", len(text.encode()), digest)
        self.texts[ref.url] = text
        return ref.to_text()

    def __call__(self, ref: wire.PayloadRef) -> str:
        self.reads += 1
        return self.texts[ref.url]


def _run_with_result(result_text: str) -> H:
    h = H()
    h.start({"x": 1})
    h.decision()
    scheduled = h.scheduled("a:1:0000000000")
    h.completed(scheduled, raw=result_text)
    return h


def test_a_stored_result_is_read_once_on_first_use_and_passed_on_unread():
    store = FakeStore()
    ref_text = store.put({"blob": "b" * 100_000})
    state = state_from_events(_run_with_result(ref_text).events, resolver=store)
    ts = state.tasks["a:1:0000000000"]
    assert store.reads == 0  # folding read nothing
    assert wire.read_payload_ref(ts.wire_result).url.startswith("s3://bucket/p/")
    assert "StoredPayload" in repr(ts) and store.reads == 0  # nor does a repr
    assert ts.result == {"blob": "b" * 100_000}
    assert ts.result == {"blob": "b" * 100_000}
    assert store.reads == 1


def test_references_nested_in_a_payload_are_resolved_at_any_depth():
    store = FakeStore()
    inner = store.put("deep value")
    outer = store.put({"child": json.loads(inner), "n": 2})
    text = json.dumps({"task": json.loads(outer), "plain": [1, 2]})
    assert load_payload(text, store) == {"task": {"child": "deep value", "n": 2}, "plain": [1, 2]}
    assert StoredPayload(text, store).wire["plain"] == [1, 2]


def test_without_a_resolver_a_stored_value_says_how_to_read_it():
    store = FakeStore()
    state = state_from_events(_run_with_result(store.put([1, 2, 3])).events)
    with pytest.raises(PayloadError, match=r"resolver=floto\.api\.Swf"):
        _ = state.tasks["a:1:0000000000"].result


def test_inline_payloads_never_call_the_resolver():
    def resolver(ref):
        raise AssertionError("no reference here")

    text = json.dumps({"user": {"floto.payload": "a look-alike"}, "s": '"floto.payload"'})
    state = state_from_events(_run_with_result(text).events, resolver=resolver)
    assert state.tasks["a:1:0000000000"].result["user"] == {"floto.payload": "a look-alike"}


def _records(tasks):
    from floto.decider._decisions import tasks_markers  # the writer the decider uses

    return [wire_attrs["details"] for group in tasks_markers(tasks) for wire_attrs in
            (m["recordMarkerDecisionAttributes"] for m in group)]  # fmt: skip


def _rebuilt(details_list):
    h = H()
    h.start()
    h.decision()
    for details in details_list:
        h.marker(wire.TASKS_MARKER, details)
    return state_from_events(h.events)


def test_a_10000_requirement_fan_in_is_recorded_in_few_small_markers():
    sources = [ActivityTask("s", "1", id_=f"source-{n:05}") for n in range(10_000)]
    sink = ActivityTask("sink", "1", requires=sources)
    details = _records([*sources, sink])
    assert all(len(text) <= MAX_PAYLOAD_CHARS for text in details)
    assert len(details) <= 40
    assert json.loads(details[-1])["tasks"][-1]["r"] == [[0, 9999]]
    state = _rebuilt(details)
    assert state.tasks[sink.id_].requires == [task.id_ for task in sources]


def test_requirements_that_do_not_compact_are_continued_over_several_markers():
    sources = [ActivityTask("s", "1", id_=f"source-{n:05}") for n in range(10_000)]
    every_other = sources[::-1]  # no runs: 10,000 single positions, descending
    sink = ActivityTask("sink", "1", requires=every_other)
    after = ActivityTask("after", "1", requires=[sink, sources[1]])
    details = _records([*sources, sink, after])
    assert all(len(text) <= MAX_PAYLOAD_CHARS for text in details)
    assert any('"more":true' in text for text in details)
    state = _rebuilt(details)
    assert state.tasks[sink.id_].requires == [task.id_ for task in every_other]
    assert state.tasks[sink.id_].task.required_ids == [task.id_ for task in every_other]
    assert state.tasks[after.id_].requires == [sink.id_, sources[1].id_]


def test_records_of_earlier_floto_versions_are_still_read():
    a = ActivityTask("a", "1", id_="a")
    b = ActivityTask("b", "1", id_="b", requires=[a])
    state = _rebuilt([json.dumps([a.to_dict(), b.to_dict()])])
    assert state.tasks["b"].requires == ["a"]


def test_a_follower_given_a_resolver_shows_stored_values():
    from floto.history import ExecutionFollower

    store = FakeStore()
    h = _run_with_result(store.put({"rows": list(range(10_000))}))
    follower = ExecutionFollower(lambda token: {"events": list(reversed(h.events))},
                                 resolver=store)  # fmt: skip
    follower.poll()
    assert follower.state.tasks["a:1:0000000000"].result["rows"][-1] == 9_999
    assert store.reads == 1
