"""connect(): the one way a front end gets an SWF client, attaching or starting a local engine.

Notebooks (``Lab``), ``floto run``, test environments and the examples all connect through
:func:`connect`, so they read the same settings the same way: ``endpoint_url`` (else
``AWS_ENDPOINT_URL_SWF``, where the caller reads it) is attached to once something answers
there, else a local engine is started with the :class:`floto.local.EngineOptions` given.
Contradicting settings are one error, :class:`ConnectError`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from floto.api import EndpointError, Swf, is_aws_endpoint
from floto.launch._failure import ConnectError
from floto.local import EngineOptions, LocalEngine, is_reachable

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_SWF"
_REACH_EVERY = 0.2
"""Seconds between reachability checks while waiting for an endpoint."""


@dataclass
class Connection:
    """Where a front end runs: its client, its local engine and its endpoint.

    Attributes:
        swf: the :class:`floto.api.Swf` client.
        engine: the local engine (started here, given, or attached to); None on AWS.
        endpoint_url: the SWF endpoint (None: AWS, as boto3 configures it).
        started: whether :func:`connect` started ``engine`` (then :meth:`close` stops it).
        region_name, profile_name: the AWS settings of every client :meth:`new_swf` makes.
    """

    swf: Swf
    engine: LocalEngine | None
    endpoint_url: str | None
    started: bool = False
    region_name: str | None = None
    profile_name: str | None = None

    def new_swf(self) -> Swf:
        """Another client with the same settings (a poller's own, in its own thread)."""
        return Swf(
            endpoint_url=self.endpoint_url, region_name=self.region_name,
            profile_name=self.profile_name,
        )  # fmt: skip

    def close(self) -> None:
        """Stop the engine if :func:`connect` started it (safe to call twice)."""
        if self.started and self.engine is not None:
            self.engine.stop()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(
    endpoint_url: str | None = None,
    *,
    engine: LocalEngine | None = None,
    aws: bool = False,
    from_environment: bool = True,
    start: bool = True,
    options: EngineOptions | None = None,
    wait: float = 0.0,
    configure_environment: bool = False,
    region_name: str | None = None,
    profile_name: str | None = None,
) -> Connection:
    """Connect to SWF: to ``engine``, to AWS, to an endpoint, or to a local engine started now.

    In this order: ``engine`` (a started LocalEngine, left running); with ``aws``, AWS itself
    (``AWS_ENDPOINT_URL_SWF`` is removed from ``os.environ`` so that every client of the
    process goes there too); ``endpoint_url``, else (``from_environment``)
    ``AWS_ENDPOINT_URL_SWF``: an AWS endpoint as it is, a local one once something answers
    there (within ``wait`` seconds); else, with ``start``, a new local engine with
    ``options`` (stopped by :meth:`Connection.close`). A local endpoint's clients get dummy
    credentials (floto.api does that); ``configure_environment`` also puts a local engine in
    ``os.environ`` (SWF and S3 endpoints), for processes and S3 clients started later.

    Raises:
        ConnectError: settings that contradict each other (``engine`` with an endpoint or
            ``aws``; ``time_skipping`` in ``options`` for an engine not started here that
            does not skip time), an engine given that is not running, or nowhere to connect
            (nothing given and ``start`` False).
        EndpointError: nothing answers at the local endpoint after ``wait`` seconds, or the
            URL is malformed.
    """
    settings: dict[str, Any] = {"region_name": region_name, "profile_name": profile_name}
    check_connection(endpoint_url, engine=engine, aws=aws, options=options)
    if engine is not None:
        return _given(engine, settings)
    if aws:
        os.environ.pop(ENDPOINT_VARIABLE, None)
        return Connection(Swf(**settings), None, None, **settings)
    url = endpoint_url or (os.environ.get(ENDPOINT_VARIABLE) if from_environment else None)
    if url:
        return _attach(url, endpoint_url is None, options, wait, configure_environment, settings)
    if not start:
        raise ConnectError(
            f"where to? give endpoint_url, set {ENDPOINT_VARIABLE}, or let a local engine start"
        )
    started = LocalEngine.from_options(options or EngineOptions()).start()
    if configure_environment:
        started.configure_environment()
    url = started.endpoint_url
    return Connection(Swf(endpoint_url=url, **settings), started, url, started=True, **settings)


def check_connection(
    endpoint_url: str | None = None,
    *,
    engine: LocalEngine | None = None,
    aws: bool = False,
    options: EngineOptions | None = None,
) -> None:
    """Refuse settings of :func:`connect` that contradict each other, before connecting (a
    front end calls it when it is made, and connects later).

    Raises:
        ConnectError: naming the setting.
    """
    if engine is not None and endpoint_url is not None:
        raise ConnectError("give engine or endpoint_url, not both", field="endpoint_url")
    if aws and (engine is not None or endpoint_url is not None):
        raise ConnectError("aws=True connects to AWS: give no engine or endpoint_url too")
    skipping = options is not None and options.time_skipping
    if skipping and engine is not None and not engine.time_skipping:
        raise ConnectError(
            "the engine given runs on real time: start it with LocalEngine(time_skipping=True), "
            "or leave time_skipping out",
            field="time_skipping",
        )
    if skipping and (aws or endpoint_url is not None):
        raise _skipping_error(endpoint_url or "AWS", "endpoint_url", False)


def _skipping_error(url: str, setting: str, from_variable: bool) -> ConnectError:
    unset = f", or unset {ENDPOINT_VARIABLE}" if from_variable else ""
    return ConnectError(
        f"time_skipping applies to an engine started here, but this attaches to {setting}="
        f"{url}: start that engine with `floto local --time-skipping` and leave time_skipping "
        f"out{unset}",
        field="time_skipping",
    )


def _given(engine: LocalEngine, settings: Any) -> Connection:
    if engine.endpoint_url is None:
        raise ConnectError("the engine given is not running: start() it first", field="engine")
    swf = Swf(endpoint_url=engine.endpoint_url, **settings)
    return Connection(swf, engine, engine.endpoint_url, **settings)


def _attach(
    url: str,
    from_variable: bool,
    options: EngineOptions | None,
    wait: float,
    configure_environment: bool,
    settings: Any,
) -> Connection:
    setting = ENDPOINT_VARIABLE if from_variable else "endpoint_url"
    if options is not None and options.time_skipping:
        raise _skipping_error(url, setting, from_variable)
    if is_aws_endpoint(url):  # also refuses a malformed or ambiguous URL (EndpointError)
        return Connection(Swf(endpoint_url=url, **settings), None, url, **settings)
    deadline = time.monotonic() + wait
    while not is_reachable(url):
        if time.monotonic() >= deadline:
            raise EndpointError(f"nothing answers at {setting}={url}.", endpoint=url)
        time.sleep(_REACH_EVERY)
    poll_wait = (options or EngineOptions()).poll_wait
    engine = LocalEngine.attach(url, poll_wait=poll_wait)
    if configure_environment:
        engine.configure_environment()
    return Connection(Swf(endpoint_url=url, **settings), engine, url, **settings)
