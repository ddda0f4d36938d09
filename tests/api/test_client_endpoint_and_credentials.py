"""Where requests go and what credentials they carry: real credentials only ever go to AWS.

Requests are captured at botocore's ``before-send`` hook and answered there, so nothing leaves
the process; the Authorization header shows which credentials signed them.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from floto.api import ConfigurationError, EndpointError, Swf

REAL_KEY = "AKIAREALKEY000000000"
ENV_VARS = (
    "AWS_ENDPOINT_URL_SWF",
    "AWS_ENDPOINT_URL",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)


class _Raw:
    def stream(self, **_: Any):
        yield b'{"domainInfos": []}'


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", REAL_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    return monkeypatch


def sent_request(swf: Swf) -> Any:
    """Make one call and return the request botocore would have sent."""
    captured = []

    def answer(request, **_):
        captured.append(request)
        return AWSResponse(request.url, 200, {}, _Raw())

    swf.client.meta.events.register("before-send.swf", answer)
    swf.domains.registered_names()
    return captured[0]


def test_local_endpoint_gets_dummy_credentials_and_a_default_region(clean_env):
    swf = Swf(endpoint_url="http://127.0.0.1:4566")
    request = sent_request(swf)
    assert request.url.startswith("http://127.0.0.1:4566")
    authorization = request.headers["Authorization"].decode()
    assert "Credential=floto-local/" in authorization and REAL_KEY not in authorization
    assert "/us-east-1/swf/" in authorization


def test_endpoint_from_boto3_environment_variable_gets_dummy_credentials(clean_env):
    clean_env.setenv("AWS_ENDPOINT_URL_SWF", "http://localhost:9999")
    clean_env.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    request = sent_request(Swf())
    assert request.url.startswith("http://localhost:9999")
    authorization = request.headers["Authorization"].decode()
    assert "Credential=floto-local/" in authorization and "/eu-west-1/swf/" in authorization


def test_generic_endpoint_variable_is_honoured(clean_env):
    clean_env.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7777")
    request = sent_request(Swf())
    assert request.url.startswith("http://127.0.0.1:7777")
    assert REAL_KEY not in request.headers["Authorization"].decode()


def test_aws_endpoint_uses_the_configured_credentials(clean_env):
    request = sent_request(Swf(region_name="eu-central-1"))
    assert request.url.startswith("https://swf.eu-central-1.amazonaws.com")
    assert f"Credential={REAL_KEY}/" in request.headers["Authorization"].decode()


def test_aws_without_a_region_explains_how_to_configure_one(clean_env):
    with pytest.raises(ConfigurationError, match="no AWS region configured") as caught:
        Swf()
    assert "AWS_ENDPOINT_URL_SWF" in str(caught.value)


def test_malformed_endpoint_raises_endpoint_error(clean_env):
    with pytest.raises(EndpointError, match="is not a usable SWF endpoint") as caught:
        Swf(endpoint_url="localhost-no-scheme")
    assert caught.value.endpoint == "localhost-no-scheme"
    assert "floto local" in str(caught.value)


def test_unknown_profile_is_a_configuration_error(clean_env):
    with pytest.raises(ConfigurationError, match="profile 'nope' not found"):
        Swf(profile_name="nope")


def test_read_timeout_outlasts_the_long_poll_and_user_config_merges(clean_env):
    from botocore.config import Config

    swf = Swf(endpoint_url="http://127.0.0.1:1", config=Config(connect_timeout=3))
    config = swf.client.meta.config
    assert config.read_timeout == 70 and config.read_timeout > 60
    assert config.connect_timeout == 3


# -- issue 12, holes 5 and 6: the host the connection really uses decides ------------------
@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:4566\\@swf.us-east-1.amazonaws.com", "a backslash"),
        ("http://127.0.0.1:4566\\.amazonaws.com", "a backslash"),
        ("https://swf.us-east-1.amazonaws.com@127.0.0.1:4566", "user information"),
        ("http://user:pw@127.0.0.1:4566", "user information"),
        ("https://swf.us-east-1.amazonaws.com%2e127.0.0.1", "percent-encoding"),
        ("http://127.0.0.1%3A4566%40swf.us-east-1.amazonaws.com", "percent-encoding"),
        ("http://127.0.0.1:4566/?@swf.us-east-1.amazonaws.com", "no query or fragment"),
        ("http://127.0.0.1:4566#@swf.us-east-1.amazonaws.com", "no query or fragment"),
        ("http://127.0.0.1\t:4566", "whitespace or control"),
        ("http://127.0.0.1 :4566", "whitespace or control"),
        ("https://swf.us-east-1.amazonaws\uff0ecom", "is not a host name"),
        ("http://[swf.us-east-1.amazonaws.com]:4566", "is not a bracketed IPv6 address"),
        ("http://[::1]x:4566", "is not a bracketed IPv6 address"),
        ("http://swf.us-east-1.amazonaws.com", "an AWS endpoint must use https"),
        ("http://127.0.0.1:99999", "port 99999 is out of range (1-65535)"),
        ("http://127.0.0.1:0", "port 0 is out of range"),
        ("http://127.0.0.1:http", "is not a number from 1 to 65535"),
        ("http://:4566", "is not a host name"),
        ("ftp://127.0.0.1:21", "needs an http:// or https:// scheme"),
    ],
)
def test_an_endpoint_whose_host_is_ambiguous_or_malformed_is_refused(clean_env, url, words):
    with pytest.raises(EndpointError) as caught:
        Swf(endpoint_url=url)
    message = str(caught.value)
    assert message.startswith(f"endpoint_url={url!r}"[:60]) and words in message
    assert caught.value.endpoint == url


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_SWF", "AWS_ENDPOINT_URL"])
@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:4566\\@swf.us-east-1.amazonaws.com", "a backslash"),
        ("http://127.0.0.1:99999", "port 99999 is out of range (1-65535)"),
        ("not a url", "is not a"),
    ],
)
def test_a_bad_endpoint_variable_is_named_with_its_value(clean_env, variable, url, words):
    clean_env.setenv(variable, url)
    with pytest.raises(EndpointError) as caught:
        Swf()
    message = str(caught.value)
    assert message.startswith(f"{variable}={url!r}") and words in message
    assert "None" not in message


def test_real_credentials_never_reach_the_host_urllib3_would_connect_to(clean_env):
    # urllib.parse reads this host as AWS; urllib3, which sends the request, as 127.0.0.1.
    with pytest.raises(EndpointError, match="backslash"):
        Swf(endpoint_url="http://127.0.0.1:9\\@swf.us-east-1.amazonaws.com")


@pytest.mark.parametrize(
    "url",
    ["http://[::1]:4566", "http://LOCALHOST:4566/", "http://engine-1:4566", "http://10.0.0.2"],
)
def test_plain_local_endpoints_get_dummy_credentials(clean_env, url):
    request = sent_request(Swf(endpoint_url=url))
    assert REAL_KEY not in request.headers["Authorization"].decode()


def test_a_trailing_dot_names_the_same_aws_host(clean_env):
    swf = Swf(endpoint_url="https://swf.eu-west-1.amazonaws.com.", region_name="eu-west-1")
    request = sent_request(swf)
    assert request.url.startswith("https://swf.eu-west-1.amazonaws.com.")
    assert f"Credential={REAL_KEY}/" in request.headers["Authorization"].decode()


def test_the_swf_variable_wins_over_the_generic_one_both_ways(clean_env):
    clean_env.setenv("AWS_ENDPOINT_URL", "https://swf.us-east-1.amazonaws.com")
    clean_env.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:7777")
    request = sent_request(Swf())
    assert request.url.startswith("http://127.0.0.1:7777")
    assert REAL_KEY not in request.headers["Authorization"].decode()
    clean_env.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7777")
    clean_env.setenv("AWS_ENDPOINT_URL_SWF", "https://swf.eu-west-1.amazonaws.com")
    request = sent_request(Swf(region_name="eu-west-1"))
    assert request.url.startswith("https://swf.eu-west-1.amazonaws.com")
    assert f"Credential={REAL_KEY}/" in request.headers["Authorization"].decode()


def test_a_request_redirected_away_from_aws_is_never_signed_with_real_keys(clean_env):
    swf = Swf(region_name="eu-central-1")
    sent = []

    def redirect(request, **_):
        request.url = "https://127.0.0.1:9/"

    swf.client.meta.events.register_first("request-created.swf", redirect)
    swf.client.meta.events.register("before-send.swf", lambda request, **_: sent.append(request))
    with pytest.raises(EndpointError, match=r"refusing to sign a request for '127\.0\.0\.1'"):
        swf.domains.registered_names()
    assert sent == []
