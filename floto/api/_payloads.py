"""The payload store: payloads too large for SWF's fields go to S3, and SWF holds a small
reference (:class:`floto.wire.PayloadRef`) instead.

Objects are content-addressed (``<prefix>/<sha256 of the text>``): writing the same payload
twice (a retried response, a re-run, a decider planning a context again) writes one object,
and a reader checks the size and checksum of what it gets. Payloads within SWF's limits never
reach this module.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import Counter, OrderedDict
from typing import Any

import botocore.config
import botocore.exceptions

from floto.api._client import is_aws_endpoint, make_client
from floto.errors import PayloadError, PayloadTooLargeError
from floto.wire import PayloadRef

log = logging.getLogger("floto.api")

STORE_VARIABLE = "FLOTO_PAYLOAD_STORE"
"""``s3://bucket/prefix`` of the payload store (``off`` disables the local default)."""

MAX_BYTES_VARIABLE = "FLOTO_PAYLOAD_MAX_BYTES"
"""Overrides the cap on one stored payload (bytes)."""

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""The largest payload floto stores by default (64 MiB): larger ones are refused."""

LOCAL_BUCKET = "floto-payloads"
"""The bucket used on a local engine when no store is configured (created on first use)."""

DEFAULT_PREFIX = "floto/payloads"

NO_STORE_HINT = (
    "configure a payload store to send it through S3: "
    "floto.api.Swf(payload_store='s3://BUCKET/PREFIX') or the environment variable "
    f"{STORE_VARIABLE}=s3://BUCKET/PREFIX"
)

_OFF = frozenset({"", "off", "none", "false", "0"})
_TRANSIENT_CODES = frozenset(
    {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "InternalError",
     "ServiceUnavailable", "RequestTimeTooSkewed"}
)  # fmt: skip


def _s3_config() -> botocore.config.Config:
    return botocore.config.Config(
        connect_timeout=10,
        read_timeout=120,
        retries={"total_max_attempts": 4, "mode": "standard"},
        user_agent_extra="floto",
    )


def _max_bytes_from_environment() -> int:
    text = os.environ.get(MAX_BYTES_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    try:
        value = int(text)
    except ValueError:
        message = f"{MAX_BYTES_VARIABLE} must be a whole number of bytes, got {text!r}"
        raise ValueError(message) from None
    if value <= 0:
        raise ValueError(f"{MAX_BYTES_VARIABLE} must be positive, got {value}")
    return value


def parse_store_url(url: str) -> tuple[str, str]:
    """``(bucket, prefix)`` of ``s3://bucket/prefix``.

    Raises:
        ValueError: not an ``s3://`` URL with a bucket.
    """
    if not isinstance(url, str) or not url.startswith("s3://"):
        raise ValueError(f"a payload store is an s3://BUCKET/PREFIX URL, got {url!r}")
    bucket, _, prefix = url[len("s3://") :].partition("/")
    if not bucket:
        raise ValueError(f"the payload store URL {url!r} names no bucket")
    return bucket, prefix.strip("/")


class PayloadStore:
    """An S3 bucket and prefix where floto keeps payloads over SWF's limits.

    Args:
        bucket: the S3 bucket.
        prefix: key prefix of the objects (``floto/payloads`` by default).
        client: a ready boto3 S3 client (else one is made on first use).
        endpoint_url: S3 endpoint (else boto3's: ``AWS_ENDPOINT_URL_S3``, ... or AWS).
        region_name, profile_name: as for :class:`floto.api.Swf`.
        max_bytes: the cap: a larger payload is refused (default 64 MiB, or
            ``FLOTO_PAYLOAD_MAX_BYTES``).
        create_bucket: create the bucket when a write finds it missing (the local default).
        cache_bytes: payloads kept in memory (LRU) so a process reads each one once.

    Attributes:
        call_counts: S3 requests sent, by operation (``PutObject``, ``GetObject``, ...).
    """

    def __init__(
        self,
        bucket: str,
        prefix: str = DEFAULT_PREFIX,
        *,
        client: Any = None,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        profile_name: str | None = None,
        max_bytes: int | None = None,
        create_bucket: bool = False,
        cache_bytes: int = 32 * 1024 * 1024,
    ) -> None:
        if not isinstance(bucket, str) or not bucket or "/" in bucket:
            raise ValueError(f"bucket must be an S3 bucket name, got {bucket!r}")
        self.bucket, self.prefix = bucket, (prefix or "").strip("/")
        self.max_bytes = _max_bytes_from_environment() if max_bytes is None else int(max_bytes)
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {max_bytes!r}")
        self.create_bucket = create_bucket
        self.cache_bytes = cache_bytes
        self._client = client
        self._client_args = (region_name, profile_name, endpoint_url)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cached_bytes = 0
        self.call_counts: Counter[str] = Counter()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> PayloadStore:
        """A store for ``s3://bucket/prefix`` (other arguments as for the constructor)."""
        bucket, prefix = parse_store_url(url)
        return cls(bucket, prefix or DEFAULT_PREFIX, **kwargs)

    @property
    def url(self) -> str:
        """``s3://bucket/prefix``."""
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    @property
    def client(self) -> Any:
        """The boto3 S3 client (made on first use: small payloads never need one)."""
        if self._client is None:
            region, profile, endpoint = self._client_args
            self._client = make_client(region, profile, endpoint, _s3_config(), service="s3")
        return self._client

    def __repr__(self) -> str:
        return f"PayloadStore({self.url!r}, max_bytes={self.max_bytes:,})"

    # -- writing -----------------------------------------------------------------------------
    def put(self, text: str, *, what: str = "payload") -> PayloadRef:
        """Store ``text``; returns its reference.

        Raises:
            PayloadTooLargeError: the text is over the cap (``max_bytes``).
            PayloadError: S3 refused or could not be reached.
        """
        data = text.encode("utf-8")
        if len(data) > self.max_bytes:
            raise PayloadTooLargeError(
                what, size=len(data), limit=self.max_bytes, unit="bytes",
                limit_name="floto's payload cap",
                hint=f"payloads that large belong in your own storage; pass a reference to it "
                f"instead (or raise the cap: PayloadStore(max_bytes=...) or {MAX_BYTES_VARIABLE})",
            )  # fmt: skip
        digest = hashlib.sha256(data).hexdigest()
        key = f"{self.prefix}/{digest}" if self.prefix else digest
        ref = PayloadRef(f"s3://{self.bucket}/{key}", len(data), digest)
        with self._lock:
            if ref.url in self._cache:  # written (or read) by this process already
                self._cache.move_to_end(ref.url)
                return ref
        self._put_object(key, data, ref.url)
        self._remember(ref.url, text)
        log.debug("stored %s (%s bytes) at %s", what, f"{len(data):,}", ref.url)
        return ref

    def _put_object(self, key: str, data: bytes, url: str) -> None:
        try:
            self._call("PutObject", Bucket=self.bucket, Key=key, Body=data)
        except PayloadError as error:
            if not (self.create_bucket and isinstance(error.__cause__, _NoSuchBucket)):
                raise
            log.info("creating the payload bucket %s", self.bucket)
            try:
                self._call("CreateBucket", Bucket=self.bucket)
            except PayloadError as create_error:
                if "BucketAlreadyOwnedByYou" not in str(create_error):
                    raise
            self._call("PutObject", Bucket=self.bucket, Key=key, Body=data)

    # -- named objects (task logs) ---------------------------------------------------------------
    def put_named(self, name: str, text: str) -> str:
        """Store ``text`` under ``<prefix>/<name>`` (replacing what was there, unlike
        payloads); returns its ``s3://`` URL. Used for task logs (``floto.wire.task_log_key``).

        Raises:
            PayloadTooLargeError: over the cap. PayloadError: S3 refused or is unreachable.
        """
        data = text.encode("utf-8")
        if len(data) > self.max_bytes:
            raise PayloadTooLargeError(name, size=len(data), limit=self.max_bytes, unit="bytes",
                                       limit_name="floto's payload cap")  # fmt: skip
        key = f"{self.prefix}/{name}" if self.prefix else name
        url = f"s3://{self.bucket}/{key}"
        self._put_object(key, data, url)
        return url

    def get_named(self, name: str) -> str | None:
        """The text stored under ``<prefix>/<name>``, or None if there is none.

        Raises:
            PayloadError: S3 refused (other than a missing object or bucket) or is unreachable.
        """
        key = f"{self.prefix}/{name}" if self.prefix else name
        url = f"s3://{self.bucket}/{key}"
        try:
            response = self._call("GetObject", Bucket=self.bucket, Key=key, url=url)
        except PayloadError as error:
            if isinstance(error.__cause__, _NoSuchBucket) or "does not exist" in str(error):
                return None
            raise
        data = response["Body"].read(self.max_bytes + 1)
        return data.decode("utf-8", errors="replace")

    # -- reading -----------------------------------------------------------------------------
    def get(self, ref: PayloadRef) -> str:
        """The text ``ref`` stands for, checked against its size and SHA-256 (at most the
        reference's size plus one byte is read, and no more than the cap).

        Raises:
            PayloadError: missing or corrupt object, over the cap, or S3 could not be reached.
        """
        with self._lock:
            cached = self._cache.get(ref.url)
            if cached is not None:
                self._cache.move_to_end(ref.url)
                return cached
        if ref.size > self.max_bytes:
            raise PayloadError(
                f"{ref.url} claims {ref.size:,} bytes, over floto's payload cap of "
                f"{self.max_bytes:,}: not read", url=ref.url,
            )  # fmt: skip
        bucket, key = ref.bucket_and_key
        # one byte more than the reference says: a larger object is caught without reading it
        response = self._call(
            "GetObject", Bucket=bucket, Key=key, Range=f"bytes=0-{ref.size}", url=ref.url
        )
        try:
            data = response["Body"].read()
        except (botocore.exceptions.BotoCoreError, OSError) as error:
            raise PayloadError(f"reading {ref.url} failed: {error}", url=ref.url,
                               transient=True) from None  # fmt: skip
        if len(data) != ref.size or hashlib.sha256(data).hexdigest() != ref.sha256:
            raise PayloadError(
                f"the stored payload {ref.url} is corrupt: {len(data):,} bytes whose SHA-256 "
                f"does not match the reference ({ref.size:,} bytes, {ref.sha256[:12]}...)",
                url=ref.url,
            )
        text = data.decode("utf-8")
        self._remember(ref.url, text)
        return text

    def _remember(self, url: str, text: str) -> None:
        size = len(text)
        if size > self.cache_bytes:
            return
        with self._lock:
            if url not in self._cache:
                self._cache[url] = text
                self._cached_bytes += size
            while self._cached_bytes > self.cache_bytes and self._cache:
                _, dropped = self._cache.popitem(last=False)
                self._cached_bytes -= len(dropped)

    # -- S3 calls ----------------------------------------------------------------------------
    def _call(self, operation: str, *, url: str | None = None, **kwargs: Any) -> Any:
        method = {"PutObject": "put_object", "GetObject": "get_object",
                  "CreateBucket": "create_bucket"}[operation]  # fmt: skip
        with self._lock:
            self.call_counts[operation] += 1
        target = url or f"s3://{kwargs.get('Bucket')}/{kwargs.get('Key', '')}"
        try:
            return getattr(self.client, method)(**kwargs)
        except botocore.exceptions.ClientError as error:
            raise _store_error(error, operation, target) from _cause_of(error)
        except botocore.exceptions.BotoCoreError as error:
            raise PayloadError(
                f"payload store {operation} {target} failed: {error}", url=target, transient=True
            ) from error


class _NoSuchBucket(Exception):
    """Marks a PayloadError caused by a missing bucket (the bucket may be created)."""


def _cause_of(error: botocore.exceptions.ClientError) -> BaseException:
    code = (error.response.get("Error") or {}).get("Code")
    return _NoSuchBucket(code) if code == "NoSuchBucket" else error


def _store_error(
    error: botocore.exceptions.ClientError, operation: str, target: str
) -> PayloadError:
    details = error.response.get("Error") or {}
    code = str(details.get("Code") or "Unknown")
    status = int((error.response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0)
    transient = code in _TRANSIENT_CODES or status >= 500
    reason = {
        "NoSuchKey": "the object does not exist (deleted, or expired by a lifecycle rule?)",
        "NoSuchBucket": "the bucket does not exist",
        "AccessDenied": "access denied (the deciders and workers need s3:GetObject and "
        "s3:PutObject on the store)",
    }.get(code, f"{code}: {details.get('Message') or error}")
    return PayloadError(f"payload store {operation} {target}: {reason}", url=target,
                        transient=transient)  # fmt: skip


def store_for(setting: Any, swf_endpoint: str | None, region_name: str | None) -> Any:
    """The payload store a :class:`floto.api.Swf` uses, from its ``payload_store`` argument.

    ``None``: ``FLOTO_PAYLOAD_STORE`` if set, else (an SWF endpoint that is not AWS: the
    local engine) the bucket ``floto-payloads`` on the S3 endpoint (``AWS_ENDPOINT_URL_S3``,
    else the SWF endpoint: the engine serves S3 too), created on first use; else no store.
    ``False`` or ``"off"``: no store. A URL or a :class:`PayloadStore`: that store.
    """
    if isinstance(setting, PayloadStore):
        return setting
    if setting is False:
        return None
    local = swf_endpoint is not None and not is_aws_endpoint(swf_endpoint)
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or (swf_endpoint if local else None)
    if setting is None:
        setting = os.environ.get(STORE_VARIABLE)
        if setting is None:
            if not local:
                return None
            return PayloadStore(LOCAL_BUCKET, endpoint_url=endpoint, region_name=region_name,
                                create_bucket=True)  # fmt: skip
    if not isinstance(setting, str):
        raise TypeError(
            f"payload_store must be a PayloadStore, an s3:// URL, False or None, got {setting!r}"
        )
    if setting.strip().lower() in _OFF:
        return None
    return PayloadStore.from_url(
        setting.strip(), endpoint_url=endpoint, region_name=region_name, create_bucket=local
    )


def reader_for(ref: PayloadRef, swf_endpoint: str | None, region_name: str | None) -> PayloadStore:
    """A store that can read ``ref`` when none is configured (its bucket, default endpoint)."""
    bucket, _ = ref.bucket_and_key
    local = swf_endpoint is not None and not is_aws_endpoint(swf_endpoint)
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or (swf_endpoint if local else None)
    return PayloadStore(bucket, "", endpoint_url=endpoint, region_name=region_name)
