"""Shared fixtures.

``local_engine``: one local SWF engine process per test session (floto.local.LocalEngine),
with ``AWS_ENDPOINT_URL_SWF``, a region and dummy credentials put in ``os.environ``, so floto,
boto3 and any process a test starts reach it. Tests isolate themselves with their own domain
(``floto.local.testing.unique_domain``) or task lists.
"""

import pytest

from floto.local.testing import engine_fixture

local_engine = engine_fixture(scope="session", configure_environment=True)


@pytest.fixture
def swf_client(local_engine):
    """A plain boto3 SWF client on the session's engine."""
    return local_engine.client("swf")
