"""The launcher: one HTTP server for floto's SWF extension and every other moto service.

SWF requests (``X-Amz-Target: SimpleWorkflowService.*``) go straight to floto's response
layer, skipping moto's per-request routing; anything else (S3 for the examples...) goes to
moto's own application, created on first use.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_server import werkzeug_app
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from floto.local import _control, _limits, _persist
from floto.local._backend import skip_allowed_at
from floto.local._compat import check_extension
from floto.local._faults import FAULTS
from floto.local._options import EngineOptions
from floto.local._quotas import MAX_REQUEST_BYTES, QUOTAS
from floto.local._responses import LocalSWFResponse
from floto.local._state import CONFIG
from floto.local._timers import SCHEDULER

log = logging.getLogger("floto.local")

_SWF_PREFIX = "SimpleWorkflowService."
_REGION = re.compile(r"Credential=[^/]+/[^/]+/([^/]+)/")


@dataclass(frozen=True)
class ServeOptions(EngineOptions):
    """What ``floto local`` was asked for: the engine's options, and where to write its port."""

    port_file: str | None = None


def _reply(start_response: Callable[..., Any], status: int, body: str) -> Iterable[bytes]:
    data = body.encode("utf-8")
    start_response(
        f"{status} {'OK' if status == 200 else 'Error'}",
        [
            ("Content-Type", "application/x-amz-json-1.0"),
            ("Content-Length", str(len(data))),
            ("x-amzn-RequestId", str(uuid.uuid4())),
        ],
    )
    return [data]


def _body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _request_bytes(environ: dict[str, Any]) -> int:
    """What SWF counts against its 1 MB: the body and the headers (``Name: value`` lines)."""
    headers = [key for key in environ if key.startswith("HTTP_")]
    size = sum(len(key) - 5 + len(str(environ[key])) + 4 for key in headers)
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            size += len(name) + len(str(environ[key])) + 4
    return size + int(environ.get("CONTENT_LENGTH") or 0)


def _too_large(size: int) -> str:
    return json.dumps({
        "__type": "com.amazon.coral.service#RequestEntityTooLargeException",
        "message": f"Request of {size:,} bytes (headers included) is over SWF's maximum request "
        f"size of 1 MB ({MAX_REQUEST_BYTES:,} bytes)",
    })  # fmt: skip


class EngineApp:
    """The WSGI application of the engine."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.account = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
        self._moto_app: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(_SWF_PREFIX):
            return self.swf(environ, start_response, target[len(_SWF_PREFIX) :])
        path = environ.get("PATH_INFO", "")
        if path.startswith(_control.PREFIX):
            status, body = _control.answer(environ["REQUEST_METHOD"], path, _body(environ))
            return _reply(start_response, status, body)
        if self._moto_app is None:  # loads the rest of moto: only when first needed
            self._moto_app = werkzeug_app.DomainDispatcherApplication(
                werkzeug_app.create_backend_app
            )
        return self._moto_app(environ, start_response)

    def swf(
        self, environ: dict[str, Any], start_response: Callable[..., Any], action: str
    ) -> Iterable[bytes]:
        match = _REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
        region = match.group(1) if match else self.region
        size, raw = _request_bytes(environ), _body(environ)  # read: the connection stays usable
        if size > MAX_REQUEST_BYTES:
            return _reply(start_response, 413, _too_large(size))
        try:
            params = json.loads(raw or b"{}")
            if not isinstance(params, dict):
                raise ValueError("body is not a JSON object")
        except ValueError as exc:
            return _reply(start_response, 400, _error("SerializationException", str(exc)))
        fault = FAULTS.draw(action)
        if fault is not None and fault.refuses:
            return _reply(start_response, fault.status, json.dumps(fault.error()))
        status, body = self._answer(action, params, region)
        if fault is not None and fault.kind == "drop-response":
            _drop_connection(environ)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)  # outside the engine lock: other calls go on
        return _reply(start_response, status, body)

    def _answer(self, action: str, params: dict[str, Any], region: str) -> tuple[int, str]:
        try:
            return 200, LocalSWFResponse(params, region, self.account).answer(action)
        except JsonRESTError as err:
            return err.code, err.description
        except NotImplementedError:
            return 400, _error("UnknownOperationException", f"Unknown operation {action}")
        except Exception:
            log.exception("floto local engine: %s failed", action)
            message = f"{action} failed in floto's local engine; see its log"
            return 500, _error("InternalFailure", message)


def _error(name: str, message: str) -> str:
    return json.dumps({"__type": f"com.amazon.coral.service#{name}", "message": message})


def _drop_connection(environ: dict[str, Any]) -> None:
    """Close the connection without an answer (werkzeug treats the error as the client's
    disconnection and writes nothing)."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    raise ConnectionAbortedError("floto local: injected fault, answer dropped")


def _quiet_handler() -> type:
    # moto's handler keeps S3 metadata headers with underscores (newer moto versions only)
    base = getattr(werkzeug_app, "MotoRequestHandler", WSGIRequestHandler)

    class QuietHandler(base):  # type: ignore[misc, valid-type]
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            """One line per request would drown the engine's own messages."""

    return QuietHandler


def check_engine() -> None:
    """Refuse to start (EngineCompatibilityError) if moto lacks what the engine relies on."""
    modules = [
        module for name, module in list(sys.modules.items()) if name.startswith(f"{__package__}.")
    ]
    check_extension(modules, _limits.operation_names(), LocalSWFResponse.handler_of)


def configure(options: ServeOptions) -> None:
    """Check moto and apply the options to the engine's settings."""
    check_engine()
    CONFIG.poll_wait = options.poll_wait
    CONFIG.retain_closed = options.retain_closed
    CONFIG.retain_seconds = options.retain_seconds
    if options.max_history_events:
        CONFIG.max_history_events = options.max_history_events
    if options.max_open_children:
        CONFIG.max_open_children = options.max_open_children
    if options.max_open_activities:
        CONFIG.max_open_activities = options.max_open_activities
    if options.max_open_timers:
        CONFIG.max_open_timers = options.max_open_timers
    QUOTAS.configure(options.rate_quotas, options.rate_scale, options.rate_limits)
    if options.skip_grace is not None:
        CONFIG.skip_grace = options.skip_grace
    if options.skip_pickup is not None:
        CONFIG.skip_pickup = options.skip_pickup
    if options.skip_quiet is not None:
        CONFIG.skip_quiet = options.skip_quiet
    if options.fault_rate > 0:
        FAULTS.configure(options.fault_rate, options.fault_kinds, options.fault_seed)
    if options.time_skipping:
        CONFIG.time_skipping = True
        SCHEDULER.enable_skipping(skip_allowed_at, CONFIG.skip_quiet)
    _limits.preload()
    if options.data_dir is not None:
        restored = _persist.open_data_dir(options.data_dir)
        print(f"floto local: {restored.summary(options.data_dir)}", flush=True)


def make_engine_server(options: ServeOptions) -> BaseWSGIServer:
    """A bound, threaded server (not yet serving)."""
    configure(options)
    return make_server(
        options.host,
        options.port,
        EngineApp(options.region),
        threaded=True,
        request_handler=_quiet_handler(),
    )


def _write_port_file(path: str, port: int) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False) as tmp:
        tmp.write(f"{port}\n")
    os.replace(tmp.name, path)  # readers never see a half-written file


def _stop_on_sigterm() -> None:
    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def _log_to_stderr() -> None:
    """The engine's messages (failures, injected faults) on its output, as they are."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def serve(options: ServeOptions) -> int:
    """Run the engine in the foreground until Ctrl-C or SIGTERM."""
    _stop_on_sigterm()  # before anyone can learn the port and signal us
    try:
        server = make_engine_server(options)
    except KeyboardInterrupt:
        return 0
    SCHEDULER.start()
    host = options.host if ":" not in options.host else f"[{options.host}]"
    url = f"http://{host}:{server.server_port}"
    _log_to_stderr()
    try:
        extras = [name for name, on in [("time skipping", options.time_skipping)] if on]
        extras.append(QUOTAS.describe())
        if FAULTS.enabled:
            extras.append(FAULTS.describe())
        print(
            f"floto local engine ready on {url}  (export AWS_ENDPOINT_URL_SWF={url})"
            + "".join(f", {extra}" for extra in extras),
            flush=True,
        )
        if options.port_file:
            _write_port_file(options.port_file, server.server_port)
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        SCHEDULER.stop()
        server.server_close()
        _persist.close_data_dir()
        print("floto local engine stopped", file=sys.stderr, flush=True)
    return 0
