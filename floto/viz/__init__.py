"""Pictures of workflows and executions: graphviz drawings and a timeline.

``draw(spec)`` draws a workflow's tasks, ``draw(state)`` (or ``draw(spec, state=state)``) draws
an execution coloured by status, ``timeline(state)`` draws its attempts over time. Importing
this package never needs graphviz; drawing needs the python ``graphviz`` package
(``pip install 'floto[viz]'``) and rendering needs Graphviz's ``dot`` program.
"""

from floto.viz._draw import DEFAULT_COLLAPSE_ABOVE, DIRECTIONS, Node, StyleFunction, draw
from floto.viz._errors import GraphvizNotFoundError, VizDependencyError
from floto.viz._report import report, report_body
from floto.viz._styles import KIND_STYLES, SEVERITY, STATUS_STYLES
from floto.viz._timeline import Timeline, timeline


def main(argv: list[str] | None = None) -> int:
    """``floto graph``: draw a spec file or an execution (docs/cli.md)."""
    from floto.viz._cli import main as graph

    return graph(argv)


__all__ = [
    "DEFAULT_COLLAPSE_ABOVE",
    "DIRECTIONS",
    "KIND_STYLES",
    "SEVERITY",
    "STATUS_STYLES",
    "GraphvizNotFoundError",
    "Node",
    "StyleFunction",
    "Timeline",
    "VizDependencyError",
    "draw",
    "main",
    "report",
    "report_body",
    "timeline",
]
