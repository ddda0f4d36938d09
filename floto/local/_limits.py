"""Request validation against SWF's own API model, with SWF's error shape.

Every length and range constraint of the botocore model of SWF (input, result, details and
control ≤ 32,768 characters, reasons and ids ≤ 256, page sizes ≤ 1,000, ...) is checked on
every request, nested decisions included, and refused as AWS refuses it: a
``ValidationException`` naming the member path. Ids (activity, timer and workflow ids) must
also follow SWF's documented character rule: no ``:``, ``/``, ``|``, control characters, and
not the literal ``arn``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from moto.swf.exceptions import SWFValidationException

_ID_SHAPES = frozenset({"ActivityId", "TimerId", "WorkflowId"})
_ID_FORBIDDEN = re.compile(r"[:/|\x00-\x1f\x7f-\x9f]")
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


def _check_string(shape: Any, value: str, where: str, problems: list[str]) -> None:
    meta = shape.metadata
    if shape.enum and value not in shape.enum:
        problems.append(
            f"Value '{_shown(value)}' at '{where}' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
        )
    if "max" in meta and len(value) > meta["max"]:
        problems.append(
            f"Value '{_shown(value)}' at '{where}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {meta['max']}"
        )
    elif "min" in meta and len(value) < meta["min"]:
        problems.append(
            f"Value '{_shown(value)}' at '{where}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {meta['min']}"
        )
    if shape.name in _ID_SHAPES and (_ID_FORBIDDEN.search(value) or value == "arn"):
        problems.append(
            f"Value '{_shown(value)}' at '{where}' failed to satisfy constraint: Member must "
            "not contain ':', '/', '|' or a control character, and must not be 'arn'"
        )


def _check_integer(shape: Any, value: Any, where: str, problems: list[str]) -> None:
    meta = shape.metadata
    if not isinstance(value, int) or isinstance(value, bool):
        return
    if "max" in meta and value > meta["max"]:
        problems.append(
            f"Value '{value}' at '{where}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {meta['max']}"
        )
    elif "min" in meta and value < meta["min"]:
        problems.append(
            f"Value '{value}' at '{where}' failed to satisfy constraint: "
            f"Member must have value greater than or equal to {meta['min']}"
        )


def _walk(shape: Any, value: Any, where: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "string" and not isinstance(value, str):
        problems.append(f"Value at '{where}' failed to satisfy constraint: Member must be a string")
    elif kind == "string":
        _check_string(shape, value, where, problems)
    elif kind == "integer":
        _check_integer(shape, value, where, problems)
    elif kind == "structure" and isinstance(value, dict):
        for name in shape.required_members:
            if value.get(name) is None:
                path = f"{where}.{name}" if where else name
                problems.append(
                    f"Value null at '{path}' failed to satisfy constraint: Member must not be null"
                )
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                _walk(member, value[name], f"{where}.{name}" if where else name, problems)
    elif kind == "list" and isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _walk(shape.member, item, f"{where}.{index}.member", problems)


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
