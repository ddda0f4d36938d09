"""Building the one boto3 SWF client a :class:`~floto.api.Swf` uses.

Requests to an endpoint that is not AWS (the local engine) always carry dummy credentials, so
real credentials are never sent anywhere but AWS.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
from urllib3.util import parse_url

from floto.api._endpoint import read_endpoint
from floto.api._errors import ConfigurationError, EndpointError
from floto.hosts import is_aws_host
from floto.limits import MAX_ID_CHARS

log = logging.getLogger("floto.api")

LOCAL_REGION = "us-east-1"
"""Region used for a non-AWS endpoint when none is configured."""

DUMMY_CREDENTIALS = {"aws_access_key_id": "floto-local", "aws_secret_access_key": "floto-local"}


def _endpoint_variables(service: str) -> tuple[str, str]:
    """The variables boto3 reads a service's endpoint from, most specific first."""
    return (f"AWS_ENDPOINT_URL_{service.upper()}", "AWS_ENDPOINT_URL")


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
    """Whether ``endpoint`` is an AWS host (None means boto3's default, which is AWS).

    Raises:
        EndpointError: the URL is malformed or its host ambiguous (see :func:`read_endpoint`).
    """
    return endpoint is None or read_endpoint(endpoint).is_aws


def make_client(
    region_name: str | None,
    profile_name: str | None,
    endpoint_url: str | None,
    config: Any,
    service: str = "swf",
) -> Any:
    """A boto3 client of ``service`` (SWF unless told) for the given settings (see
    :class:`floto.api.Swf`).

    Whether requests go to AWS is decided from the host the connection will use; only then
    are the configured credentials used. Anywhere else gets dummy ones.

    Raises:
        ConfigurationError: unknown profile, or an AWS endpoint with no region configured.
        EndpointError: ``endpoint_url`` (or the configured endpoint, named by its variable)
            is not a usable URL, or its host is ambiguous.
    """
    try:
        session = boto3.session.Session(profile_name=profile_name)
    except botocore.exceptions.ProfileNotFound as error:
        raise ConfigurationError(f"AWS profile {profile_name!r} not found: {error}") from None
    region = region_name or session.region_name
    config = default_config(config)
    if endpoint_url is not None and not read_endpoint(endpoint_url, "endpoint_url").is_aws:
        return _client(session, region or LOCAL_REGION, endpoint_url, config, True, service)
    # Let boto3 resolve the endpoint (endpoint_url, AWS_ENDPOINT_URL_SWF, AWS_ENDPOINT_URL,
    # the config file). boto3 reads credentials lazily, so this client has sent nothing yet.
    client = _client(session, region or LOCAL_REGION, endpoint_url, config, False, service)
    resolved = client.meta.endpoint_url
    source = "endpoint_url" if endpoint_url is not None else _source_of(resolved, service)
    if not read_endpoint(resolved, source).is_aws:
        log.debug("%s endpoint %s is not AWS: using dummy credentials", service, resolved)
        return _client(session, region or LOCAL_REGION, resolved, config, True, service)
    if region is None:
        raise ConfigurationError(
            f"no AWS region configured for {service.upper()}: pass Swf(region_name=...), set "
            "AWS_DEFAULT_REGION, or set AWS_ENDPOINT_URL_SWF to use the local engine "
            "(`floto local`)"
        )
    client.meta.events.register(f"before-sign.{service}", _refuse_to_sign_for_other_hosts)
    return client


def _refuse_to_sign_for_other_hosts(request: Any, **_: Any) -> None:
    """Last check before real credentials sign a request: its URL's host, as urllib3 (which
    sends it) reads it, is AWS."""
    host = parse_url(request.url).host
    if not is_aws_host(host):
        raise EndpointError(
            f"refusing to sign a request for {host!r} with AWS credentials: not an AWS host",
            endpoint=request.url,
        )


def _source_of(resolved: str | None, service: str) -> str:
    """Which setting gave boto3 the endpoint ``resolved``, to name it in errors."""
    for variable in _endpoint_variables(service):
        if resolved is not None and os.environ.get(variable) == resolved:
            return variable
    return "the endpoint_url of the AWS config file"


def _configured_source(service: str) -> str:
    """The setting boto3 takes the endpoint from when none is given (by its precedence)."""
    ignored = os.environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true"
    for variable in () if ignored else _endpoint_variables(service):
        if os.environ.get(variable):
            return variable
    return "the endpoint_url of the AWS config file"


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
        source = "endpoint_url" if endpoint is not None else _configured_source(service)
        value = endpoint if endpoint is not None else os.environ.get(source)
        raise EndpointError(
            f"{source}={value!r:.200} is not a valid {service.upper()} endpoint URL ({error}); "
            "expected e.g. http://127.0.0.1:4566.",
            endpoint=value,
        ) from None
