"""Whether a host is AWS: the one answer floto.api (endpoints, credentials), floto.dsl (payload
warnings) and the command line (hints) give. Stdlib only, at the bottom layer.

floto.api reads a URL's host the way the connection will (``floto.api.is_aws_endpoint``)
and asks :func:`is_aws_host`; code holding a host asks it directly.
"""

from __future__ import annotations

AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
"""Hosts ending so are AWS service hosts (``swf.us-east-1.amazonaws.com``...)."""


def is_aws_host(host: str | None) -> bool:
    """Whether ``host`` (as a connection would use it) is an AWS service host; a trailing dot
    names the same host, case does not matter, IPv6 brackets are ignored."""
    if not host:
        return False
    name = host.lower().strip("[]").removesuffix(".")
    return name.endswith(AWS_HOST_SUFFIXES) or f".{name}" in AWS_HOST_SUFFIXES
