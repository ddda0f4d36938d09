"""Engines for the local engine's tests: they talk to it only through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from engine_env import POLL_WAIT, Env

from floto.local.testing import engine_fixture, swf_client_fixture

# Rate quotas off on this module-wide engine of raw-SWF tests: they would share its token
# buckets (a test starting 1,001 children at once meets StartChildWorkflowExecution's burst of
# 500 as SWF would, and a test's outcome would depend on what ran just before). The quotas are
# tested in test_quotas.py on engines of their own; every floto-level suite (scenarios,
# reliability, testing, cli...) runs on engines with SWF's quotas on.
local_engine = engine_fixture(poll_wait=POLL_WAIT, rate_quotas=False)
swf = swf_client_fixture("local_engine")


@pytest.fixture
def env(swf: Any) -> Env:
    """A fresh domain with one workflow type and one activity type registered."""
    return Env(swf)
