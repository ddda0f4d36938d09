"""Activity functions and the registry a worker looks them up in.

``@floto.activity(name, version)`` and ``@floto.generator(name, version)`` register the function
in a registry (the default one unless another is given) and return the function itself, still
callable, with ``.task(**kwargs)`` to make a task that runs it and ``.floto_definition``.
"""

from __future__ import annotations

import inspect
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from floto.errors import FlotoError, SpecError, UnservedTaskError
from floto.specs.task import ActivityTask, Generator, Task

Kind = Literal["activity", "generator"]


class RegistrationError(FlotoError, ValueError):
    """Two different functions claim one activity name and version."""


@dataclass(frozen=True)
class ActivityDefinition:
    """A registered function: its activity type, its kind and how it takes its context."""

    name: str
    version: str
    kind: Kind
    function: Callable[..., Any]

    @property
    def takes_context(self) -> bool:
        """Whether the function has a parameter to receive the context (any name)."""
        return _context_parameter(self.function) is not None

    def call(self, context: Any) -> Any:
        """Run the function, handing it ``context`` if it takes one."""
        parameter = _context_parameter(self.function)
        if parameter is None:
            return self.function()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            return self.function(**{parameter.name: context})
        return self.function(context)


def _context_parameter(function: Callable[..., Any]) -> inspect.Parameter | None:
    parameters = list(inspect.signature(function).parameters.values())
    for parameter in parameters:
        if parameter.name == "context" and parameter.kind is not inspect.Parameter.VAR_KEYWORD:
            return parameter
    for parameter in parameters:
        if parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.VAR_POSITIONAL,
        ):
            return parameter
    return None


class ActivityRegistry:
    """Activity functions by (name, version). A worker runs the functions of one registry."""

    def __init__(self) -> None:
        self._definitions: dict[tuple[str, str], ActivityDefinition] = {}
        self._lock = threading.Lock()

    def register(
        self, function: Callable[..., Any], *, name: str, version: str, kind: Kind = "activity"
    ) -> ActivityDefinition:
        """Register ``function``; re-registering the same function (a re-run cell) replaces it.

        Raises:
            RegistrationError: another function is registered under this name and version.
        """
        for field, value in (("name", name), ("version", version)):
            if not isinstance(value, str) or not value.strip():
                raise SpecError(
                    f"must be a non-empty string, got {value!r}", path=f"@{kind}", field=field
                )
        definition = ActivityDefinition(name, version, kind, function)
        with self._lock:
            existing = self._definitions.get((name, version))
            if existing is not None and not _same_function(existing.function, function):
                raise RegistrationError(
                    f"{kind} {name!r} version {version!r} is already registered to "
                    f"{existing.function.__module__}.{existing.function.__qualname__}"
                )
            self._definitions[(name, version)] = definition
        return definition

    def get(self, name: str, version: str) -> ActivityDefinition | None:
        """The definition registered under ``name`` and ``version``, or None."""
        return self._definitions.get((name, version))

    def check_serves(self, tasks: Sequence[Task]) -> None:
        """Raise UnservedTaskError naming every activity or generator this registry cannot run
        (no function registered, or one of the other kind)."""
        problems: list[str] = []
        unserved: list[str] = []
        for task in tasks:
            if not isinstance(task, ActivityTask):
                continue
            problem = self._serving_problem(task)
            if problem:
                problems.append(f"{task.id_} ({problem})")
                unserved.append(task.id_)
        if problems:
            raise UnservedTaskError(
                "tasks no registered function serves: " + "; ".join(problems), task_ids=unserved
            )

    def _serving_problem(self, task: ActivityTask) -> str | None:
        definition = self.get(task.name, task.version)
        if definition is None:
            return f"no function registered as {task.name!r} version {task.version!r}"
        if definition.kind != task.kind:
            return (
                f"is a {task.kind} but {task.name!r} {task.version!r} is registered as a "
                f"{definition.kind}"
            )
        return None

    def unregister(self, name: str, version: str) -> None:
        """Forget a registration (no error if there is none)."""
        with self._lock:
            self._definitions.pop((name, version), None)

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._definitions

    def __iter__(self) -> Iterator[ActivityDefinition]:
        return iter(list(self._definitions.values()))

    def __len__(self) -> int:
        return len(self._definitions)


def _same_function(a: Callable[..., Any], b: Callable[..., Any]) -> bool:
    return a is b or (
        getattr(a, "__module__", None) == getattr(b, "__module__", None)
        and getattr(a, "__qualname__", None) == getattr(b, "__qualname__", None)
    )


default_registry = ActivityRegistry()
"""The registry ``@floto.activity`` and ``@floto.generator`` use unless given another."""


def _decorator(kind: Kind, name: str, version: str, registry: ActivityRegistry | None):
    task_class = Generator if kind == "generator" else ActivityTask

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        definition = (registry if registry is not None else default_registry).register(
            function, name=name, version=version, kind=kind
        )

        def task(**kwargs: Any) -> ActivityTask:
            return task_class(name=name, version=version, **kwargs)

        task.__doc__ = f"A {task_class.__name__} that runs {name!r} version {version!r}."
        function.floto_definition = definition  # type: ignore[attr-defined]
        function.task = task  # type: ignore[attr-defined]
        return function

    return register


def _ignore_domain(decorator: str, domain: str | None) -> None:
    if domain is not None:
        warnings.warn(
            f"@floto.{decorator}(domain=...) is floto 0.0.3's form; a worker serves its own "
            f"domain: write @floto.{decorator}(name=..., version=...)",
            DeprecationWarning,
            stacklevel=3,
        )


def activity(
    name: str,
    version: str,
    *,
    registry: ActivityRegistry | None = None,
    domain: str | None = None,
):
    """Register the decorated function as activity ``name``/``version``; returns it unchanged.

    The function may take a context parameter (any name; ``context`` is conventional). It gets
    ``.task(**kwargs)``, which makes an :class:`~floto.specs.task.ActivityTask` that runs it.
    ``domain`` (floto 0.0.3's) is accepted with a DeprecationWarning and unused.
    """
    _ignore_domain("activity", domain)
    return _decorator("activity", name, version, registry)


def generator(
    name: str,
    version: str,
    *,
    registry: ActivityRegistry | None = None,
    domain: str | None = None,
):
    """Register the decorated function as generator ``name``/``version``; returns it unchanged.

    A generator returns a list of tasks (possibly empty), which join the running workflow.
    ``.task(**kwargs)`` makes a :class:`~floto.specs.task.Generator`. ``domain`` as for
    :func:`activity`.
    """
    _ignore_domain("generator", domain)
    return _decorator("generator", name, version, registry)
