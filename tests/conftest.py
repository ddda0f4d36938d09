"""Shared fixtures.

``local_engine``: one local SWF engine process per test session (floto.local.LocalEngine),
with ``AWS_ENDPOINT_URL_SWF``, a region and dummy credentials put in ``os.environ``, so floto,
boto3 and any process a test starts reach it. Tests isolate themselves with their own domain
(``floto.local.testing.unique_domain``) or task lists.

floto's own suite uses floto.testing's pytest plugin as users do: ``floto_env`` (an
Environment per test), on ``local_engine`` (real time) or the session's time-skipping engine.
"""

import pytest

from floto.local.testing import engine_fixture

pytest_plugins = ["floto.testing.pytest_plugin"]

local_engine = engine_fixture(scope="session", configure_environment=True)


@pytest.fixture(scope="session")
def floto_engine(local_engine):
    """floto.testing's real-time engine is the session's one: one engine process, not two."""
    return local_engine


@pytest.fixture
def swf_client(local_engine):
    """A plain boto3 SWF client on the session's engine."""
    return local_engine.client("swf")
