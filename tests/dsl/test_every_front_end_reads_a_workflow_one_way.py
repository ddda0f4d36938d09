"""floto.dsl.read_workflow: every form of "a workflow" reads as the same tasks, and launch,
viz and the commands accept the same forms because they all read through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from floto.cli._target import decode_document, tasks_of
from floto.dsl import Workflow, read_workflow
from floto.errors import SpecError
from floto.launch import to_spec
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask
from floto.viz._scene import tasks_of as drawn_tasks


def _forms(tmp_path: Path) -> tuple[list[str], list]:
    a = ActivityTask("a", "1")
    b = ActivityTask("b", "1", requires=[a])
    spec = DeciderSpec(domain="d", activity_tasks=[a, b])
    path = tmp_path / "spec.json"
    path.write_text(spec.to_json())
    dicts = [task.to_dict() for task in (a, b)]
    forms = [Workflow(b), spec, spec.to_json(), spec.to_dict(), path, [a, b], dicts,
             {"activity_tasks": dicts}]  # fmt: skip
    return [a.id_, b.id_], forms


def test_every_form_reads_as_the_same_tasks_everywhere(tmp_path):
    ids, forms = _forms(tmp_path)
    for form in forms:
        source = read_workflow(form)
        assert source is not None and [t.id_ for t in source.tasks] == ids, form
        assert [t.id_ for t in drawn_tasks(form)] == ids
        assert [t.id_ for t in to_spec(form, domain="d", default_activity_task_list="l")
                .activity_tasks] == ids  # fmt: skip
        if isinstance(form, (dict, list)) and all(isinstance(x, dict) for x in form):
            assert [t.id_ for t in decode_document(form, "x.json").tasks] == ids
        elif not isinstance(form, (str, dict, Path)):
            assert [t.id_ for t in tasks_of(form, "m:x").tasks] == ids
    assert read_workflow(42) is None and read_workflow(object()) is None


def test_a_task_dict_and_a_spec_without_tasks_read_as_they_are():
    task = ActivityTask("a", "1")
    assert [t.id_ for t in read_workflow(task.to_dict()).tasks] == [task.id_]
    dynamic = read_workflow(DeciderSpec(domain="d").to_json())
    assert dynamic.tasks is None and dynamic.spec is not None


def test_malformed_forms_name_the_problem():
    with pytest.raises(SpecError, match=r"pass a pathlib\.Path"):
        read_workflow("not json")
    with pytest.raises(SpecError, match=r"tasks\[1\]"):
        read_workflow([ActivityTask("a", "1"), 3])
    with pytest.raises(SpecError, match="mixes Task objects and JSON dicts"):
        read_workflow([ActivityTask("a", "1"), {"type": "x"}])
    with pytest.raises(SpecError, match="cannot read the file"):
        read_workflow(Path("/no/such/spec.json"))
    with pytest.raises(SpecError, match="must be a JSON object"):
        read_workflow(json.dumps("text"))
