"""Engines for the local engine's tests: they talk to it only through boto3."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from engine_env import POLL_WAIT, Env, SkipEnv, terminate_open_runs

from floto.local import LocalEngine
from floto.local.testing import engine_fixture, running_engine, swf_client_fixture

# Rate quotas off on this module-wide engine of raw-SWF tests: they would share its token
# buckets (a test starting 1,001 children at once meets StartChildWorkflowExecution's burst of
# 500 as SWF would, and a test's outcome would depend on what ran just before). The quotas are
# tested in test_quotas.py on engines of their own; every floto-level suite (scenarios,
# reliability, testing, cli...) runs on engines with SWF's quotas on.
local_engine = engine_fixture(poll_wait=POLL_WAIT, rate_quotas=False)
swf = swf_client_fixture("local_engine")

# The session's time-skipping engine: tests that wait for a timer or a timeout run on its
# virtual clock (a jump when idle, engine.skip() over a task being worked on), in moments.
skipping_engine = engine_fixture(
    poll_wait=POLL_WAIT, rate_quotas=False, time_skipping=True, name="skipping_engine"
)


@pytest.fixture(scope="session")
def manual_engine() -> Iterator[LocalEngine]:
    """A time-skipping engine whose clock moves only when told (``skip()``: a quiet period of a
    day, so no jump of its own), with small limits: 5 closed runs kept a domain, closed runs
    dropped an hour (engine time) after they close, runs terminated at 50 events."""
    with running_engine(
        poll_wait=POLL_WAIT,
        rate_quotas=False,
        time_skipping=True,
        retain_closed=5,
        retain_seconds=3600,
        extra_args=("--skip-quiet", "86400", "--max-history-events", "50"),
    ) as engine:
        yield engine


@pytest.fixture
def env(swf: Any) -> Env:
    """A fresh domain with one workflow type and one activity type registered."""
    return Env(swf)


@pytest.fixture
def tenv(skipping_engine: LocalEngine) -> Iterator[Env]:
    """A fresh domain on the time-skipping engine; its open runs are terminated afterwards, so
    that no test's leftover work holds the shared clock."""
    env = SkipEnv(skipping_engine.client("swf"))
    yield env
    terminate_open_runs(env)


@pytest.fixture
def menv(manual_engine: LocalEngine) -> Iterator[Env]:
    """A fresh domain on the engine whose clock moves only when told; its open runs are
    terminated afterwards."""
    env = SkipEnv(manual_engine.client("swf"))
    yield env
    terminate_open_runs(env)
