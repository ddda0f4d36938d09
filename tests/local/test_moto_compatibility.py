"""The engine checks at start-up that every moto internal it hooks exists."""

from __future__ import annotations

import pytest

from floto.local import _compat


def test_installed_moto_has_every_hook() -> None:
    _compat.check_moto()


def test_a_missing_hook_is_named(monkeypatch) -> None:
    hooks = dict(_compat.HOOKS)
    hooks["moto.swf.models.WorkflowExecution"] = ("no_such_internal",)
    monkeypatch.setattr(_compat, "HOOKS", hooks)
    with pytest.raises(_compat.EngineCompatibilityError) as caught:
        _compat.check_moto()
    assert "WorkflowExecution.no_such_internal" in str(caught.value)
    assert _compat.SUPPORTED_MOTO in str(caught.value)
