"""Drawing: a ``graphviz.Digraph`` whose rendering raises floto's error when ``dot`` is missing.

This module imports graphviz at the top; import it only through :func:`drawing_class`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import graphviz

from floto.viz._errors import GraphvizNotFoundError


@contextlib.contextmanager
def _dot_required() -> Iterator[None]:
    try:
        yield
    except graphviz.ExecutableNotFound as error:
        program = "dot"
        if error.args and isinstance(error.args[0], (list, tuple)) and error.args[0]:
            program = str(error.args[0][0])
        raise GraphvizNotFoundError(program) from None


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` as floto draws it: use it as any Digraph.

    ``.source`` gives the DOT text without Graphviz installed; ``.pipe()``, ``.render()``,
    ``.view()`` and the inline display in Jupyter need the ``dot`` program and raise
    :class:`~floto.viz.GraphvizNotFoundError` (saying how to install it) when it is missing.
    """

    task_count = 0  # set by floto when it draws: tasks drawn, and the nodes they make
    node_count = 0

    def __repr__(self) -> str:
        return f"<Drawing of {self.task_count} tasks in {self.node_count} nodes>"

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super().render(*args, **kwargs)

    def view(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super().view(*args, **kwargs)

    def unflatten(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super().unflatten(*args, **kwargs)

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super()._repr_mimebundle_(*args, **kwargs)


def edge_line(tail: str, head: str, attrs: dict[str, Any]) -> str:
    """A DOT edge statement between two node names, each quoted whole.

    ``Digraph.edge`` reads ``a:b`` as node ``a`` port ``b``; task ids contain ``:``.
    """
    quote = graphviz.quoting.quote
    return f"\t{quote(tail)} -> {quote(head)}{graphviz.quoting.attr_list(None, kwargs=attrs)}\n"
