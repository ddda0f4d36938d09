"""floto.launch.connect: one attach-or-start policy for every front end, and one error type
(ConnectError) for settings that contradict each other."""

from __future__ import annotations

import time

import pytest

from floto.api import EndpointError
from floto.errors import SpecError
from floto.launch import ConnectError, check_connection, connect
from floto.local import EngineOptions, LocalEngine, is_reachable


def test_with_nothing_given_it_starts_an_engine_and_close_stops_it(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL_SWF", raising=False)
    with connect(options=EngineOptions(poll_wait=1.0)) as connection:
        assert connection.started and connection.engine is not None
        assert connection.engine.process is not None and connection.engine.poll_wait == 1.0
        url = connection.endpoint_url
        assert url == connection.engine.endpoint_url
        assert connection.swf.domains.register_domain("connect-started") in (True, False)
        assert connection.new_swf().endpoint_url == url
    assert not is_reachable(url)


def test_an_endpoint_or_the_variable_is_attached_to(local_engine, monkeypatch):
    given = connect(local_engine.endpoint_url)
    assert (given.started, given.endpoint_url) == (False, local_engine.endpoint_url)
    assert given.engine is not None and given.engine.process is None  # attached, not started
    given.close()
    assert is_reachable(local_engine.endpoint_url)  # close() leaves an attached engine alone
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", local_engine.endpoint_url)
    assert connect().endpoint_url == local_engine.endpoint_url
    assert connect(engine=local_engine).engine is local_engine


def test_nothing_answering_is_an_endpoint_error_naming_the_setting(monkeypatch):
    began = time.monotonic()
    with pytest.raises(EndpointError, match=r"endpoint_url=http://127\.0\.0\.1:9") as caught:
        connect("http://127.0.0.1:9", wait=0.5)
    assert time.monotonic() - began >= 0.5  # waited for it to come up
    assert caught.value.endpoint == "http://127.0.0.1:9"
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:9")
    with pytest.raises(EndpointError, match=r"AWS_ENDPOINT_URL_SWF=http://127\.0\.0\.1:9"):
        connect()
    assert connect(from_environment=False, start=False, aws=True).endpoint_url is None


def test_aws_goes_to_aws_without_a_local_check(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:9")
    connection = connect(aws=True, region_name="eu-west-1")
    assert (connection.engine, connection.endpoint_url) == (None, None)
    assert "AWS_ENDPOINT_URL_SWF" not in __import__("os").environ
    named = connect("https://swf.eu-west-1.amazonaws.com", region_name="eu-west-1")
    assert named.engine is None and named.endpoint_url == "https://swf.eu-west-1.amazonaws.com"


def test_contradicting_settings_are_one_error_naming_the_setting(local_engine, monkeypatch):
    skipping = EngineOptions(time_skipping=True)
    cases = [
        (dict(endpoint_url="http://127.0.0.1:9", engine=local_engine), "not both"),
        (dict(endpoint_url="http://127.0.0.1:9", aws=True), "aws=True"),
        (dict(engine=local_engine, options=skipping), "real time"),
        (dict(endpoint_url="http://127.0.0.1:9", options=skipping), "floto local --time-skipping"),
        (dict(engine=LocalEngine()), "not running"),
        (dict(from_environment=False, start=False), "where to"),
    ]
    monkeypatch.delenv("AWS_ENDPOINT_URL_SWF", raising=False)
    for settings, message in cases:
        with pytest.raises(ConnectError, match=message) as caught:
            connect(**settings)
        assert isinstance(caught.value, (SpecError, ValueError))
    with pytest.raises(ConnectError, match="time_skipping"):
        check_connection("http://127.0.0.1:9", options=skipping)  # before connecting
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:9")
    with pytest.raises(ConnectError, match="unset AWS_ENDPOINT_URL_SWF"):
        connect(options=skipping)
