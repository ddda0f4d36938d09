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
    with pytest.raises(EndpointError, match="not a valid URL") as caught:
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
