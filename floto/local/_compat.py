"""The engine's contract with moto, derived from floto's own classes and checked at start-up.

floto's extension subclasses moto's classes (the ``Local*`` classes). Where moto changes, two
kinds of contact can break without an error:

- an *override*: a floto method or property that replaces moto's of the same name, because
  moto's own code calls it by that name. If moto renames it, moto stops calling floto's and
  falls back to its own. Every override carries :func:`moto_override`; moto must still define
  each marked name. tests/local/test_moto_compatibility.py requires every floto member whose
  name moto defines to carry the mark, so a new override cannot escape the check.
- a *use*: a member of moto's class that floto calls (``super()`` calls other than the
  override's own, moto's properties and helpers). Each ``Local*`` class lists them in its
  ``moto_uses``; moto must define each. The same test reads floto's source and requires every
  such call to be listed.

Names floto imports from moto are checked by importing them (the launcher reports an
ImportError as a compatibility error), and every operation of SWF's API model must have a
handler on the response class (:data:`UNSUPPORTED_OPERATIONS` lists exceptions: none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import metadata
from types import ModuleType
from typing import Any, TypeVar

from floto.errors import FlotoError

SUPPORTED_MOTO = ">=5.2.1,<5.3"
UNSUPPORTED_OPERATIONS: frozenset[str] = frozenset()
"""SWF operations neither moto nor floto answers (UnknownOperationException): none."""

_MARK = "__floto_moto_override__"
Member = TypeVar("Member")


class EngineCompatibilityError(FlotoError, RuntimeError):
    """The installed moto lacks something floto's local engine overrides, calls or imports."""


def moto_override(member: Member) -> Member:
    """Mark a method or property that replaces moto's member of the same name."""
    setattr(_function_of(member), _MARK, True)
    return member


def _function_of(member: Any) -> Any:
    if isinstance(member, property):
        return member.fget
    if isinstance(member, (staticmethod, classmethod)):
        return member.__func__
    return member


def is_override(member: Any) -> bool:
    """True if ``member`` (a class attribute) carries :func:`moto_override`."""
    return bool(getattr(_function_of(member), _MARK, False))


def is_moto_class(cls: type) -> bool:
    return cls.__module__.split(".")[0] == "moto"


def moto_bases(cls: type) -> list[type]:
    """The moto classes ``cls`` inherits from, nearest first."""
    return [base for base in cls.__mro__ if is_moto_class(base)]


def moto_defines(cls: type, name: str) -> bool:
    """True if one of moto's classes behind ``cls`` defines ``name`` itself."""
    return any(name in vars(base) for base in moto_bases(cls))


def floto_members(cls: type) -> dict[str, Any]:
    """What floto defines on ``cls``: its own class and floto mixins before moto's classes."""
    members: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        if base is not object and not is_moto_class(base):
            members.update(vars(base))
    return members


def is_behaviour(member: Any) -> bool:
    """Methods and properties (what an override replaces); plain data is not."""
    return callable(member) or isinstance(member, (property, staticmethod, classmethod))


def extension_classes(modules: Iterable[ModuleType]) -> list[type]:
    """The classes defined in ``modules`` that extend a moto class."""
    found = []
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and not is_moto_class(value)
                and moto_bases(value)
            ):
                found.append(value)
    return found


def class_problems(cls: type) -> list[str]:
    """What ``cls`` overrides or uses that its moto classes no longer define."""
    where = "/".join(base.__name__ for base in moto_bases(cls)[:1])
    problems = [
        f"{where}.{name} (overridden by {cls.__name__})"
        for name, member in floto_members(cls).items()
        if is_behaviour(member) and is_override(member) and not moto_defines(cls, name)
    ]
    problems += [
        f"{where}.{name} (used by {cls.__name__})"
        for name in getattr(cls, "moto_uses", ())
        if not moto_defines(cls, name)
    ]
    return problems


def moto_version() -> str:
    try:
        return metadata.version("moto")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def refusal(missing: list[str]) -> EngineCompatibilityError:
    """The error that stops the engine: what is missing, and which moto to install."""
    return EngineCompatibilityError(
        f"moto {moto_version()} lacks what floto's local engine relies on "
        f"({'; '.join(missing)}); install a supported moto: pip install 'moto{SUPPORTED_MOTO}'"
    )


def import_refusal(exc: ImportError) -> EngineCompatibilityError:
    """An ImportError of floto's engine modules as the engine's refusal to start."""
    if exc.name == "moto":
        return EngineCompatibilityError(
            "floto's local engine needs moto: pip install 'floto[local]'"
        )
    return refusal([str(exc)])


def check_extension(
    modules: Iterable[ModuleType],
    operations: Iterable[str],
    handler_of: Callable[[str], Any],
) -> None:
    """Raise EngineCompatibilityError naming everything floto relies on that moto lacks.

    Args:
        modules: floto's loaded engine modules; their ``Local*`` classes are checked.
        operations: the operation names of SWF's API model.
        handler_of: the response layer's handler of an operation (None if it has none).
    """
    missing = [problem for cls in extension_classes(modules) for problem in class_problems(cls)]
    missing += [
        f"a handler of {name}"
        for name in operations
        if name not in UNSUPPORTED_OPERATIONS and handler_of(name) is None
    ]
    if missing:
        raise refusal(missing)
