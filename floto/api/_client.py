"""Building the one boto3 SWF client a :class:`~floto.api.Swf` uses.

Requests to an endpoint that is not AWS (the local engine) always carry dummy credentials, so
real credentials are never sent anywhere but AWS.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any
from urllib.parse import urlparse

import boto3
import botocore.config
import botocore.exceptions

from floto.api._errors import ConfigurationError, EndpointError
from floto.limits import MAX_ID_CHARS

log = logging.getLogger("floto.api")

LOCAL_REGION = "us-east-1"
"""Region used for a non-AWS endpoint when none is configured."""

DUMMY_CREDENTIALS = {"aws_access_key_id": "floto-local", "aws_secret_access_key": "floto-local"}

_AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


def default_identity() -> str:
    """``<host name>:<process id>``: how deciders and workers name themselves to SWF by default
    (it tells racing pollers apart in a history)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:MAX_ID_CHARS]


def default_config(config: Any = None) -> botocore.config.Config:
    """floto's client config (70 s read timeout > SWF's 60 s long poll), merged with ``config``.

    botocore's own retries are off: :meth:`Swf._call` retries, so every attempt is counted.
    """
    base = botocore.config.Config(
        connect_timeout=10,
        read_timeout=70,
        retries={"total_max_attempts": 1, "mode": "standard"},
        user_agent_extra="floto",
    )
    return base.merge(config) if config is not None else base


def is_aws_endpoint(endpoint: str | None) -> bool:
    """Whether ``endpoint`` is an AWS host (None means boto3's default, which is AWS)."""
    if endpoint is None:
        return True
    host = (urlparse(endpoint).hostname or "").lower()
    return host.endswith(_AWS_HOST_SUFFIXES)


def make_client(
    region_name: str | None,
    profile_name: str | None,
    endpoint_url: str | None,
    config: Any,
    service: str = "swf",
) -> Any:
    """A boto3 client of ``service`` (SWF unless told) for the given settings (see
    :class:`floto.api.Swf`).

    Raises:
        ConfigurationError: unknown profile, or an AWS endpoint with no region configured.
        EndpointError: ``endpoint_url`` (or the configured endpoint) is not a usable URL.
    """
    try:
        session = boto3.session.Session(profile_name=profile_name)
    except botocore.exceptions.ProfileNotFound as error:
        raise ConfigurationError(f"AWS profile {profile_name!r} not found: {error}") from None
    region = region_name or session.region_name
    config = default_config(config)
    if endpoint_url is not None and not is_aws_endpoint(endpoint_url):
        return _client(session, region or LOCAL_REGION, endpoint_url, config, True, service)
    # Let boto3 resolve the endpoint (endpoint_url, AWS_ENDPOINT_URL_SWF, AWS_ENDPOINT_URL,
    # the config file). boto3 reads credentials lazily, so this client has sent nothing yet.
    client = _client(session, region or LOCAL_REGION, endpoint_url, config, False, service)
    resolved = client.meta.endpoint_url
    if not is_aws_endpoint(resolved):
        log.debug("%s endpoint %s is not AWS: using dummy credentials", service, resolved)
        return _client(session, region or LOCAL_REGION, resolved, config, True, service)
    if region is None:
        raise ConfigurationError(
            f"no AWS region configured for {service.upper()}: pass Swf(region_name=...), set "
            "AWS_DEFAULT_REGION, or set AWS_ENDPOINT_URL_SWF to use the local engine "
            "(`floto local`)"
        )
    return client


def _client(
    session: Any, region: str, endpoint: str | None, config: Any, dummy: bool, service: str
) -> Any:
    credentials = DUMMY_CREDENTIALS if dummy else {}
    if service == "s3" and (dummy or (endpoint and not is_aws_endpoint(endpoint))):
        # a local S3 (the engine) answers path-style requests only
        config = config.merge(botocore.config.Config(s3={"addressing_style": "path"}))
    try:
        return session.client(
            service, region_name=region, endpoint_url=endpoint, config=config, **credentials
        )
    except ValueError as error:  # botocore: "Invalid endpoint: ..."
        raise EndpointError(
            f"{service.upper()} endpoint {endpoint!r} is not a valid URL ({error}); expected e.g. "
            "http://127.0.0.1:4566.",
            endpoint=endpoint,
        ) from None
