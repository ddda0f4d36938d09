"""LocalEngine's start-up and attach UX: a bad endpoint or an engine that is not running is
reported where the mistake is made, not later by botocore (or by AWS itself)."""

from __future__ import annotations

import pytest

from floto.local import EngineStartError, LocalEngine


@pytest.mark.parametrize("url", [None, "", "localhost:4588", "ftp://127.0.0.1:1", "http://"])
def test_attach_refuses_what_is_not_an_http_endpoint_url(url):
    with pytest.raises(EngineStartError, match="endpoint URL") as caught:
        LocalEngine.attach(url)
    assert isinstance(caught.value, ValueError)


def test_attach_accepts_an_http_url_and_drops_the_trailing_slash():
    assert LocalEngine.attach("http://127.0.0.1:4588/").endpoint_url == "http://127.0.0.1:4588"


def test_a_client_of_an_engine_that_is_not_running_is_refused_instead_of_reaching_aws():
    with pytest.raises(EngineStartError, match="not running"):
        LocalEngine().client("swf")


def test_repr_says_where_the_engine_is():
    assert repr(LocalEngine()) == "<LocalEngine not running>"
    attached = LocalEngine.attach("http://127.0.0.1:4588")
    assert repr(attached) == "<LocalEngine http://127.0.0.1:4588 (attached)>"


def test_an_out_of_range_port_fails_start_with_the_option_named():
    with pytest.raises(EngineStartError, match="argument --port: must be a port number"):
        LocalEngine(port=70000, startup_timeout=30).start()
