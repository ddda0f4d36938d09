"""The engine's contract with moto is derived from its classes and checked at start-up.

Every floto member that replaces moto's must carry ``@moto_override`` (moto must still define
it), and every moto member floto calls must be listed in its class's ``moto_uses``: the tests
here find both from floto's classes and source, so neither can be forgotten, and show that a
moto lacking one is refused at start-up with the name and the supported moto range.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import types
from pathlib import Path

import pytest
from moto.swf.models import WorkflowExecution
from moto.swf.responses import SWFResponse

from floto.local import _compat, _server
from floto.local._compat import (
    EngineCompatibilityError,
    extension_classes,
    floto_members,
    is_behaviour,
    is_override,
    moto_bases,
    moto_defines,
    moto_override,
)

ENGINE_DIR = Path(_server.__file__).parent


def _engine_modules() -> list[types.ModuleType]:
    return [module for name, module in sys.modules.items() if name.startswith("floto.local.")]


def _classes() -> list[type]:
    return extension_classes(_engine_modules())


def test_the_installed_moto_has_everything_the_engine_relies_on() -> None:
    _server.check_engine()


def test_the_extension_classes_are_found_from_the_code() -> None:
    names = {cls.__name__ for cls in _classes()}
    assert {"LocalSWFBackend", "LocalExecution", "LocalSWFResponse", "LocalDomain"} <= names
    assert {"LocalDecisionTask", "LocalActivityTask"} <= names


def _set_by_moto(cls: type) -> set[str]:
    """What Python and moto's metaclass put on any subclass of ``cls``'s moto base."""
    base = moto_bases(cls)[0]
    probe = type(base)("Probe", (base,), {"__module__": "floto.local._probe"})
    return set(vars(probe)) | set(vars(type("Plain", (), {})))


def test_every_floto_member_moto_also_defines_is_marked_as_an_override() -> None:
    unmarked = [
        f"{cls.__name__}.{name}"
        for cls in _classes()
        for name, member in floto_members(cls).items()
        if moto_defines(cls, name)
        and name not in _set_by_moto(cls)
        and not (is_behaviour(member) and is_override(member))
    ]
    assert unmarked == [], "mark these with @moto_override (or rename them)"


def test_the_private_hooks_issue_8_named_are_marked() -> None:
    by_name = {cls.__name__: cls for cls in _classes()}
    for cls_name, member in [
        ("LocalSWFBackend", "_process_timeouts"),
        ("LocalSWFBackend", "_get_domain"),
        ("LocalExecution", "_process_timeouts"),
        ("LocalExecution", "_add_event"),
        ("LocalExecution", "_schedule_decision_task"),
        ("LocalSWFResponse", "_params"),
    ]:
        assert is_override(vars(by_name[cls_name])[member]), f"{cls_name}.{member}"


def _moto_behaviour_names(classes: list[type]) -> set[str]:
    return {
        name
        for cls in classes
        for base in moto_bases(cls)
        for name, member in vars(base).items()
        if is_behaviour(member)
    }


def _super_calls(tree: ast.AST) -> list[tuple[str, str, int]]:
    """(class name, member, line) of every ``super().member`` in a class body."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Attribute)
                and isinstance(inner.value, ast.Call)
                and isinstance(inner.value.func, ast.Name)
                and inner.value.func.id == "super"
            ):
                found.append((node.name, inner.attr, inner.lineno))
    return found


def test_every_moto_member_floto_calls_is_declared_in_moto_uses() -> None:
    classes = _classes()
    by_name = {cls.__name__: cls for cls in classes}
    moto_names = _moto_behaviour_names(classes)
    floto_names = {name for cls in classes for name in floto_members(cls)}
    declared = {name for cls in classes for name in getattr(cls, "moto_uses", ())}
    undeclared = []
    for path in sorted(ENGINE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        supers = {(line, attr) for _cls, attr, line in _super_calls(tree)}
        for cls_name, attr, line in _super_calls(tree):
            cls = by_name[cls_name]
            own = floto_members(cls).get(attr)
            if not (own is not None and is_override(own)) and attr not in cls.moto_uses:
                undeclared.append(f"{path.name}:{line} super().{attr} in {cls_name}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or (node.lineno, node.attr) in supers:
                continue
            name = node.attr
            if name in moto_names and name not in floto_names and name not in declared:
                undeclared.append(f"{path.name}:{node.lineno} .{name}")
    assert undeclared == [], "list these in the moto_uses of the class whose moto base has them"


def test_every_declared_use_is_really_used() -> None:
    text = "\n".join(path.read_text() for path in ENGINE_DIR.glob("*.py"))
    for cls in _classes():
        for name in getattr(cls, "moto_uses", ()):
            assert f".{name}" in text, f"{cls.__name__}.moto_uses lists {name}, never called"


def test_a_marked_override_moto_lacks_is_named_with_the_supported_range() -> None:
    module = types.ModuleType("floto.local._fake")

    class LocalFake(WorkflowExecution):
        __module__ = "floto.local._fake"  # moto's metaclass wants a dotted module name

        @moto_override
        def no_such_internal(self) -> None:
            """Stands for an override of a member moto renamed."""

    module.LocalFake = LocalFake  # type: ignore[attr-defined]
    with pytest.raises(EngineCompatibilityError) as caught:
        _compat.check_extension([module], [], lambda op: None)
    assert "WorkflowExecution.no_such_internal (overridden by LocalFake)" in str(caught.value)
    assert _compat.SUPPORTED_MOTO in str(caught.value)


def test_a_moto_rename_of_a_private_hook_refuses_the_engine(monkeypatch) -> None:
    monkeypatch.delattr(WorkflowExecution, "_process_timeouts")
    monkeypatch.delattr(SWFResponse, "_params")
    with pytest.raises(EngineCompatibilityError) as caught:
        _server.check_engine()
    message = str(caught.value)
    assert "WorkflowExecution._process_timeouts (overridden by LocalExecution)" in message
    assert "SWFResponse._params (overridden by LocalSWFResponse)" in message


def test_a_missing_use_is_named(monkeypatch) -> None:
    monkeypatch.delattr(WorkflowExecution, "to_list_dict")
    with pytest.raises(EngineCompatibilityError, match=r"WorkflowExecution\.to_list_dict \(used"):
        _server.check_engine()


def test_an_operation_moto_no_longer_answers_is_named(monkeypatch) -> None:
    monkeypatch.delattr(SWFResponse, "list_domains")
    with pytest.raises(EngineCompatibilityError, match="a handler of ListDomains"):
        _server.check_engine()


def _start_with(prelude: str) -> subprocess.CompletedProcess[str]:
    code = (
        f"{prelude}\nfrom floto.local._cli import main\nraise SystemExit(main(['--port', '0']))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_floto_local_refuses_to_start_on_a_moto_that_renamed_a_hook() -> None:
    done = _start_with("import moto.swf.models as m\ndel m.SWFBackend._get_domain")
    assert done.returncode == 2
    assert "SWFBackend._get_domain (overridden by LocalSWFBackend)" in done.stderr
    assert _compat.SUPPORTED_MOTO in done.stderr
    assert "Traceback" not in done.stderr and "ready" not in done.stdout


def test_floto_local_refuses_to_start_on_a_moto_without_a_name_it_imports() -> None:
    done = _start_with("import moto.swf.models as m\ndel m.DecisionTask")
    assert done.returncode == 2
    assert "cannot import name 'DecisionTask'" in done.stderr
    assert _compat.SUPPORTED_MOTO in done.stderr
    assert "Traceback" not in done.stderr and "ready" not in done.stdout
