"""Task specs: the building blocks of a workflow (``floto.specs.task`` in the seed README)."""

from floto.specs._tasks import ActivityTask, ChildWorkflow, Generator, Task, Timer

__all__ = ["ActivityTask", "ChildWorkflow", "Generator", "Task", "Timer"]
