"""Fixtures of the reliability suite: a domain with the workload's types, a seeded random
source (``FLOTO_RELIABILITY_SEED`` replays a run), and ``figures``, which every test fills and
which are printed in pytest's summary (and at once with ``-s``)."""

from __future__ import annotations

import os
import random
import time
from typing import Any

import pytest
from reliability_workload import register_types

from floto.api import Swf
from floto.local.testing import unique_domain

_FIGURES: list[tuple[str, dict[str, Any]]] = []


class Figures:
    """One test's figures: ``figures.record(kills=3, duration_s=41.2, duplicates=0)``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def record(self, **values: Any) -> None:
        _FIGURES.append((self.name, values))
        print(f"\n[reliability] {self.name}: {format_figures(values)}", flush=True)


def format_figures(values: dict[str, Any]) -> str:
    return ", ".join(
        f"{key}: {value:.3g}" if isinstance(value, float) else f"{key}: {value}"
        for key, value in values.items()
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("reliability figures")
        for name, values in _FIGURES:
            terminalreporter.write_line(f"{name}: {format_figures(values)}")


@pytest.fixture
def figures(request: Any) -> Figures:
    return Figures(request.node.name)


@pytest.fixture
def rng() -> random.Random:
    seed = int(os.environ.get("FLOTO_RELIABILITY_SEED") or time.time_ns() % 1_000_000)
    print(f"\n[reliability] seed {seed} (FLOTO_RELIABILITY_SEED={seed} replays the choices)")
    source = random.Random(seed)
    source.seed_value = seed  # type: ignore[attr-defined]  # for the figures
    return source


@pytest.fixture
def domain(local_engine: Any) -> str:
    swf = Swf()
    name = unique_domain(swf.client, prefix="reliability")
    register_types(swf, name)
    return name
