"""floto's SWF client: the one boundary between floto and boto3.

``Swf`` wraps one boto3 client with retries, paging, payload checks and floto's errors;
``WorkflowType`` and ``ActivityType`` describe what to register.
"""

from floto.api._client import default_identity, is_aws_endpoint
from floto.api._domains import Domains
from floto.api._errors import (
    ConfigurationError,
    DefaultUndefinedError,
    DomainAlreadyExistsError,
    DomainDeprecatedError,
    EndpointError,
    LimitExceededError,
    NetworkError,
    OperationNotPermittedError,
    SwfError,
    ThrottledError,
    TypeAlreadyExistsError,
    TypeDeprecatedError,
    UnknownResourceError,
    ValidationError,
    WorkflowAlreadyStartedError,
)
from floto.api._payloads import PayloadStore
from floto.api._swf import Swf
from floto.api._types import ActivityType, WorkflowType

__all__ = [
    "ActivityType",
    "ConfigurationError",
    "DefaultUndefinedError",
    "DomainAlreadyExistsError",
    "DomainDeprecatedError",
    "Domains",
    "EndpointError",
    "LimitExceededError",
    "NetworkError",
    "OperationNotPermittedError",
    "PayloadStore",
    "Swf",
    "SwfError",
    "ThrottledError",
    "TypeAlreadyExistsError",
    "TypeDeprecatedError",
    "UnknownResourceError",
    "ValidationError",
    "WorkflowAlreadyStartedError",
    "WorkflowType",
    "default_identity",
    "is_aws_endpoint",
]
