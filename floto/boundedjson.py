"""The one JSON reader for text that comes from outside floto: bounded in size and depth, and
strict about numbers.

Python's ``json.loads`` takes any size, recurses once per nesting level (so a few thousand
``[`` end in a RecursionError, which no caller expects) and accepts ``NaN``, ``Infinity`` and
``1e999``. Every decoder in floto (specs, task lists, generator results, signals, markers,
activity and workflow inputs, history attributes, files and stdin of the CLI) reads through
:func:`loads` instead, which raises one :class:`~floto.errors.SpecError` for each of these:

* text longer than ``max_chars`` characters;
* arrays and objects nested deeper than ``max_depth`` levels, found by a scan of the text
  before it is parsed (nothing deep is ever built);
* ``NaN``, ``Infinity``, ``-Infinity``, numbers too large for a float, integers longer than
  :data:`floto.limits.MAX_JSON_INT_DIGITS` digits;
* text that is not JSON, or bytes that are not UTF-8, -16 or -32.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

from floto.errors import SpecError
from floto.limits import MAX_DOCUMENT_CHARS, MAX_JSON_DEPTH, MAX_JSON_INT_DIGITS

__all__ = ["JsonLimitError", "check_depth", "dumps_checked", "loads", "nesting_depth"]

# A JSON string, dropped before counting so that brackets inside strings do not count. One
# that is never closed runs to the end of the text: every match then succeeds, which keeps
# the scan linear (a failed match at each of n quotes would cost n * n).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class JsonLimitError(SpecError):
    """JSON text that floto refuses to read: longer than allowed, nested too deep, or with a
    number that is not finite or is out of range. (Text that is not JSON at all raises a
    plain SpecError: some readers keep such text as a string.)"""


class _BadNumber(ValueError):
    """Raised inside ``json.loads`` by the number hooks; becomes a SpecError."""


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON ``text`` (a scalar: 0, ``[]``: 1).

    Brackets inside strings do not count. Linear and without recursion; the loops run in C
    (regular expressions, ``accumulate``), so a scan costs less than parsing.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def check_depth(text: str, max_depth: int, path: str = "") -> None:
    """Raise a SpecError if JSON ``text`` nests deeper than ``max_depth`` levels."""
    if text.count("[") + text.count("{") <= max_depth:
        return  # too few brackets to nest that deep: no need to scan
    if nesting_depth(text) > max_depth:
        raise JsonLimitError(
            f"nests arrays and objects deeper than floto's limit of {max_depth} levels", path=path
        )


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"the number {text[:40]} is out of range (too large for a float)")
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise _BadNumber(
            f"an integer of {len(text.lstrip('-')):,} digits is out of range "
            f"(floto reads at most {MAX_JSON_INT_DIGITS:,})"
        )
    return int(text)


def _refuse_constant(name: str) -> Any:
    raise _BadNumber(f"{name} is not a number JSON allows (numbers must be finite)")


def _as_text(text: Any, max_chars: int, path: str) -> str:
    if isinstance(text, (bytes, bytearray)):
        if len(text) > 4 * max_chars:  # UTF-32 needs 4 bytes a character, no encoding more
            raise JsonLimitError(f"is {len(text):,} bytes, over floto's limit of {max_chars:,} "
                            "characters", path=path)  # fmt: skip
        try:
            text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")
        except UnicodeDecodeError as error:
            raise SpecError(f"is not UTF-8, UTF-16 or UTF-32 text (byte {error.start})",
                            path=path) from None  # fmt: skip
    if not isinstance(text, str):
        raise SpecError(f"must be JSON text, got {type(text).__name__}", path=path)
    if len(text) > max_chars:
        raise JsonLimitError(
            f"is {len(text):,} characters, over floto's limit of {max_chars:,}", path=path
        )
    return text


def loads(
    text: str | bytes,
    path: str = "$",
    *,
    max_chars: int = MAX_DOCUMENT_CHARS,
    max_depth: int = MAX_JSON_DEPTH,
) -> Any:
    """Parse JSON text from outside floto, within bounds.

    Args:
        text: JSON text (str, or bytes in UTF-8, -16 or -32).
        path: where the text comes from, for the error's message (``$``: the document).
        max_chars: the longest text accepted, in characters.
        max_depth: the deepest nesting of arrays and objects accepted.

    Raises:
        JsonLimitError: (a SpecError) the text is too long, too deep, or has a number that
            is not finite or is out of range.
        SpecError: the text is not JSON (or the bytes not UTF-8, -16, -32).
        The message names ``path`` and the reason.
    """
    text = _as_text(text, max_chars, path)
    check_depth(text, max_depth, path)
    try:
        return json.loads(
            text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_refuse_constant
        )
    except _BadNumber as error:
        raise JsonLimitError(str(error), path=path) from None
    except RecursionError:  # cannot happen below max_depth; kept so no caller ever sees one
        raise JsonLimitError("nests arrays and objects too deep to read", path=path) from None
    except ValueError as error:
        raise SpecError(f"not valid JSON: {error}", path=path) from None


def dumps_checked(value: Any, max_depth: int, path: str = "", **kwargs: Any) -> str:
    """``json.dumps(value, allow_nan=False, **kwargs)`` of a value floto will send, checked to
    nest at most ``max_depth`` levels (so that whoever reads it with :func:`loads` can).

    Raises:
        SpecError: not JSON-serialisable (TypeError; ValueError: NaN, infinities, circular
            references), or nested deeper than ``max_depth``; the message names ``path``.
    """
    try:
        text = json.dumps(value, allow_nan=False, **kwargs)
    except RecursionError:
        text = None
    except (TypeError, ValueError) as error:
        raise SpecError(f"is not JSON-serialisable: {error}", path=path) from None
    if text is None:
        raise JsonLimitError(
            f"nests arrays and objects deeper than floto's limit of {max_depth} levels", path=path
        )
    check_depth(text, max_depth, path)
    return text
