"""Engines for the local engine's tests: they talk to it only through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from engine_env import POLL_WAIT, Env

from floto.local.testing import engine_fixture, swf_client_fixture

# Rate quotas off: tests sharing this engine would share its token buckets (a test scheduling
# 1,000 activities at once would depend on what ran just before). test_quotas.py starts its own.
local_engine = engine_fixture(poll_wait=POLL_WAIT, rate_quotas=False)
swf = swf_client_fixture("local_engine")


@pytest.fixture
def env(swf: Any) -> Env:
    """A fresh domain with one workflow type and one activity type registered."""
    return Env(swf)
