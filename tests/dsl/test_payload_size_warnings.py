"""A literal task input over SWF's 32,768 characters is allowed (it travels through the
payload store); Workflow and `floto check` warn when this environment configures no store."""

from __future__ import annotations

import pytest

from floto.cli import main
from floto.dsl import PayloadSizeWarning, Workflow, oversized_inputs
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask


@pytest.fixture
def no_store(monkeypatch):
    monkeypatch.setenv("FLOTO_PAYLOAD_STORE", "off")


def _big():
    return ActivityTask("big", "v1", input="x" * 40_000)


def test_workflow_warns_about_an_oversized_literal_input_without_a_store(no_store):
    big, small = _big(), ActivityTask("small", "v1")
    with pytest.warns(PayloadSizeWarning) as caught:
        Workflow(big >> small).check()
    (warning,) = caught
    message = str(warning.message)
    assert f"task {big.id_}: input is 40,002 characters of JSON, over SWF's limit" in message
    assert "FLOTO_PAYLOAD_STORE=s3://BUCKET/PREFIX" in message


def test_no_warning_when_a_store_is_configured(monkeypatch, recwarn):
    monkeypatch.setenv("FLOTO_PAYLOAD_STORE", "s3://bucket/prefix")
    Workflow(_big()).check()
    assert not [w for w in recwarn if issubclass(w.category, PayloadSizeWarning)]
    assert len(oversized_inputs([_big(), ActivityTask("small", "v1")])) == 1


def test_floto_check_warns_and_still_passes(no_store, tmp_path, capsys):
    path = tmp_path / "spec.json"
    path.write_text(DeciderSpec(domain="d", activity_tasks=[_big()]).to_json())
    assert main(["check", str(path)]) == 0
    captured = capsys.readouterr()
    assert "warning: task big:v1:" in captured.err and "40,002 characters" in captured.err
    assert "1 task, domain 'd', OK" in captured.out
