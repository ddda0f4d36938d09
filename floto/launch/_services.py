"""Pollers a launcher runs: activity workers and deciders, as threads (or worker processes)."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("floto.launch")

def signal_first_poll(loop: Any, polling: Any) -> None:
    """Make ``loop`` (a worker or decider) set ``polling`` (an Event) before it polls.

    What a launcher waits for before it starts a run: on a time-skipping engine, a decision
    task that no poller is there to take lets the clock jump (to the run's own timeout).
    """
    loop.before_poll.append(polling.set)


def wait_for_first_polls(services: list[Service], timeout: float) -> bool:
    """Wait until each task list among ``services`` has one whose first poll went out.

    Returns:
        Whether they all did within ``timeout`` seconds (a warning is logged if not).
    """
    deadline = time.monotonic() + timeout
    groups: dict[tuple[str, str], list[Service]] = {}
    for service in services:
        groups.setdefault((service.kind, service.task_list), []).append(service)
    for (kind, task_list), group in sorted(groups.items()):
        while not any(service.polling.is_set() for service in group):
            if time.monotonic() >= deadline:
                log.warning("no %s polls %s after %s s; going on", kind, task_list, timeout)
                return False
            time.sleep(0.01)
    return True


class Service:
    """One poller: an object with ``run()`` and ``stop()`` (an ActivityWorker, a Decider),
    run in a daemon thread of this process. With ``make_swf``, the thread first gives the
    loop a client of its own (``loop.swf = make_swf()``).

    Attributes:
        name: ``worker <task list> #<n>`` or ``decider <task list>``.
        kind: ``"worker"`` or ``"decider"``.
        task_list: the task list it polls.
        loop: the ActivityWorker or Decider.
        error: the exception that ended ``run()``, if one did (loops survive task errors,
            so this means a bug).
        polling: an Event set once the loop has sent its first poll.
    """

    def __init__(
        self,
        name: str,
        kind: str,
        task_list: str,
        loop: Any,
        make_swf: Callable[[], Any] | None = None,
    ) -> None:
        self.name, self.kind, self.task_list, self.loop = name, kind, task_list, loop
        self.error: BaseException | None = None
        self.polling: Any = threading.Event()
        self._make_swf = make_swf
        self._thread = threading.Thread(target=self._run, name=f"floto {name}", daemon=True)

    def _run(self) -> None:
        try:
            if self._make_swf is not None:  # building a client takes a while: not in start()
                self.loop.swf = self._make_swf()
            signal_first_poll(self.loop, self.polling)
            self.loop.run()
        except BaseException as error:  # recorded and logged: a thread has no one to raise to
            self.error = error
            log.exception("%s stopped by an error", self.name)

    def start(self) -> Service:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the loop to stop once its poll returns (and its task in hand is done)."""
        self.loop.stop()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        """Whether the poller is still running."""
        return self._thread.is_alive()

    def __repr__(self) -> str:
        state = "running" if self.alive else "stopped"
        return f"<Service {self.name} ({state})>"


class ProcessService(Service):
    """An activity worker in a forked process of its own (POSIX).

    The process inherits the registry as it was when forked: functions defined or redefined
    afterwards are not seen by it (thread workers look them up at task time).
    """

    _FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None

    def __init__(self, name: str, task_list: str, make_loop: Callable[[], Any]) -> None:
        super().__init__(name, "worker", task_list, None)  # the loop is built in the child
        if self._FORK is None:
            raise RuntimeError("worker processes need fork (POSIX); use thread workers")
        self.polling = self._FORK.Event()
        self._process = self._FORK.Process(
            target=_run_in_process, args=(make_loop, self.polling), name=f"floto {name}",
            daemon=True,
        )  # fmt: skip

    def start(self) -> ProcessService:
        self._process.start()
        return self

    def stop(self) -> None:
        """SIGTERM: the worker finishes the task in hand, responds, and exits."""
        if self._process.pid is not None and self._process.is_alive():
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.kill(self._process.pid, signal.SIGTERM)

    def join(self, timeout: float | None = None) -> None:
        self._process.join(timeout)

    def kill(self) -> None:
        """SIGKILL, for a worker that did not stop in time."""
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    @property
    def pid(self) -> int | None:
        """The worker process's id."""
        return self._process.pid


def _run_in_process(make_loop: Callable[[], Any], polling: Any) -> None:
    loop = make_loop()
    signal_first_poll(loop, polling)
    loop.run()  # ActivityWorker.run handles SIGTERM in the main thread
