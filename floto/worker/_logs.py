"""Task logs: what an activity printed (stdout, stderr) and logged (``logging``), per attempt.

Capture is per thread of execution (a ``contextvars.ContextVar``), never a swap of
``sys.stdout`` for the duration of a task: a Lab runs several workers as threads of one
process, and each attempt keeps only its own output. ``sys.stdout`` and ``sys.stderr`` are
wrapped once by a router that sends text to the attempt running in the writing thread (and on
to the stream, as before); a handler on the root logger does the same for log records.
Threads an activity starts itself are not followed (their output goes to the streams only).

Each attempt's text is bounded (the first ``HEAD_CHARS`` and the last ``TAIL_CHARS``
characters, with a line saying how much was left out between). The latest attempts of this
process are kept in memory (:func:`task_log`: how a Lab's notebook reads its in-kernel
workers), and a worker whose Swf has a payload store also writes each non-empty log there
(``floto.wire.task_log_key``), where any process can read it (:func:`read_task_log`).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, TextIO

HEAD_CHARS = 16_000
TAIL_CHARS = 48_000
"""An attempt's log keeps its first and last characters (64,000 at most)."""
TAIL_IN_DETAILS = 2_000
"""A failed attempt's details end with this many of the log's last characters."""
MAX_KEPT = 5_000
"""Attempts whose logs this process keeps in memory (the latest)."""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

AttemptKey = tuple[str, str, str, str, int]
"""(domain, workflow id, run id, task id, ActivityTaskStarted event id)."""


class AttemptLog:
    """One attempt's output, bounded: the first ``HEAD_CHARS`` and the last ``TAIL_CHARS``."""

    def __init__(self) -> None:
        self._head: list[str] = []
        self._head_size = 0
        self._tail: list[str] = []
        self._tail_size = 0
        self.dropped = 0
        self._lock = threading.Lock()

    def write(self, text: str) -> None:
        with self._lock:
            room = HEAD_CHARS - self._head_size
            if room > 0:
                self._head.append(text[:room])
                self._head_size += min(room, len(text))
                text = text[room:]
            if not text:
                return
            self._tail.append(text)
            self._tail_size += len(text)
            if self._tail_size > 2 * TAIL_CHARS:  # compact now and then, not per write
                self._compact()

    def _compact(self) -> None:
        joined = "".join(self._tail)
        cut = max(0, len(joined) - TAIL_CHARS)
        self.dropped += cut
        self._tail, self._tail_size = [joined[cut:]], len(joined) - cut

    def text(self) -> str:
        """What was captured, with a line where text was left out."""
        with self._lock:
            self._compact()
            gap = f"\n… ({self.dropped:,} characters left out) …\n" if self.dropped else ""
            return "".join(self._head) + gap + "".join(self._tail)


_echo = True  # captured text also goes on to the streams (a Lab turns this off)


def echo_task_output(enabled: bool) -> None:
    """Whether what activities print still goes to this process's stdout and stderr once
    captured (default True; a notebook ``Lab`` turns it off, so activity threads do not
    print into whatever cell ran last: the output shows with each task instead)."""
    global _echo
    _echo = bool(enabled)


_current: contextvars.ContextVar[AttemptLog | None] = contextvars.ContextVar(
    "floto_attempt_log", default=None
)


class _Router:
    """Stands for a stream: text written goes to the stream, and to the attempt running in
    the writing thread, if any (everything else is the stream's own)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        log = _current.get()
        if log is not None and isinstance(text, str):
            log.write(text)
            if not _echo:
                return len(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, fileno, isatty, ... of the stream
        return getattr(self.stream, name)


class _Handler(logging.Handler):
    """A root-logger handler writing records to the attempt running in the thread."""

    def emit(self, record: logging.LogRecord) -> None:
        log = _current.get()
        if log is not None and not record.name.startswith("floto."):
            try:
                log.write(self.format(record) + "\n")
            except Exception:  # a record that cannot be formatted must not fail the task
                self.handleError(record)
            if not _echo:
                return
        self._last_resort(record)

    @staticmethod
    def _last_resort(record: logging.LogRecord) -> None:
        """What logging did before this handler was there: with no other handler anywhere,
        its last resort prints warnings and errors to stderr."""
        last = logging.lastResort
        if last is None or record.levelno < last.level:
            return
        logger: logging.Logger | None = logging.getLogger(record.name)
        while logger is not None:
            if any(h is not _handler for h in logger.handlers):
                return
            logger = logger.parent if logger.propagate else None
        last.handle(record)


_handler = _Handler()
_handler.setFormatter(logging.Formatter(LOG_FORMAT))
_install_lock = threading.Lock()


def _install() -> None:
    """Route sys.stdout / sys.stderr through a router, and add the logging handler (once;
    again if something replaced the streams since)."""
    with _install_lock:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if stream is not None and not isinstance(stream, _Router):
                setattr(sys, name, _Router(stream))
        root = logging.getLogger()
        if _handler not in root.handlers:
            root.addHandler(_handler)


@contextlib.contextmanager
def capture() -> Iterator[AttemptLog]:
    """Capture what the code run inside prints and logs, in this thread only."""
    _install()
    log = AttemptLog()
    token = _current.set(log)
    try:
        yield log
    finally:
        _current.reset(token)


class _Kept:
    """The latest attempts' logs of this process, by attempt."""

    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.limit = limit
        self._logs: OrderedDict[AttemptKey, str] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: AttemptKey, text: str) -> None:
        with self._lock:
            self._logs[key] = text
            self._logs.move_to_end(key)
            while len(self._logs) > self.limit:
                self._logs.popitem(last=False)

    def get(self, key: AttemptKey) -> str | None:
        with self._lock:
            return self._logs.get(key)


kept = _Kept()


def task_log(
    domain: str, workflow_id: str, run_id: str, task_id: str, started_event_id: int
) -> str | None:
    """What one attempt printed and logged, if a worker of this process ran it (the latest
    ``MAX_KEPT`` attempts are kept); ``""`` when it ran and wrote nothing."""
    return kept.get((domain, workflow_id, run_id, task_id, started_event_id))


def read_task_log(
    swf: Any, domain: str, workflow_id: str, run_id: str, task_id: str, started_event_id: int
) -> str | None:
    """One attempt's log: from this process's workers, else from the payload store of
    ``swf`` (a worker elsewhere wrote it there); None when neither has it."""
    text = task_log(domain, workflow_id, run_id, task_id, started_event_id)
    if text is not None:
        return text
    store = getattr(swf, "payload_store", None)
    if store is None:
        return None
    from floto.ids import to_swf_id
    from floto.wire import task_log_key

    key = task_log_key(domain, workflow_id, run_id, to_swf_id(task_id), started_event_id)
    return store.get_named(key)


def attempt_key(task: dict[str, Any], domain: str) -> AttemptKey:
    """The key of a polled activity task's attempt."""
    from floto.ids import from_swf_id

    execution = task.get("workflowExecution") or {}
    return (domain, from_swf_id(str(execution.get("workflowId", ""))),
            str(execution.get("runId", "")), from_swf_id(str(task.get("activityId", ""))),
            int(task.get("startedEventId") or 0))  # fmt: skip


def keep(swf: Any, task: dict[str, Any], domain: str, text: str) -> None:
    """Keep an attempt's log in memory, and (when not empty) in ``swf``'s payload store."""
    key = attempt_key(task, domain)
    kept.put(key, text)
    store = getattr(swf, "payload_store", None)
    if not text or store is None:
        return
    from floto.wire import task_log_key

    name = task_log_key(key[0], key[1], key[2], str(task.get("activityId", "")), key[4])
    try:
        store.put_named(name, text)
    except Exception as error:  # a log that cannot be stored must not fail anything
        logging.getLogger("floto.worker").warning("could not store the log of %s: %s",
                                                  key[3], error)  # fmt: skip


def tail(text: str, limit: int = TAIL_IN_DETAILS) -> str:
    """The last ``limit`` characters of a log, starting at a line."""
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    newline = cut.find("\n")
    return cut[newline + 1 :] if 0 <= newline < len(cut) - 1 else cut
