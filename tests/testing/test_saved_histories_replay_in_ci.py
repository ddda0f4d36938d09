"""floto.testing.assert_replays: a CI suite replays a folder of saved histories with the
spec about to be deployed; it passes for a spec that decides them as recorded and fails,
naming each history and decision, for one that would not."""

from __future__ import annotations

import json

import pytest
from testing_activities import REGISTRY

from floto.specs.task import ActivityTask
from floto.testing import assert_replays


def _tasks(b_input="B"):
    a = ActivityTask("add", "1", id_="a", input={"n": 1})
    return [a, ActivityTask("add", "1", id_="b", input={"n": 2, "tag": b_input}, requires=[a])]


@pytest.mark.floto_env(registry=REGISTRY)
def test_a_folder_of_saved_histories_replays_with_the_spec_that_made_them(floto_env, tmp_path):
    for name in ("first", "second"):
        floto_env.run(_tasks(), workflow_id=name)
        events = floto_env.history(name)
        text = json.dumps({"events": events}, default=lambda value: value.isoformat())
        (tmp_path / f"{name}.json").write_text(text)
    reports = assert_replays(tmp_path, _tasks())
    assert [report.decisions for report in reports] == [3, 3]
    with pytest.raises(AssertionError) as raised:
        assert_replays(tmp_path, _tasks(b_input="B2"))
    message = str(raised.value)
    assert message.startswith("2 of 2 history(ies) would be decided otherwise")
    assert str(tmp_path / "first.json") in message and "1 task changed (b: input)" in message
    (tmp_path / "empty").mkdir()
    with pytest.raises(AssertionError, match="no saved histories"):
        assert_replays(tmp_path / "empty", _tasks())
    with pytest.raises(AssertionError, match="no such file or folder"):
        assert_replays(tmp_path / "missing", _tasks())
