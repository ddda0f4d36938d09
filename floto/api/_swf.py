"""The SWF client: the one place floto talks to boto3."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import botocore.exceptions

from floto import observability
from floto.api import _fastparse as fastparse
from floto.api._client import make_client
from floto.api._domains import Domains
from floto.api._errors import (
    RETRYABLE_CODES,
    ConfigurationError,
    EndpointError,
    NetworkError,
    SwfError,
    ThrottledError,
    TypeAlreadyExistsError,
    ValidationError,
    client_error_details,
    error_for_code,
)
from floto.api._executions import ExecutionsMixin
from floto.api._history import HistoryMixin
from floto.api._payloads import NO_STORE_HINT, PayloadStore, reader_for, store_for
from floto.api._tasks import TasksMixin
from floto.api._types import ActivityType, WorkflowType
from floto.backoff import Backoff
from floto.errors import PayloadError, PayloadTooLargeError
from floto.limits import MAX_PAYLOAD_CHARS
from floto.wire import PayloadRef

log = logging.getLogger("floto.api")

_NETWORK_ERRORS = (
    botocore.exceptions.ConnectionClosedError,
    botocore.exceptions.ReadTimeoutError,
    botocore.exceptions.ConnectTimeoutError,
    botocore.exceptions.HTTPClientError,
)


class Swf(ExecutionsMixin, HistoryMixin, TasksMixin):
    """A client for SWF: one boto3 client, retries, paging and floto's errors.

    The endpoint is ``endpoint_url`` if given, else boto3's own ``AWS_ENDPOINT_URL_SWF`` /
    ``AWS_ENDPOINT_URL`` / config file, else AWS. For an endpoint that is not AWS (the local
    engine) the region defaults to ``us-east-1`` and dummy credentials are always used.

    Throttling, 5xx answers and dropped connections are retried ``max_attempts`` times in all
    with jittered exponential back-off; every error comes out as a :class:`SwfError`.

    Args:
        region_name: AWS region (else the session's).
        profile_name: AWS profile to read settings and credentials from.
        endpoint_url: SWF endpoint, e.g. ``http://127.0.0.1:8042`` for the local engine.
        client: a ready boto3 SWF client to use instead of building one.
        config: a ``botocore.config.Config`` merged over floto's (70 s read timeout).
        payload_store: where payloads over SWF's limits go: a :class:`PayloadStore`, an
            ``s3://bucket/prefix`` URL, ``False`` for none, or None (the default):
            ``FLOTO_PAYLOAD_STORE`` if set, else on the local engine a bucket of its own
            S3 (no setup), else none — then an oversized payload is refused with an error
            that says how to configure a store.

    Attributes:
        call_counts: requests sent, by SWF operation name (retries count), e.g.
            ``swf.call_counts["PollForDecisionTask"]``.
        domains: the :class:`Domains` helper.
    """

    max_attempts: int = 4
    retry_base_seconds: float = 0.2
    retry_cap_seconds: float = 5.0
    #: read history pages' events with ``json.loads`` rather than botocore's shape walk
    #: (floto.api._fastparse; the same values, a cold decision in half the CPU)
    fast_history: bool = True

    def __init__(
        self,
        region_name: str | None = None,
        profile_name: str | None = None,
        endpoint_url: str | None = None,
        *,
        client: Any = None,
        config: Any = None,
        payload_store: PayloadStore | str | bool | None = None,
    ) -> None:
        if client is None:
            client = make_client(region_name, profile_name, endpoint_url, config)
        self._client = client
        if self.fast_history:
            fastparse.install(client)
        self._lock = threading.Lock()
        self.call_counts: Counter[str] = Counter()
        self.domains = Domains(self)
        self._region = getattr(client.meta, "region_name", None) or region_name
        self.payload_store: PayloadStore | None = store_for(
            payload_store, self.endpoint_url, self._region
        )
        self._readers: dict[str, PayloadStore] = {}

    # -- payloads ------------------------------------------------------------------------------
    def fit_payload(self, text: str, *, what: str = "payload") -> str:
        """``text`` if it fits SWF's 32,768 characters, else the reference of a stored copy.

        Raises:
            PayloadTooLargeError: too long and no payload store is configured, or over the
                store's cap.
            PayloadError: the store could not be written.
        """
        if len(text) <= MAX_PAYLOAD_CHARS:
            return text
        return self.store_payload(text, what=what)

    def store_payload(self, text: str, *, what: str = "payload") -> str:
        """The reference (JSON text) of a copy of ``text`` in the payload store.

        Raises:
            PayloadTooLargeError: no payload store is configured, or over its cap.
            PayloadError: the store could not be written.
        """
        if self.payload_store is None:
            raise PayloadTooLargeError(
                what, size=len(text), limit=MAX_PAYLOAD_CHARS, hint=NO_STORE_HINT
            )
        return self.payload_store.put(text, what=what).to_text()

    def resolve_payload(self, ref: PayloadRef) -> str:
        """The text a payload reference stands for (the resolver :mod:`floto.history` takes).

        Read through the configured store, else through a reader for the reference's bucket.

        Raises:
            PayloadError: the object cannot be read, or is corrupt.
        """
        if not isinstance(ref, PayloadRef):
            raise PayloadError(f"not a payload reference: {ref!r}")
        store = self.payload_store
        bucket, _ = ref.bucket_and_key
        if store is None or store.bucket != bucket:
            store = self._readers.get(bucket)
            if store is None:
                store = reader_for(ref, self.endpoint_url, self._region)
                self._readers[bucket] = store
        return store.get(ref)

    @property
    def client(self) -> Any:
        """The boto3 SWF client every call of this Swf goes through."""
        return self._client

    @property
    def endpoint_url(self) -> str:
        """The endpoint requests go to."""
        return self._client.meta.endpoint_url

    def __repr__(self) -> str:
        return f"Swf(endpoint_url={self.endpoint_url!r})"

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """Call boto3's ``operation`` with retries, translating every error into floto's."""
        api_name = self._client.meta.method_to_api_mapping.get(operation, operation)
        method = getattr(self._client, operation)
        backoff = Backoff(self.retry_base_seconds, self.retry_cap_seconds)
        for attempt in range(1, self.max_attempts + 1):
            with self._lock:
                self.call_counts[api_name] += 1
            try:
                return method(**kwargs)
            except Exception as error:
                translated, retryable = self._translate(error, api_name)
                if isinstance(translated, ThrottledError):
                    observability.throttled(api_name)
                if translated is not error:
                    translated.__cause__ = error
            if not retryable or attempt == self.max_attempts:
                if isinstance(translated, SwfError):
                    translated.attempts = attempt
                raise translated
            delay = backoff.next_delay()
            log.info(
                "%s failed (%s), attempt %d of %d; retrying in %.2f s",
                api_name, translated, attempt, self.max_attempts, delay,
            )  # fmt: skip
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _translate(self, error: Exception, api_name: str) -> tuple[Exception, bool]:
        """(floto error, whether retrying may help) for an exception from boto3."""
        if isinstance(error, botocore.exceptions.ClientError):
            code, message, status = client_error_details(error.response)
            retryable = code in RETRYABLE_CODES or status >= 500
            return error_for_code(code, message, api_name), retryable
        if isinstance(error, botocore.exceptions.EndpointConnectionError):
            endpoint = self.endpoint_url
            message = f"could not connect to the SWF endpoint {endpoint} ({error})."
            return EndpointError(message, endpoint=endpoint, operation=api_name), False
        if isinstance(error, _NETWORK_ERRORS):
            return NetworkError(str(error), code="NetworkError", operation=api_name), True
        if isinstance(error, botocore.exceptions.ParamValidationError):
            return ValidationError(str(error), code="ParamValidation", operation=api_name), False
        if isinstance(error, botocore.exceptions.NoCredentialsError):
            message = "no AWS credentials found; configure them (e.g. `aws configure`) "
            message += "or set AWS_ENDPOINT_URL_SWF to use the local engine (`floto local`)"
            return ConfigurationError(message, code="NoCredentials", operation=api_name), False
        if isinstance(error, botocore.exceptions.BotoCoreError):
            return SwfError(str(error), code=type(error).__name__, operation=api_name), False
        return error, False

    def _paged(self, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        """Items under ``key`` of every page of ``operation`` (follows ``nextPageToken``)."""
        token = None
        while True:
            response = self._call(
                operation, **kwargs, **({"nextPageToken": token} if token else {})
            )
            yield from response.get(key, [])
            token = response.get("nextPageToken")
            if not token:
                return

    def register_workflow_type(self, workflow_type: WorkflowType) -> bool:
        """Register a workflow type; True if registered now, False if it already existed.

        Raises:
            SwfError: any error other than "already exists" (e.g. unknown domain).
        """
        return self._register("register_workflow_type", workflow_type, WorkflowType)

    def register_activity_type(self, activity_type: ActivityType) -> bool:
        """Register an activity type; True if registered now, False if it already existed.

        Raises:
            SwfError: any error other than "already exists" (e.g. unknown domain).
        """
        return self._register("register_activity_type", activity_type, ActivityType)

    def _register(
        self, operation: str, swf_type: Any, expected: type[WorkflowType | ActivityType]
    ) -> bool:
        if not isinstance(swf_type, expected):
            raise TypeError(f"{operation} takes a floto.api.{expected.__name__}, got {swf_type!r}")
        try:
            self._call(operation, **swf_type.swf_attributes)
        except TypeAlreadyExistsError:
            log.debug("%r already registered", swf_type)
            return False
        return True
