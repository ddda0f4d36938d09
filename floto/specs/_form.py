"""The JSON form of floto's spec objects, declared once per class and coded generically.

Each task, retry strategy and spec class names its ``json_type`` and lists its
``json_fields``; :meth:`JsonForm.to_dict` and :func:`decode_form` read those declarations, so
a field is written down in one place. Decoding builds only the classes of an allow-list keyed
by ``type``: a document never chooses what gets imported. Every bad document raises one
:class:`~floto.errors.SpecError` whose message starts with the field path.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from floto.boundedjson import loads as loads  # the bounded reader, re-exported
from floto.errors import SpecError

Form = TypeVar("Form", bound="JsonForm")


@dataclass(frozen=True)
class Field:
    """One field of a JSON form.

    Attributes:
        name: the JSON key, which is also the constructor's keyword and the attribute read.
        required: decoding refuses a document without it.
        encode: the JSON value of the field of an object (default: the attribute, with
            floto objects in their JSON form); None leaves the field out.
        decode: turns a document's value into the constructor's argument,
            ``decode(value, path)`` (default: the value as it is).
    """

    name: str
    required: bool = False
    encode: Callable[[Any], Any] | None = None
    decode: Callable[[Any, str], Any] | None = None

    def value_of(self, owner: Any) -> Any:
        """The field's JSON value for ``owner`` (None: leave it out)."""
        if self.encode is not None:
            return self.encode(owner)
        return _plain(getattr(owner, self.name))


def _plain(value: Any) -> Any:
    if isinstance(value, JsonForm):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class JsonForm:
    """A class with a JSON form: ``json_type`` names it, ``json_fields`` lists its fields."""

    json_type: ClassVar[str]
    json_fields: ClassVar[tuple[Field, ...]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: keys sorted, ``None`` fields left out, ``type`` naming the class.

        Raises:
            SpecError: the class (a subclass of floto's) declares no JSON form of its own.
        """
        cls = type(self)
        if "json_type" not in vars(cls):
            raise SpecError(
                f"{cls.__module__}.{cls.__qualname__} has no JSON form; only floto's own task "
                "and strategy classes can be encoded"
            )
        fields = {field.name: field.value_of(self) for field in self.json_fields}
        fields["type"] = self.json_type
        return {key: fields[key] for key in sorted(fields) if fields[key] is not None}

    serializable = to_dict  # the original package's name


class JSONEncoder(json.JSONEncoder):
    """Encodes floto tasks, strategies and specs by their JSON form, and dates as ISO text."""

    def default(self, o: Any) -> Any:
        if isinstance(o, JsonForm):
            return o.to_dict()
        if isinstance(o, (dt.datetime, dt.date, dt.time)):
            return o.isoformat()
        return super().default(o)


def json_kind(value: Any) -> str:
    """How JSON calls the kind of ``value`` ("an object", "a string"...), for messages."""
    kinds = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return kinds.get(type(value), type(value).__name__)


def as_object(value: Any, path: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else a SpecError naming ``path``."""
    if not isinstance(value, dict):
        raise SpecError(f"must be a JSON object, got {json_kind(value)}", path=path)
    return value


def lookup_type(document: dict[str, Any], allowed: Mapping[str, Any], path: str) -> Any:
    """The entry of ``allowed`` the document's ``type`` names (a SpecError otherwise)."""
    type_ = document.get("type")
    if not isinstance(type_, str):
        raise SpecError(f"needs a string 'type', got {type_!r}", path=path, field="type")
    if type_ not in allowed:
        raise SpecError(
            f"type {type_!r} is not allowed here (allowed: {', '.join(sorted(allowed))})",
            path=path,
            field="type",
        )
    return allowed[type_]


def _old_domain_field(json_type: str, path: str) -> None:
    """floto 0.0.3's specs carry a ``domain`` in each task: read with a DeprecationWarning,
    and unused (a task runs in its spec's domain)."""
    warnings.warn(
        f"{path or 'spec'}: the 'domain' field of a {json_type} is floto 0.0.3's; the task runs "
        "in its DeciderSpec's domain: remove the field",
        DeprecationWarning,
        stacklevel=2,
    )


def decode_form(allowed: Mapping[str, type[Form]], value: Any, path: str) -> Form:
    """Build the object a document describes, from the classes in ``allowed`` only."""
    document = as_object(value, path)
    cls = lookup_type(document, allowed, path)
    fields = {field.name: field for field in cls.json_fields}
    for key in document:
        if key == "domain" and key not in fields:
            _old_domain_field(cls.json_type, path)
        elif key != "type" and key not in fields:
            raise SpecError(f"unknown field {key!r} for {cls.json_type}", path=path)
    kwargs: dict[str, Any] = {}
    for name, field in fields.items():
        given = document.get(name)
        if given is None:
            if field.required:
                raise SpecError(
                    f"required field of {cls.json_type} is missing", path=path, field=name
                )
            continue
        kwargs[name] = field.decode(given, path) if field.decode is not None else given
    return construct(cls, kwargs, path)


def construct(factory: Callable[..., Form], kwargs: dict[str, Any], path: str) -> Form:
    """``factory(**kwargs)``, with a SpecError's path prefixed by ``path``."""
    try:
        return factory(**kwargs)
    except SpecError as error:
        raise SpecError(error.reason, path=path, field=error.field) from None
