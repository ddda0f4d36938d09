"""Request validation against SWF's own API model, with SWF's error shape.

Every type, required member, length, list size and enum of the botocore model of SWF (input,
result, details and control ≤ 32,768 characters, reasons and ids ≤ 256, page sizes ≤ 1,000,
at most 5 tags...) is checked on every request, nested decisions included, and so are SWF's
rules on durations, names, task priorities and tags (floto.local._rules), before the request
changes anything. A request that breaks any is refused as AWS refuses it: a
``ValidationException`` (HTTP 400) naming each member path.
"""

from __future__ import annotations

import functools
from typing import Any

from moto.swf.exceptions import SWFValidationException

from floto.local import _rules

_MAX_SHOWN = 60


@functools.lru_cache(maxsize=1)
def _service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("swf")


def operation_names() -> list[str]:
    """The operations of SWF's API model (``PollForDecisionTask``...)."""
    return list(_service_model().operation_names)


def preload() -> None:
    """Load the SWF model now (at start-up) rather than on the first request."""
    _service_model()


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "..."


def _broken(value: Any, where: str, constraint: str) -> str:
    shown = _shown(value)
    return f"Value '{shown}' at '{where}' failed to satisfy constraint: Member must {constraint}"


def _check_string(
    shape: Any, value: str, where: str, rule: _rules.Rule | None, problems: list[str]
) -> None:
    meta = shape.metadata
    if shape.enum and value not in shape.enum:
        problems.append(_broken(value, where, f"satisfy enum value set: [{', '.join(shape.enum)}]"))
    if "max" in meta and len(value) > meta["max"]:
        problems.append(_broken(value, where, f"have length less than or equal to {meta['max']}"))
    elif "min" in meta and len(value) < meta["min"]:
        problems.append(
            _broken(value, where, f"have length greater than or equal to {meta['min']}")
        )
    elif rule is not None:
        problem = rule(value)
        if problem is not None:
            problems.append(_broken(value, where, problem))


def _check_size(shape: Any, size: int, what: str, where: str, problems: list[str]) -> None:
    meta = shape.metadata
    if "max" in meta and size > meta["max"]:
        problems.append(_broken(size, where, f"have {what} less than or equal to {meta['max']}"))
    elif "min" in meta and size < meta["min"]:
        problems.append(_broken(size, where, f"have {what} greater than or equal to {meta['min']}"))


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "timestamp": (int, float),
    "structure": (dict,),
    "list": (list,),
}
_TYPE_WORDS = {"integer": "an integer", "long": "an integer", "boolean": "a boolean",
               "timestamp": "a number of seconds since the epoch", "structure": "an object",
               "list": "a list", "string": "a string"}  # fmt: skip


def _of_type(kind: str, value: Any) -> bool:
    wanted = _PYTHON_TYPES.get(kind)
    if wanted is None:
        return True
    if isinstance(value, bool) and kind != "boolean":
        return False
    return isinstance(value, wanted)


def _walk(
    shape: Any, value: Any, where: str, problems: list[str], rule: _rules.Rule | None = None
) -> None:
    kind = shape.type_name
    if not _of_type(kind, value):
        problems.append(
            f"Value at '{where}' failed to satisfy constraint: Member must be {_TYPE_WORDS[kind]}"
        )
    elif kind == "string":
        _check_string(shape, value, where, rule, problems)
    elif kind in ("integer", "long"):
        _check_size(shape, value, "value", where, problems)
    elif kind == "structure":
        _walk_members(shape, value, where, problems)
    elif kind == "list":
        _check_size(shape, len(value), "length", where, problems)
        for index, item in enumerate(value, start=1):
            _walk(shape.member, item, f"{where}.{index}.member", problems, rule)


def _walk_members(shape: Any, value: dict[str, Any], where: str, problems: list[str]) -> None:
    for name in shape.required_members:
        if value.get(name) is None:
            path = f"{where}.{name}" if where else name
            problems.append(
                f"Value null at '{path}' failed to satisfy constraint: Member must not be null"
            )
    for name, member in shape.members.items():
        if name in value and value[name] is not None:
            item_shape = member.member if member.type_name == "list" else member
            rule = _rules.rule_for(name, item_shape.name, member.documentation or "")
            _walk(member, value[name], f"{where}.{name}" if where else name, problems, rule)


def validate_request(action: str, params: dict[str, Any]) -> None:
    """Raise SWF's ``ValidationException`` if ``params`` break the model's constraints."""
    try:
        shape = _service_model().operation_model(action).input_shape
    except Exception:  # an action the model does not know: moto answers for it
        return
    if shape is None:
        return
    problems: list[str] = []
    _walk(shape, params, "", problems)
    if problems:
        label = "error" if len(problems) == 1 else "errors"
        raise SWFValidationException(
            f"{len(problems)} validation {label} detected: " + "; ".join(problems)
        )
