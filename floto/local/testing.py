"""Local engines for tests (pytest fixtures without importing pytest here).

In a ``conftest.py``::

    from floto.local.testing import engine_fixture, swf_client_fixture

    local_engine = engine_fixture()                 # session-scoped LocalEngine
    swf = swf_client_fixture("local_engine")         # a boto3 SWF client on it

or, without fixtures, ``with floto.local.testing.running_engine() as engine: ...``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from floto.local._engine import LocalEngine

Scope = Literal["session", "package", "module", "class", "function"]

TEST_POLL_WAIT = 1.0
"""Seconds an idle poll waits on a test engine (SWF: 60): how long a stopped worker or decider
may still be polling, and what a test of an empty poll waits for. Long enough that an idle
poller costs the engine next to nothing."""


@contextlib.contextmanager
def running_engine(
    *, poll_wait: float = TEST_POLL_WAIT, configure_environment: bool = False, **kwargs: Any
) -> Iterator[LocalEngine]:
    """A fresh engine process for the ``with`` block; optionally in ``os.environ`` too
    (restored afterwards). Other options (``time_skipping=True``...) go to :class:`LocalEngine`."""
    import os

    saved = dict(os.environ)
    engine = LocalEngine(poll_wait=poll_wait, **kwargs).start()
    try:
        if configure_environment:
            engine.configure_environment(credentials="dummy")
        yield engine
    finally:
        engine.stop()
        if configure_environment:
            os.environ.clear()
            os.environ.update(saved)


def engine_fixture(
    *,
    scope: Scope = "session",
    poll_wait: float = TEST_POLL_WAIT,
    configure_environment: bool = False,
    name: str = "local_engine",
    **kwargs: Any,
) -> Any:
    """A pytest fixture ``name`` yielding a started :class:`LocalEngine` (one per ``scope``).

    Other options (``time_skipping``, ``retain_closed``, ``extra_args``...) go to
    :class:`LocalEngine`.
    """
    import pytest

    @pytest.fixture(scope=scope, name=name)
    def local_engine() -> Iterator[LocalEngine]:
        with running_engine(
            poll_wait=poll_wait, configure_environment=configure_environment, **kwargs
        ) as engine:
            yield engine

    return local_engine


def swf_client_fixture(
    engine_fixture_name: str = "local_engine", scope: Scope = "session", name: str = "swf"
) -> Any:
    """A pytest fixture ``name`` yielding a boto3 SWF client on the named engine fixture."""
    import pytest

    @pytest.fixture(scope=scope, name=name)
    def swf(request: Any) -> Any:
        return request.getfixturevalue(engine_fixture_name).client("swf")

    return swf


def unique_domain(client: Any, prefix: str = "test", retention_days: str = "1") -> str:
    """Register a domain with a fresh name, so tests sharing an engine do not collide."""
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    client.register_domain(name=name, workflowExecutionRetentionPeriodInDays=retention_days)
    return name
