"""Authoring workflows: ``a >> b`` operators (on every task), helpers, builders, Workflow.

``a >> b``: b requires a. ``a << b``: a requires b. ``[a, b] >> c`` fans in,
``a >> [b, c]`` fans out; each operator returns its right-hand side, so chains read left to
right. :func:`chain` and :func:`cross` cover list-to-list connections. The graph checks
themselves live in :mod:`floto.specs` (``check_tasks``, ``TaskGraph``).
"""

from floto.dsl._coerce import WORKFLOW_FORMS, WorkflowSource, from_document, read_workflow
from floto.dsl._helpers import (
    activity_task,
    chain,
    child_workflow,
    cross,
    generator_task,
    pairwise,
    timer,
)
from floto.dsl._payloads import PayloadSizeWarning, oversized_inputs, payload_warnings
from floto.dsl._workflow import ServesTasks, Workflow

__all__ = [
    "WORKFLOW_FORMS",
    "PayloadSizeWarning",
    "ServesTasks",
    "Workflow",
    "WorkflowSource",
    "activity_task",
    "chain",
    "child_workflow",
    "cross",
    "from_document",
    "generator_task",
    "oversized_inputs",
    "pairwise",
    "payload_warnings",
    "read_workflow",
    "timer",
]
