"""LocalEngine: start the local engine in its own process, or attach to a running one."""

from __future__ import annotations

import atexit
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from floto.errors import FlotoError
from floto.local._faults import KINDS
from floto.local._options import EngineOptions, rate_limits_of

DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
_CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


class EngineStartError(FlotoError, RuntimeError):
    """The engine process did not come up; the message carries its output."""


class EndpointURLError(EngineStartError, ValueError):
    """An endpoint URL that is not ``http(s)://host[:port]``."""


class EngineClockError(FlotoError, RuntimeError):
    """The engine's clock could not be read or skipped (a real-time engine cannot skip)."""


def _checked_url(endpoint_url: Any) -> str:
    url = urlparse(endpoint_url) if isinstance(endpoint_url, str) else None
    if url is None or url.scheme not in ("http", "https") or not url.hostname:
        raise EndpointURLError(
            f"not an endpoint URL: {endpoint_url!r} (expected http://host:port, "
            "for example http://127.0.0.1:4588)"
        )
    return endpoint_url.rstrip("/")


def is_reachable(endpoint_url: str, timeout: float = 1.0) -> bool:
    """True if something accepts TCP connections at ``endpoint_url``."""
    url = urlparse(endpoint_url)
    try:
        with socket.create_connection((url.hostname, url.port or 80), timeout=timeout):
            return True
    except OSError:
        return False


def _credentials_configured() -> bool:
    if any(os.environ.get(name) for name in _CREDENTIAL_VARS):
        return True
    home = Path.home() / ".aws"
    return (home / "credentials").exists() or (home / "config").exists()


class _Option:
    """A LocalEngine attribute that reads the engine's :class:`EngineOptions` field of its name."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, engine: Any, owner: type | None = None) -> Any:
        return self if engine is None else getattr(engine.options, self.name)


class LocalEngine:
    """The local SWF engine (moto plus floto's extension) in a process of its own.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`::

        with LocalEngine(poll_wait=5) as engine:
            swf = engine.client("swf")

    Args:
        port: port to bind; 0 (the default) picks a free one.
        host: address to bind; 127.0.0.1 unless told otherwise.
        poll_wait: seconds an idle poll waits (SWF waits 60).
        region: region assumed for requests that do not name one.
        retain_closed: closed executions kept per domain.
        retain_seconds: drop closed executions this long after they close.
        time_skipping: run on a virtual clock that jumps to the next timer or timeout when
            the engine is idle (see docs/local-engine.md); :meth:`skip` moves it on demand.
        data_dir: keep the engine's state in this folder across restarts (``--data-dir``);
            None (the default) keeps it in memory only.
        fault_rate: inject a fault into this fraction of SWF calls (0 to 1; 0: none).
        fault_kinds: which faults (``throttle``, ``5xx``, ``drop-response``, ``slow``;
            default all).
        fault_seed: seed of the fault draws (default: a random one, in :meth:`faults`).
        rate_quotas: throttle decisions and calls by SWF's rate quotas (token buckets, SWF's
            default sizes and refill rates); False turns them off.
        rate_scale: multiply every rate quota's bucket size and refill rate by this (> 0).
        rate_limits: ``{quota name: (bucket size, refill a second)}`` for some quotas, e.g.
            ``{"task-list:ScheduleActivityTask": (20, 5)}`` (names: docs/local-engine.md).
        extra_args: more ``floto local`` options.
        startup_timeout: seconds to wait for the engine to accept requests.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        poll_wait: float = 60.0,
        region: str = "us-east-1",
        retain_closed: int = 1000,
        retain_seconds: float | None = None,
        time_skipping: bool = False,
        data_dir: str | os.PathLike[str] | None = None,
        fault_rate: float = 0.0,
        fault_kinds: tuple[str, ...] | None = None,
        fault_seed: int | None = None,
        rate_quotas: bool = True,
        rate_scale: float = 1.0,
        rate_limits: dict[str, tuple[float, float]] | None = None,
        extra_args: tuple[str, ...] = (),
        startup_timeout: float = 30.0,
    ) -> None:
        self.options = EngineOptions(
            host=host, port=port, poll_wait=poll_wait, region=region,
            retain_closed=retain_closed, retain_seconds=retain_seconds,
            time_skipping=time_skipping,
            data_dir=None if data_dir is None else os.fspath(data_dir),
            fault_rate=fault_rate, fault_kinds=tuple(fault_kinds or KINDS), fault_seed=fault_seed,
            rate_quotas=rate_quotas, rate_scale=rate_scale,
            rate_limits=rate_limits_of(rate_limits),
        )  # fmt: skip
        self.extra_args, self.startup_timeout = tuple(extra_args), startup_timeout
        self.endpoint_url: str | None = None
        self.startup_seconds: float | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None

    @classmethod
    def from_options(
        cls,
        options: EngineOptions,
        *,
        extra_args: tuple[str, ...] = (),
        startup_timeout: float = 30.0,
    ) -> LocalEngine:
        """An engine (not started) with these :class:`EngineOptions`."""
        engine = cls(extra_args=extra_args, startup_timeout=startup_timeout)
        engine.options = options
        return engine

    # the settings, as attributes: engine.poll_wait is engine.options.poll_wait
    host = _Option()
    port = _Option()
    poll_wait = _Option()
    region = _Option()
    retain_closed = _Option()
    retain_seconds = _Option()
    time_skipping = _Option()
    data_dir = _Option()
    fault_rate = _Option()
    fault_kinds = _Option()
    fault_seed = _Option()
    rate_quotas = _Option()
    rate_scale = _Option()

    # attaching -------------------------------------------------------------------------
    @classmethod
    def attach(
        cls, endpoint_url: str, *, poll_wait: float = 60.0, region: str = "us-east-1"
    ) -> LocalEngine:
        """An engine already running at ``endpoint_url`` (``stop()`` leaves it running)."""
        url = _checked_url(endpoint_url)
        engine = cls(poll_wait=poll_wait, region=region)
        engine.endpoint_url = url
        return engine

    @classmethod
    def from_environment(cls, **kwargs: Any) -> LocalEngine | None:
        """Attach to ``AWS_ENDPOINT_URL_SWF`` if it is set and reachable, else None."""
        url = os.environ.get("AWS_ENDPOINT_URL_SWF")
        return cls.attach(url, **kwargs) if url and is_reachable(url) else None

    # process ---------------------------------------------------------------------------
    def command(self, port_file: str) -> list[str]:
        """The engine process's command line (its options: :meth:`EngineOptions.to_args`)."""
        options = self.options.to_args()
        return [sys.executable, "-m", "floto.local", *options, "--port-file", port_file,
                *self.extra_args]  # fmt: skip

    def start(self) -> LocalEngine:
        """Start the engine process and wait until it accepts requests."""
        if self.endpoint_url is not None:
            return self
        began = time.monotonic()
        self._workdir = tempfile.TemporaryDirectory(prefix="floto-local-")
        port_file = os.path.join(self._workdir.name, "port")
        self.log_path = os.path.join(self._workdir.name, "engine.log")
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command(port_file), stdout=log, stderr=subprocess.STDOUT, env=env
            )
        port = self._wait_for_port(port_file, began)
        host = self.host if ":" not in self.host else f"[{self.host}]"
        self.endpoint_url = f"http://{host}:{port}"
        self.startup_seconds = time.monotonic() - began
        return self

    def _wait_for_port(self, port_file: str, began: float) -> int:
        assert self.process is not None
        while time.monotonic() - began < self.startup_timeout:
            if os.path.exists(port_file):
                return int(Path(port_file).read_text().strip())
            if self.process.poll() is not None:
                break
            time.sleep(0.01)
        output = self.output()
        self.stop()
        raise EngineStartError("floto's local engine did not start:\n" + output)

    def output(self) -> str:
        """What the engine process printed so far."""
        try:
            return Path(self.log_path).read_text(errors="replace")
        except (AttributeError, OSError):
            return ""

    def stop(self) -> None:
        """Terminate the engine process (an attached engine is left alone)."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            self.endpoint_url = None
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def __repr__(self) -> str:
        if self.endpoint_url is None:
            return "<LocalEngine not running>"
        how = f"pid {self.process.pid}" if self.process is not None else "attached"
        return f"<LocalEngine {self.endpoint_url} ({how})>"

    def __enter__(self) -> LocalEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # clock -----------------------------------------------------------------------------
    def now(self) -> datetime:
        """The engine's time (virtual with time skipping), as an aware UTC datetime."""
        return _stamp(self._floto_call("GET", "clock", None))

    def skip(self, seconds: float) -> datetime:
        """Move a time-skipping engine's clock ``seconds`` ahead, firing the timers and timeouts
        that fall due on the way; returns the engine's new time.

        Raises:
            ValueError: ``seconds`` is not a finite number >= 0.
            EngineClockError: the engine runs on real time, or cannot be reached.
        """
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError(f"seconds must be a number, got {seconds!r}")
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}")
        return _stamp(self._floto_call("POST", "clock/skip", {"seconds": seconds}))

    def faults(self) -> dict[str, Any]:
        """The fault injection's settings and counts: ``rate``, ``kinds``, ``seed``, ``calls``
        (SWF calls that could meet a fault) and ``injected`` (by kind)."""
        return self._floto_call("GET", "faults", None, EngineStartError)

    def quotas(self) -> dict[str, Any]:
        """The rate quotas' settings and refusals: ``rateQuotas`` (on?), ``scale``, ``rates``
        (``{name: {"size", "refill"}}``), ``refused`` (``{name: count}``) and
        ``maxRequestBytes``."""
        return self._floto_call("GET", "quotas", None, EngineStartError)

    def _floto_call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        error: type[FlotoError] = EngineClockError,
    ) -> dict[str, Any]:
        """A call to the engine's own endpoints (``/_floto/...``); ``error`` if it fails."""
        if self.endpoint_url is None:
            raise error("the engine is not running: start() it (or use `with`) first")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.endpoint_url}/_floto/{path}", data=data, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.poll_wait + 10) as response:
                answer: dict[str, Any] = json.loads(response.read())
                return answer
        except urllib.error.HTTPError as exc:
            raise error(_floto_message(exc)) from None
        except (OSError, ValueError) as exc:
            raise error(f"cannot reach the engine at {self.endpoint_url}: {exc}") from None

    # clients ---------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """The variables that point boto3 at this engine (endpoint URLs for SWF and S3)."""
        if self.endpoint_url is None:
            raise EngineStartError("the engine is not running")
        return {"AWS_ENDPOINT_URL_SWF": self.endpoint_url, "AWS_ENDPOINT_URL_S3": self.endpoint_url}

    def configure_environment(self, *, credentials: str = "auto") -> dict[str, str]:
        """Point floto and boto3 in this process at the engine, through ``os.environ``.

        Sets ``AWS_ENDPOINT_URL_SWF`` and ``AWS_ENDPOINT_URL_S3``; sets ``AWS_DEFAULT_REGION``
        if no region is configured; with ``credentials="auto"`` sets dummy credentials only
        if none are configured (``"dummy"`` always sets them, ``"keep"`` never does).
        Returns the variables it set.
        """
        changes = self.environment()
        if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
            changes["AWS_DEFAULT_REGION"] = self.region
        if credentials == "dummy" or (credentials == "auto" and not _credentials_configured()):
            changes.update(DUMMY_CREDENTIALS)
        os.environ.update(changes)
        return changes

    def client(self, service: str = "swf", **kwargs: Any) -> Any:
        """A boto3 client for this engine, with dummy credentials and a read timeout above
        the poll wait."""
        import boto3
        from botocore.config import Config

        if self.endpoint_url is None:
            raise EngineStartError("the engine is not running: start() it (or use `with`) first")
        kwargs.setdefault(
            "config", Config(read_timeout=self.poll_wait + 10, retries={"max_attempts": 2})
        )
        return boto3.client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            **kwargs,
        )


def _stamp(answer: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(float(answer["now"]), tz=timezone.utc)


def _floto_message(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read())["message"])
    except (ValueError, KeyError, TypeError, OSError):
        return f"the engine answered HTTP {exc.code} (is it floto's local engine?)"


def ensure_engine(**kwargs: Any) -> LocalEngine:
    """The engine at ``AWS_ENDPOINT_URL_SWF`` if reachable, else a new one for this process.

    A new engine is stopped when the process exits and is put in this process's environment
    (:meth:`LocalEngine.configure_environment`).
    """
    attached = LocalEngine.from_environment(
        **{k: v for k, v in kwargs.items() if k in ("poll_wait", "region")}
    )
    if attached is not None:
        return attached
    engine = LocalEngine(**kwargs).start()
    atexit.register(engine.stop)
    engine.configure_environment()
    return engine
