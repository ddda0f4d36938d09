"""floto reads an endpoint URL's host exactly as urllib3 (which botocore sends with) reads it,
or refuses the URL: there is no URL for which floto thinks "AWS" and the connection goes
elsewhere (issue 12, hole 5)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from urllib3.util import parse_url

from floto.api import EndpointError
from floto.api._endpoint import read_endpoint

PIECES = st.sampled_from(
    [
        "http://", "https://", "127.0.0.1", "swf.us-east-1.amazonaws.com", ".amazonaws.com",
        ".", ":", "4566", "@", "\\", "/", "%2e", "%40", "[", "]", "::1", "?", "#", " ", "\t",
        "user", "evil.com", "\uff0e", "A", "-",
    ]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8).map("".join))
def test_floto_and_urllib3_agree_on_the_host_or_the_url_is_refused(url):
    try:
        endpoint = read_endpoint(url)
    except EndpointError:
        return
    parsed = parse_url(url)
    assert (parsed.host or "").strip("[]").lower() == endpoint.host
    assert parsed.port == endpoint.port
    if endpoint.is_aws:
        assert endpoint.scheme == "https"
        assert parsed.host.rstrip(".").endswith((".amazonaws.com", ".amazonaws.com.cn", ".api.aws"))


@pytest.mark.parametrize(
    ("url", "host", "port", "aws"),
    [
        ("http://127.0.0.1:4566", "127.0.0.1", 4566, False),
        ("http://[::1]:4566/", "::1", 4566, False),
        ("https://swf.us-east-1.amazonaws.com", "swf.us-east-1.amazonaws.com", None, True),
        (
            "https://SWF.cn-north-1.amazonaws.com.cn.",
            "swf.cn-north-1.amazonaws.com.cn.",
            None,
            True,
        ),
        ("https://swf.amazonaws.com.evil.com", "swf.amazonaws.com.evil.com", None, False),
    ],
)
def test_plain_endpoints_are_read(url, host, port, aws):
    endpoint = read_endpoint(url)
    assert (endpoint.host, endpoint.port, endpoint.is_aws) == (host, port, aws)
