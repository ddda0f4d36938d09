"""Payloads that SWF holds as references to a payload store (see :mod:`floto.wire`), read
lazily and transparently.

floto.history cannot reach S3 (floto.api is above it), so whoever builds a state injects a
*resolver*: a callable that returns the text a :class:`floto.wire.PayloadRef` stands for
(``floto.api.Swf.resolve_payload``). A payload whose JSON mentions no reference is parsed at
once, as always; one that does is kept as a :class:`StoredPayload` and resolved on first use,
so a decider can pass a stored result on to the next task by reference without reading it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from floto.boundedjson import JsonLimitError, loads
from floto.errors import PayloadError, SpecError
from floto.limits import MAX_DOCUMENT_CHARS, MAX_PAYLOAD_CHARS
from floto.wire import PayloadRef, mentions_payload_ref, payload_ref_of_text, read_payload_ref

Resolver = Callable[[PayloadRef], str]
"""Returns the text a payload reference stands for (``floto.api.Swf.resolve_payload``)."""

MAX_NESTING = 8
"""References inside stored payloads inside references...: deeper is refused (floto writes 2)."""


def read_json(text: Any, *, max_chars: int = MAX_PAYLOAD_CHARS) -> tuple[Any, str | None]:
    """(value, problem) of a payload's JSON text, read by floto's bounded reader.

    Text that is not JSON (not written by floto) stays a string, with no problem. JSON that
    floto refuses to read (nested too deep, numbers not finite or out of range, longer than
    ``max_chars``) stays a string too, and the problem says why: never a RecursionError.
    """
    if not isinstance(text, str):
        return text, None
    try:
        return loads(text, "", max_chars=max_chars), None
    except JsonLimitError as error:
        return text, error.reason
    except SpecError:
        return text, None


def parse_json(text: Any, *, max_chars: int = MAX_PAYLOAD_CHARS) -> Any:
    """JSON text as a value; text floto does not read as JSON stays a string (:func:`read_json`)."""
    return read_json(text, max_chars=max_chars)[0]


def _parse_stored(text: str) -> Any:
    """A stored payload's text (up to floto's document size) as a value."""
    return parse_json(text, max_chars=MAX_DOCUMENT_CHARS)


def _fetch(ref: PayloadRef, resolver: Resolver | None) -> str:
    if resolver is None:
        raise PayloadError(
            f"this value is stored outside SWF ({ref.url}, {ref.size:,} bytes) and no resolver "
            "was given to read it: pass resolver=floto.api.Swf().resolve_payload (to "
            "state_from_events, ExecutionFollower or History)",
            url=ref.url,
        )
    return resolver(ref)


def load_payload(text: Any, resolver: Resolver | None, *, depth: int = 0) -> Any:
    """The value of a payload's text with every reference in it resolved (at any depth).

    Raises:
        PayloadError: a reference cannot be resolved.
    """
    if depth > MAX_NESTING:
        raise PayloadError(f"payload references nested over {MAX_NESTING} deep")
    if not mentions_payload_ref(text):
        return _parse_stored(text)
    ref = payload_ref_of_text(text)
    if ref is not None:
        return load_payload(_fetch(ref, resolver), resolver, depth=depth + 1)
    return _resolve_inside(_parse_stored(text), resolver, depth)


def _resolve_inside(value: Any, resolver: Resolver | None, depth: int) -> Any:
    """``value`` with each reference object in it replaced by what it stands for (the bounded
    reader parsed it, so this walks at most floto's JSON depth)."""
    if isinstance(value, dict):
        nested = read_payload_ref(value)
        if nested is not None:
            return load_payload(_fetch(nested, resolver), resolver, depth=depth + 1)
        return {key: _resolve_inside(item, resolver, depth) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve_inside(item, resolver, depth) for item in value]
    return value


class StoredPayload:
    """A payload whose JSON holds payload references: ``wire`` is the value as SWF holds it
    (references as ``{"floto.payload": ...}`` objects), ``value`` the value they stand for
    (read on first use, then kept)."""

    __slots__ = ("_done", "_value", "resolver", "text")

    def __init__(self, text: str, resolver: Resolver | None) -> None:
        self.text, self.resolver = text, resolver
        self._done, self._value = False, None

    @property
    def wire(self) -> Any:
        """The JSON value as SWF holds it: references kept as they are."""
        return parse_json(self.text)

    @property
    def ref(self) -> PayloadRef | None:
        """The reference the whole payload is, if it is one."""
        return payload_ref_of_text(self.text)

    def shallow(self) -> Any:
        """The value with the whole-payload reference (if it is one) read, but references
        inside it kept: what a decider needs to look into a payload it passes on."""
        ref = self.ref
        if ref is None:
            return self.wire
        return _parse_stored(_fetch(ref, self.resolver))

    def load(self) -> Any:
        """The resolved value, read again (not kept: for values used once, e.g. a generator's
        task list, that a long-lived state should not hold on to)."""
        if self._done:
            return self._value
        return load_payload(self.text, self.resolver)

    @property
    def value(self) -> Any:
        """The resolved value (read once, then kept)."""
        if not self._done:
            self._value, self._done = load_payload(self.text, self.resolver), True
        return self._value

    def __repr__(self) -> str:
        ref = self.ref
        if ref is not None:
            return f"<StoredPayload {ref.url} ({ref.size:,} bytes)>"
        return f"<StoredPayload with references ({len(self.text):,} characters)>"


def read_payload(text: Any, resolver: Resolver | None) -> tuple[Any, str | None]:
    """(what a state keeps for a payload's text, why floto did not read it as JSON or None):
    the parsed value, or a StoredPayload when the text mentions references (no store is read
    here)."""
    if mentions_payload_ref(text):
        return StoredPayload(text, resolver), None
    return read_json(text)


def payload_value(text: Any, resolver: Resolver | None) -> Any:
    """What a state keeps for a payload's text (see :func:`read_payload`)."""
    return read_payload(text, resolver)[0]


def value_payload(value: Any, resolver: Resolver | None) -> Any:
    """What a state keeps for an already parsed JSON value (e.g. a reused result): the value,
    or a StoredPayload when it holds references."""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"))
        if mentions_payload_ref(text):
            return StoredPayload(text, resolver)
    return value


def shallow_value(value: Any) -> Any:
    """``value`` itself, or a StoredPayload's :meth:`~StoredPayload.shallow` value."""
    return value.shallow() if isinstance(value, StoredPayload) else value


def resolved(value: Any) -> Any:
    """``value`` itself, or what a StoredPayload stands for."""
    return value.value if isinstance(value, StoredPayload) else value


def on_wire(value: Any) -> Any:
    """``value`` itself, or a StoredPayload's value as SWF holds it (references kept)."""
    return value.wire if isinstance(value, StoredPayload) else value


class Resolved:
    """A dataclass field that may hold a :class:`StoredPayload`: reading it gives the
    resolved value; :func:`raw` gives what is stored (to pass references on unread)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return None  # the dataclass default
        return resolved(obj.__dict__.get(self.slot))

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


def raw(obj: Any, name: str) -> Any:
    """The value stored in ``obj``'s :class:`Resolved` field ``name``, unresolved."""
    return obj.__dict__.get("_" + name)


def dataclass_repr(obj: Any) -> str:
    """A dataclass's usual repr, except that :class:`Resolved` fields show what is stored
    (a repr never reads a payload store)."""
    from dataclasses import fields

    parts = []
    for f in fields(obj):
        if not f.repr:
            continue
        if isinstance(type(obj).__dict__.get(f.name), Resolved):
            value = raw(obj, f.name)
        else:
            value = getattr(obj, f.name)
        parts.append(f"{f.name}={value!r}")
    return f"{type(obj).__name__}({', '.join(parts)})"
