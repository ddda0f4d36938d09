"""Tracebacks that lead to the user's code: floto's frames left out, notebook cells named as
IPython names them (``Cell In[3]``)."""

from __future__ import annotations

import os
import re
import sys
import traceback
from typing import Any

_FLOTO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_CELL_FILE = re.compile(r'File "(Cell In\[\d+\])", line')


def _is_floto(frame: traceback.FrameSummary) -> bool:
    return os.path.abspath(frame.filename).startswith(_FLOTO_DIR)


def _cell_name(filename: str) -> str | None:
    """``Cell In[3]`` for a file IPython compiled a cell into, else None (IPython is never
    imported here: only an IPython already running names cells)."""
    getipython = sys.modules.get("IPython.core.getipython")
    try:
        shell = getipython.get_ipython() if getipython is not None else None
        compiler = getattr(shell, "compile", None)
        named = compiler.format_code_name(filename) if compiler is not None else None
    except Exception:  # an IPython without it: keep the file name
        return None
    return f"{named[0]} {named[1]}" if named else None


def _trim(exception: traceback.TracebackException, keep_floto: bool) -> None:
    """Drop floto's frames (unless ``keep_floto``) and name cells, through the chain."""
    seen: set[int] = set()
    stack: list[Any] = [exception]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        frames = [f for f in current.stack if keep_floto or not _is_floto(f)]
        for frame in frames:
            cell = _cell_name(frame.filename)
            if cell is not None:
                frame.filename = cell
        current.stack = traceback.StackSummary.from_list(frames)
        stack += [current.__cause__, current.__context__]


def format_user_traceback(error: BaseException, *, keep_floto: bool = False) -> str:
    """The traceback of ``error`` (its causes too) without floto's frames: the first frame
    shown is the user's function. ``keep_floto`` keeps them (cells are still named)."""
    exception = traceback.TracebackException.from_exception(error)
    _trim(exception, keep_floto)
    return _CELL_FILE.sub(r"\1, line", "".join(exception.format()))
