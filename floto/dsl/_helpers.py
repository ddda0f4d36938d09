"""What Python's operators cannot say: chains of steps and list-to-list connections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from floto.errors import SpecError
from floto.specs import connect
from floto.specs.retry_strategy import InstantRetry, Strategy
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Task, Timer

Step = Task | Sequence[Task]


def _step_tasks(step: Step, index: int) -> list[Task]:
    tasks = [step] if isinstance(step, Task) else list(step)
    if not tasks or not all(isinstance(task, Task) for task in tasks):
        raise SpecError(
            "each step must be a task or a non-empty list of tasks", path=f"chain[{index}]"
        )
    return tasks


def chain(*steps: Step) -> Step:
    """Run the steps one after another: every task of a step requires every task of the one
    before. A step is a task or a list of tasks run in parallel, so
    ``chain(a, [b, c], d)`` is ``a >> [b, c] >> d``, and two adjacent lists are connected
    all-to-all (``chain([a, b], [c, d])``: c and d each require a and b). Returns the last step.
    """
    if not steps:
        raise SpecError("chain needs at least one step", path="chain")
    previous = _step_tasks(steps[0], 0)
    for index, step in enumerate(steps[1:], start=1):
        current = _step_tasks(step, index)
        connect(previous, current)
        previous = current
    return steps[-1]


def cross(upstream: Step, downstream: Step) -> Step:
    """Every task in ``downstream`` requires every task in ``upstream`` (fan-in and fan-out
    of lists, which ``list >> list`` cannot express). Returns ``downstream``."""
    connect(_step_tasks(upstream, 0), _step_tasks(downstream, 1))
    return downstream


def pairwise(upstream: Sequence[Task], downstream: Sequence[Task]) -> Sequence[Task]:
    """The i-th downstream task requires the i-th upstream task (lists of equal length)."""
    if len(upstream) != len(downstream):
        raise SpecError(
            f"lists differ in length: {len(upstream)} and {len(downstream)}", path="pairwise"
        )
    for required, task in zip(upstream, downstream, strict=True):
        task.add_requirement(required)
    return downstream


def activity_task(
    name: str, version: str, *, retry: Strategy | int | None = None, **options: Any
) -> ActivityTask:
    """An ActivityTask; ``retry=n`` is short for ``InstantRetry(n)``; ``options`` are
    ActivityTask's (``input``, ``task_list``, ``id_``, ``requires``).

    (The decorator that registers an activity function is ``floto.activity``.)"""
    return ActivityTask(name, version, retry_strategy=_retry(retry), **options)


def generator_task(
    name: str, version: str, *, retry: Strategy | int | None = None, **options: Any
) -> Generator:
    """A Generator task; ``retry`` and ``options`` as for :func:`activity_task`."""
    return Generator(name, version, retry_strategy=_retry(retry), **options)


def child_workflow(
    workflow_type_name: str,
    workflow_type_version: str,
    *,
    retry: Strategy | int | None = None,
    **options: Any,
) -> ChildWorkflow:
    """A ChildWorkflow task; ``retry`` and ``options`` as for :func:`activity_task`."""
    return ChildWorkflow(
        workflow_type_name, workflow_type_version, retry_strategy=_retry(retry), **options
    )


def timer(id_: str, seconds: int) -> Timer:
    """A Timer that waits ``seconds`` once its requirements are complete."""
    return Timer(id_=id_, delay_in_seconds=seconds)


def _retry(retry: Strategy | int | None) -> Strategy | None:
    if isinstance(retry, bool):
        raise SpecError(f"must be a number of retries or a Strategy, got {retry!r}", path="retry")
    if isinstance(retry, int):
        return InstantRetry(retries=retry)
    return retry
