"""SWF errors as floto errors: botocore's exceptions are translated here and nowhere else."""

from __future__ import annotations

import re
from typing import Any

from floto.errors import FlotoError

_LOCAL_HINT = (
    "Start the local engine with `floto local` and point AWS_ENDPOINT_URL_SWF at it, "
    "or unset AWS_ENDPOINT_URL_SWF (and AWS_ENDPOINT_URL) to use AWS."
)


class SwfError(FlotoError):
    """An SWF call failed; ``code`` is SWF's error code, ``operation`` the API operation,
    ``attempts`` how many times floto sent the call (more than 1: an earlier attempt may have
    taken effect even though its answer was lost)."""

    def __init__(self, message: str, *, code: str | None = None, operation: str | None = None):
        self.code = code
        self.operation = operation
        self.message = message
        self.attempts = 1
        prefix = f"{operation}: " if operation else ""
        suffix = f" ({code})" if code else ""
        super().__init__(f"{prefix}{message}{suffix}")


class UnknownResourceError(SwfError):
    """The domain, type, execution or task token is unknown (or the task timed out)."""


class DomainAlreadyExistsError(SwfError):
    """The domain is already registered."""


class DomainDeprecatedError(SwfError):
    """The domain is deprecated."""


class TypeAlreadyExistsError(SwfError):
    """The workflow or activity type is already registered."""


class TypeDeprecatedError(SwfError):
    """The workflow or activity type is deprecated."""


class WorkflowAlreadyStartedError(SwfError):
    """An open execution with this workflow id already exists in the domain."""


class LimitExceededError(SwfError):
    """An SWF limit (open executions, registered types, ...) would be exceeded."""


class OperationNotPermittedError(SwfError):
    """The caller may not perform this operation."""


class DefaultUndefinedError(SwfError):
    """A required value has no default on the registered type and was not given."""


class ThrottledError(SwfError):
    """SWF kept throttling the call after floto's retries."""


class NetworkError(SwfError):
    """The connection to SWF kept failing (reset, timed out) after floto's retries."""


class ValidationError(SwfError, ValueError):
    """SWF (or botocore, before sending) rejected the request's parameters."""


class ConfigurationError(SwfError, ValueError):
    """The client cannot be built: no region, unknown profile, or a bad endpoint."""


class EndpointError(ConfigurationError):
    """The SWF endpoint is unreachable or malformed; ``endpoint`` names it."""

    def __init__(self, message: str, *, endpoint: str | None, operation: str | None = None):
        self.endpoint = endpoint
        super().__init__(f"{message} {_LOCAL_HINT}", code="EndpointError", operation=operation)


_BY_CODE: dict[str, type[SwfError]] = {
    "UnknownResourceFault": UnknownResourceError,
    "DomainAlreadyExistsFault": DomainAlreadyExistsError,
    "DomainDeprecatedFault": DomainDeprecatedError,
    "TypeAlreadyExistsFault": TypeAlreadyExistsError,
    "TypeDeprecatedFault": TypeDeprecatedError,
    "WorkflowExecutionAlreadyStartedFault": WorkflowAlreadyStartedError,
    "LimitExceededFault": LimitExceededError,
    "OperationNotPermittedFault": OperationNotPermittedError,
    "DefaultUndefinedFault": DefaultUndefinedError,
    "ThrottlingException": ThrottledError,
    "ValidationException": ValidationError,
    "ValidationError": ValidationError,
}

RETRYABLE_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)


def error_for_code(code: str | None, message: str, operation: str | None) -> SwfError:
    """The floto error for an SWF error code (``SwfError`` for codes without a subclass)."""
    cls = _BY_CODE.get(code or "", SwfError)
    return cls(message, code=code, operation=operation)


def client_error_details(response: dict[str, Any]) -> tuple[str | None, str, int]:
    """(code, message, HTTP status) of a botocore ClientError response."""
    error = response.get("Error") or {}
    code = error.get("Code") or None
    message = error.get("Message") or "no message"
    status = int((response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0)
    # SWF's JSON protocol sends the code as "com.amazonaws.swf.base.model#UnknownResourceFault".
    if code and "#" in code:
        code = code.rsplit("#", 1)[1]
    if "<" in message:  # an HTML error page (a proxy, or a local server's crash page)
        message = " ".join(re.sub(r"<[^>]*>", " ", message).split())
    if len(message) > 500:
        message = message[:497] + "..."
    if code is None or code.isdigit():
        code = f"HTTP{status or code}"
    return code, message, status
