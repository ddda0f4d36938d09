"""Authoring workflows: ``a >> b`` operators (on every task), helpers, builders and checks.

``a >> b``: b requires a. ``a << b``: a requires b. ``[a, b] >> c`` fans in,
``a >> [b, c]`` fans out; each operator returns its right-hand side, so chains read left to
right. :func:`chain` and :func:`cross` cover list-to-list connections.
"""

from floto.dsl._checks import build_graph, check_served, check_tasks, find_cycle
from floto.dsl._helpers import activity, chain, child, cross, generator, pairwise, timer
from floto.dsl._workflow import Workflow, collect_upstream
from floto.errors import CycleError, GraphError, UnservedTaskError

__all__ = [
    "CycleError",
    "GraphError",
    "UnservedTaskError",
    "Workflow",
    "activity",
    "build_graph",
    "chain",
    "check_served",
    "check_tasks",
    "child",
    "collect_upstream",
    "cross",
    "find_cycle",
    "generator",
    "pairwise",
    "timer",
]
