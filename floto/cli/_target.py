"""What a command is pointed at: a spec JSON file, a module, or ``module:attribute``.

* ``spec.json``: a DeciderSpec's JSON, a task list, or a DynamicDecider input
  (``{"activity_tasks": [...]}``), decoded only through floto's allow-list.
* ``package.module`` or ``path/to/file.py``: imported, so its ``@floto.activity`` functions
  are registered.
* ``module:attribute`` (or ``file.py:attribute``): the module imported, then the attribute: a
  DeciderSpec, a ``floto.dsl.Workflow``, a task, a list of tasks, or a function returning one.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from floto.cli._common import CommandError
from floto.errors import SpecError
from floto.limits import MAX_DOCUMENT_CHARS
from floto.specs import loads


@dataclass
class Target:
    """A loaded target: its tasks, its spec (if it was one) and the modules imported."""

    source: str
    tasks: list[Any] = field(default_factory=list)
    spec: Any = None  # a DeciderSpec, if the target was one
    failure_policy: str = "continue"  # a Workflow's own (read_workflow's); a spec has its own
    modules: list[ModuleType] = field(default_factory=list)


def load_json_document(path: str) -> Any:
    """The parsed JSON of ``path`` (``-``: stdin).

    Raises:
        CommandError: the file cannot be read (exit 2), or is not UTF-8 (exit 1).
        SpecError: the text is not JSON.
    """
    try:
        if path == "-":  # one byte more than floto reads, so that a longer text is seen
            raw = sys.stdin.buffer.read(MAX_DOCUMENT_CHARS + 1)
        else:
            with open(path, "rb") as stream:
                raw = stream.read(MAX_DOCUMENT_CHARS + 1)
    except IsADirectoryError:
        raise CommandError(f"cannot read {path}: it is a directory", 2) from None
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}", 2) from None
    if len(raw) > MAX_DOCUMENT_CHARS:
        raise SpecError(f"is over floto's limit of {MAX_DOCUMENT_CHARS:,} bytes", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text (byte {error.start})") from None
    return loads(text, path)  # bounded: size, depth, finite numbers


def decode_document(document: Any, source: str) -> Target:
    """A spec, a task list, a task or a DynamicDecider input (``floto.dsl.from_document``)."""
    from floto.dsl import from_document

    try:
        found = from_document(document, "")
    except SpecError as error:
        raise SpecError(str(error), path=source) from None
    return Target(source, tasks=list(found.tasks or []), spec=found.spec)


def is_json_path(target: str) -> bool:
    """Whether ``target`` names a JSON file (or stdin) rather than a module."""
    return target == "-" or target.lower().endswith(".json")


def import_module(name: str) -> ModuleType:
    """Import a module by dotted name (from the current directory too) or by file path.

    Raises:
        CommandError: the module or file does not exist, or importing it raised.
    """
    if name.endswith(".py") or os.sep in name or "/" in name:
        return _import_file(Path(name))
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` does: modules of the project
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and (name == error.name or name.startswith(error.name + ".")):
            raise CommandError(f"no module named {name!r} (from {os.getcwd()})") from None
        raise CommandError(f"importing {name}: {type(error).__name__}: {error}") from None
    except Exception as error:
        raise CommandError(f"importing {name}: {type(error).__name__}: {error}") from None


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise CommandError(f"no such Python file: {path}")
    resolved = path.resolve()
    name = resolved.stem
    existing = sys.modules.get(name)
    if existing is not None and getattr(existing, "__file__", None) == str(resolved):
        return existing
    folder = str(resolved.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # its sibling modules import as they do under `python file`
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:
        raise CommandError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise CommandError(f"importing {path}: {type(error).__name__}: {error}") from None
    return module


def load_target(target: str) -> Target:
    """Load ``target`` (see the module docstring)."""
    if Path(target).is_dir():
        raise CommandError(f"cannot read {target}: it is a directory", 2)
    plain_file = Path(target).is_file() and not target.endswith(".py")
    if is_json_path(target) or plain_file:
        return decode_document(load_json_document(target), target)
    module_name, _, attribute = target.partition(":")
    if not module_name:
        raise CommandError(f"{target!r}: expected a spec file, a module or module:attribute", 2)
    module = import_module(module_name)
    if not attribute:
        return Target(target, modules=[module])
    value = module
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise CommandError(f"{module_name} has no attribute {attribute!r}")
        value = getattr(value, part)
    loaded = tasks_of(value, target)
    loaded.modules.append(module)
    return loaded


def tasks_of(value: Any, source: str) -> Target:
    """The tasks (and spec) of a DeciderSpec, Workflow, task, task list, or a function of none
    returning one (``floto.dsl.read_workflow``)."""
    from floto.dsl import Workflow, read_workflow
    from floto.specs.task import Task

    if callable(value) and not isinstance(value, (Task, Workflow, type)):
        value = value()
    found = read_workflow(value, path=source) if not isinstance(value, (str, bytes, dict)) else None
    if found is None:
        raise CommandError(
            f"{source}: expected a DeciderSpec, a floto.dsl.Workflow or tasks, "
            f"got {type(value).__name__}"
        )
    return Target(
        source, tasks=list(found.tasks or []), spec=found.spec, failure_policy=found.failure_policy
    )


def respec(
    spec: Any,
    tasks: list[Any] | None,
    *,
    domain: str,
    task_list: str | None,
    default_activity_task_list: str | None,
    failure_policy: str | None = None,
) -> Any:
    """A DeciderSpec of ``tasks`` with the command's domain and task lists; what else ``spec``
    (the target's own, or None) says (repeating, stopping after completion, its failure policy
    unless ``failure_policy`` is given) is kept."""
    from floto.specs import DeciderSpec

    return DeciderSpec(
        domain=domain,
        task_list=task_list,
        activity_tasks=tasks,
        default_activity_task_list=default_activity_task_list,
        repeat_workflow=spec.repeat_workflow if spec is not None else False,
        failure_policy=failure_policy or (spec.failure_policy if spec is not None else "continue"),
        terminate_decider_after_completion=(
            spec.terminate_decider_after_completion if spec is not None else False
        ),
    )
