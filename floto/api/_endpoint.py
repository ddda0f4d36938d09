"""Reading an SWF endpoint URL the way the connection will: which host, which port, and
whether that host is AWS (the only place real credentials may go).

Python's ``urllib.parse`` and urllib3 (which botocore connects with) read some URLs
differently: ``http://127.0.0.1:8042\\@swf.us-east-1.amazonaws.com`` is AWS to the first and
127.0.0.1 to the second. So floto refuses every URL whose host could be read two ways
(userinfo ``user@``, backslashes, percent-encoding, whitespace or control characters, non-ASCII
hosts, queries and fragments), checks that both parsers agree on the rest, and refuses ports
outside 1-65535 with a clear error instead of a ``ValueError`` at the first request.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.util import parse_url

from floto.api._errors import EndpointError
from floto.hosts import is_aws_host

_HOST_NAME = re.compile(r"[A-Za-z0-9.-]+")
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\%@?#]")
_EXAMPLE = "expected http(s)://host[:port], e.g. http://127.0.0.1:4566"

Refuse = Callable[[str], EndpointError]


@dataclass(frozen=True)
class Endpoint:
    """An endpoint URL read unambiguously: ``host`` (lower case, IPv6 without brackets)."""

    url: str
    scheme: str
    host: str
    port: int | None

    @property
    def is_aws(self) -> bool:
        """Whether the host is an AWS service host (:func:`floto.hosts.is_aws_host`)."""
        return is_aws_host(self.host)


def read_endpoint(url: object, source: str = "endpoint_url") -> Endpoint:
    """The host and port a connection to ``url`` will use.

    Args:
        url: the endpoint URL.
        source: where it came from (``endpoint_url``, ``AWS_ENDPOINT_URL_SWF``...), named in
            the error.

    Raises:
        EndpointError: the URL is malformed, or its host could be read more than one way.
    """

    def refuse(reason: str) -> EndpointError:
        return EndpointError(
            f"{source}={url!r:.200} is not a usable SWF endpoint: {reason}; {_EXAMPLE}.",
            endpoint=url if isinstance(url, str) else None,
        )

    if not isinstance(url, str):
        raise refuse(f"it must be a string, not {type(url).__name__}")
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise refuse("it needs an http:// or https:// scheme")
    authority = re.split(r"[/?#\\]", rest, maxsplit=1)[0]
    bad = _FORBIDDEN.search(url[len(scheme) + 3 :])
    if bad:
        raise refuse(_forbidden_reason(bad.group()))
    host, port = _split_host_port(authority, refuse)
    endpoint = Endpoint(url, scheme.lower(), host, port)
    _check_parsers_agree(endpoint, refuse)
    if endpoint.is_aws and endpoint.scheme != "https":
        raise refuse("an AWS endpoint must use https (the request is signed with real keys)")
    return endpoint


def _forbidden_reason(char: str) -> str:
    if char == "@":
        return "user information ('user@host') is not supported: it makes the host ambiguous"
    if char == "\\":
        return "a backslash makes the host ambiguous (parsers read it differently)"
    if char == "%":
        return "percent-encoding makes the host ambiguous; write the URL without it"
    if char in "?#":
        return "an endpoint URL has no query or fragment"
    return f"it contains the character {char!r} (whitespace or control)"


def _split_host_port(authority: str, refuse: Refuse) -> tuple[str, int | None]:
    if authority.startswith("["):
        literal, closed, after = authority[1:].partition("]")
        try:
            host = str(ipaddress.IPv6Address(literal)) if closed else ""
        except ValueError:
            host = ""
        if not host or (after and not after.startswith(":")):
            raise refuse(f"{authority!r:.80} is not a bracketed IPv6 address")
        port_text = after[1:] if after else None
    else:
        host, colon, port_text_found = authority.partition(":")
        port_text = port_text_found if colon else None
        if not host or not _HOST_NAME.fullmatch(host):
            raise refuse(
                f"{host!r:.80} is not a host name (ASCII letters, digits, '-' and '.'; "
                "write international names in their xn-- form)"
            )
        host = host.lower()
    return host, _port(port_text, refuse)


def _port(text: str | None, refuse: Refuse) -> int | None:
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 5:
        raise refuse(f"port {text!r:.20} is not a number from 1 to 65535")
    port = int(text)
    if not 1 <= port <= 65535:
        raise refuse(f"port {port} is out of range (1-65535)")
    return port


def _check_parsers_agree(endpoint: Endpoint, refuse: Refuse) -> None:
    """urllib.parse (what others read) and urllib3 (what botocore connects with) must see the
    host and port floto saw; anything else is a URL floto does not understand."""
    try:
        split = urlsplit(endpoint.url)
        seen = [(split.hostname, split.port)]
        parsed = parse_url(endpoint.url)
        seen.append(((parsed.host or "").strip("[]").lower(), parsed.port))
    except ValueError as error:
        raise refuse(str(error)) from None
    for host, port in seen:
        if host is None or _normal(host) != _normal(endpoint.host) or port != endpoint.port:
            raise refuse(f"its host reads as {host!r} to one URL parser, {endpoint.host!r} to "
                         "floto")  # fmt: skip


def _normal(host: str) -> str:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host.lower()
