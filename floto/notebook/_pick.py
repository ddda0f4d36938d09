"""Clicks on the widget's HTML (table rows, graph nodes, timeline bars) pick a task.

ipywidgets' HTML widget draws its value as HTML but sends nothing back. A container's
``onclick`` attribute (inline handlers run in a live widget view; a saved notebook's static
copy has no kernel to tell) finds the clicked element's ``data-pick`` (or ``data-task-id``,
or a graph node's ``floto_node_N`` id) and writes it into a hidden Text widget of the same
``RunView`` (class ``floto-pick``), which syncs it to the kernel like typed text.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

VIEW_CLASS = "floto-run-view"
"""The RunView's DOM class (``floto-run`` is a timeline bar's)."""
PICK_CLASS = "floto-pick"

_SCRIPT = (
    "var e=event.target;"
    "var t=e.closest('[data-pick],[data-task-id],g.node');if(!t)return;"
    "var v=t.getAttribute('data-pick')||t.getAttribute('data-task-id');"
    "if(!v&&t.id&&t.id.indexOf('floto_node_')===0)v='node:'+t.id.slice(11);"
    "if(!v)return;"
    f"var r=this.closest('.{VIEW_CLASS}');if(!r)return;"
    f"var i=r.querySelector('.{PICK_CLASS} input');if(!i)return;"
    "i.value='';i.dispatchEvent(new Event('input',{bubbles:true}));"
    "i.value=v;i.dispatchEvent(new Event('input',{bubbles:true}));"
)


def clickable(inner: str, *, css_class: str = "") -> str:
    """``inner`` in a div whose clicks pick what was clicked (see the module docstring)."""
    return (
        f'<div class="floto-clickable {css_class}" style="cursor:pointer" '
        f'onclick="{html.escape(_SCRIPT, quote=True)}">{inner}</div>'
    )


class Picker:
    """The hidden Text a click writes into; calls ``on_pick(value)`` for each pick.

    Values: a task id, ``node:N`` (the Nth node of the graph drawn), ``status:NAME`` (a
    filter), ``page:N``, or anything a view put in a ``data-pick`` attribute.
    """

    def __init__(self, on_pick: Callable[[str], None]) -> None:
        self.widget = widgets.Text(value="", continuous_update=True)
        self.widget.add_class(PICK_CLASS)
        self.widget.layout.display = "none"
        self._on_pick = on_pick
        self.widget.observe(self._changed, names="value")

    def _changed(self, change: Any) -> None:
        value = change["new"]
        if value:
            self._on_pick(value)

    def pick(self, value: str) -> None:
        """Act as if ``value`` had been clicked (tests, and the kernel side)."""
        self.widget.value = ""
        self.widget.value = value
