"""Fixtures of the observability tests."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry

from floto import observability


@pytest.fixture
def registry():
    """floto's metrics enabled into a registry of this test's own (disabled after it)."""
    registry = CollectorRegistry()
    observability.enable_metrics(registry)
    yield registry
    observability.disable_metrics()
