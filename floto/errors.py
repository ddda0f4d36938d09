"""floto's error tree: one root, specific subclasses with keyword fields.

Errors caused by bad input also subclass the built-in a user would catch (``ValueError``),
so ``except ValueError`` keeps working around floto calls.
"""

from __future__ import annotations


class FlotoError(Exception):
    """Root of every error floto raises on purpose."""


class SpecError(FlotoError, ValueError):
    """A task, strategy or spec is malformed; ``path`` names the field, ``reason`` says why.

    The message reads ``<path>: <reason>`` (for example
    ``activity_tasks[2].requires[0]: unknown task id 'x'``).
    """

    def __init__(
        self, reason: str, *, path: str = "", field: str = "", task_id: str | None = None
    ) -> None:
        self.reason = reason
        self.field = field
        self.path = ".".join(part for part in (path, field) if part)
        self.task_id = task_id
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


class PayloadTooLargeError(SpecError):
    """A payload is longer than SWF accepts (or than floto's payload cap); carries ``size``
    and ``limit`` (in ``unit``), and ``hint``: what to do about it (e.g. configure a store).
    """

    def __init__(
        self,
        what: str,
        *,
        size: int,
        limit: int,
        path: str = "",
        field: str = "",
        task_id: str | None = None,
        unit: str = "characters",
        limit_name: str = "SWF's limit",
        hint: str = "",
    ) -> None:
        self.size = size
        self.limit = limit
        self.unit = unit
        self.hint = hint
        message = f"{what} is {size:,} {unit}, over {limit_name} of {limit:,}"
        super().__init__(
            f"{message}; {hint}" if hint else message,
            path=path,
            field=field,
            task_id=task_id,
        )


class PayloadError(FlotoError):
    """A payload stored outside SWF (floto's payload store) cannot be written or read: the
    store is unreachable, the object is missing or corrupt, or nothing can resolve it.

    ``url`` names the object (``s3://bucket/key``) when there is one; ``transient`` is True
    when trying again later may help (network errors, throttling, 5xx answers).
    """

    def __init__(self, message: str, *, url: str | None = None, transient: bool = False) -> None:
        self.url = url
        self.transient = transient
        super().__init__(message)


class GraphError(SpecError):
    """The task graph cannot run: a cycle, an unknown requirement, a duplicate id, no tasks."""


class CycleError(GraphError):
    """The graph has a cycle; ``cycle`` lists the task ids around it, in dependency order."""

    def __init__(self, cycle: list[str], *, path: str = "") -> None:
        self.cycle = cycle
        super().__init__("cycle in the task graph: " + " -> ".join([*cycle, cycle[0]]), path=path)


class UnservedTaskError(GraphError):
    """Tasks that no registered activity function serves; ``task_ids`` lists them."""

    def __init__(self, reason: str, *, task_ids: list[str]) -> None:
        self.task_ids = task_ids
        super().__init__(reason)
