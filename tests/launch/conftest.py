"""A launcher per test, on a domain of its own, on the session's local engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from floto.launch import Launcher
from floto.worker import ActivityRegistry


@pytest.fixture
def registry() -> ActivityRegistry:
    return ActivityRegistry()


@pytest.fixture
def domain() -> str:
    return f"launch-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def launcher(local_engine, registry, domain) -> Iterator[Launcher]:
    launcher = Launcher(domain, registry=registry, workers=2, heartbeat_in_seconds=0)
    try:
        yield launcher.start()
    finally:
        launcher.stop(timeout=0)
