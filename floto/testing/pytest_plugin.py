"""pytest fixtures for testing workflows with :mod:`floto.testing`.

Name the plugin in a ``conftest.py`` (``pytest_plugins = ["floto.testing.pytest_plugin"]``)
or import its fixtures there (``from floto.testing.pytest_plugin import floto_env``). Then::

    def test_hello(floto_env):
        assert floto_env.run(hello_task) == {hello_task.id_: "hello"}

    @pytest.mark.floto_env(time_skipping=True, workers=4)
    def test_an_hour_in_a_moment(floto_env):
        floto_env.run(a >> Timer(id_="hour", delay_in_seconds=3600) >> b)

Fixtures:

- ``floto_env``: a started :class:`~floto.testing.Environment` for one test, on a domain of
  its own, on an engine the whole session shares (one real-time, one time-skipping, each
  started when first needed). The ``floto_env`` marker passes options to it:
  ``time_skipping``, ``registry``, ``workers``, ``worker_processes``,
  ``heartbeat_in_seconds``, ``decision_timeout``, ``timeout``.
- ``floto_env_factory``: makes more environments in one test (same options), closed after it.
- ``floto_engine`` / ``floto_skipping_engine``: the session's engines (LocalEngine).

Tests sharing a time-skipping engine share its clock: compare times within one run's
history (or read ``env.now()``), never against the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from floto.local import LocalEngine
from floto.local.testing import running_engine
from floto.testing._environment import TEST_POLL_WAIT, Environment

MARKER = "floto_env"
_OPTIONS = frozenset(
    {
        "time_skipping", "registry", "workers", "worker_processes", "heartbeat_in_seconds",
        "decision_timeout", "timeout",
    }
)  # fmt: skip


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(time_skipping=False, registry=None, workers=2, ...): options of the "
        "floto_env fixture (floto.testing.Environment)",
    )


def _engine(time_skipping: bool) -> Iterator[LocalEngine]:
    """One engine per session, started as floto.local.testing's fixtures start theirs."""
    with running_engine(poll_wait=TEST_POLL_WAIT, time_skipping=time_skipping) as engine:
        yield engine


@pytest.fixture(scope="session")
def floto_engine() -> Iterator[LocalEngine]:
    """The session's real-time local engine (started when first asked for)."""
    yield from _engine(time_skipping=False)


@pytest.fixture(scope="session")
def floto_skipping_engine() -> Iterator[LocalEngine]:
    """The session's time-skipping local engine (started when first asked for)."""
    yield from _engine(time_skipping=True)


def _checked(options: dict[str, Any]) -> dict[str, Any]:
    unknown = set(options) - _OPTIONS
    if unknown:
        raise TypeError(f"unknown floto_env option(s) {sorted(unknown)}; known: {sorted(_OPTIONS)}")
    return options


@pytest.fixture
def floto_env_factory(request: Any) -> Iterator[Callable[..., Environment]]:
    """``make(**options)``: a started Environment on the session's engine (time-skipping one
    if ``time_skipping=True``), on a domain of its own; closed when the test ends."""
    made: list[Environment] = []

    def make(**options: Any) -> Environment:
        options = dict(_checked(options))
        skipping = bool(options.pop("time_skipping", False))
        engine = request.getfixturevalue("floto_skipping_engine" if skipping else "floto_engine")
        env = Environment(engine=engine, time_skipping=skipping, **options)
        made.append(env)
        return env.start()

    try:
        yield make
    finally:
        for env in reversed(made):
            env.close()


@pytest.fixture
def floto_env(request: Any, floto_env_factory: Callable[..., Environment]) -> Environment:
    """A started Environment for this test (options from the ``floto_env`` marker)."""
    marker = request.node.get_closest_marker(MARKER)
    options = dict(marker.kwargs) if marker is not None else {}
    return floto_env_factory(**options)
