"""ActivityWorker: polls an activity task list and runs the registered functions."""

from __future__ import annotations

import signal
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from floto import observability
from floto.api import Swf, UnknownResourceError, default_identity
from floto.backoff import Backoff
from floto.errors import PayloadError, PayloadTooLargeError
from floto.ids import from_swf_id
from floto.limits import MAX_ID_CHARS, MAX_TIMER_SECONDS
from floto.worker import _logs
from floto.worker._cancel import reset, running_with
from floto.worker._heartbeat import Heartbeat, Heartbeater
from floto.worker._outcome import (
    BadInput,
    Outcome,
    activity_outcome,
    from_exception,
    generator_outcome,
    parse_context,
    with_log_tail,
)
from floto.worker._registry import ActivityDefinition, ActivityRegistry, default_registry

log = observability.logger("floto.worker")


def _old_heartbeat(given: float | None, old: float) -> float:
    """floto 0.0.3's ``task_heartbeat_in_seconds=``: accepted with a DeprecationWarning."""
    if given is not None:
        raise TypeError("give heartbeat_in_seconds or task_heartbeat_in_seconds, not both")
    warnings.warn(
        "ActivityWorker(task_heartbeat_in_seconds=...) is floto 0.0.3's name: write "
        "heartbeat_in_seconds=...",
        DeprecationWarning,
        stacklevel=3,
    )
    return old


class ActivityWorker:
    """Polls one activity task list and runs the functions registered for the tasks it gets.

    For each task the worker looks up the function by the task's activity type (name and
    version) in ``registry``, hands it the task's input parsed as JSON (``{}`` without input),
    sends heartbeats while it runs, and responds:

    * completed, with the return value as JSON (``None``: no result; a generator's list of
      tasks as a JSON list of task documents); a result over SWF's 32,768 characters goes to
      the Swf's payload store and its reference is sent;
    * failed, with a reason and details, if the function raised, is not registered, or its
      return value is not JSON-serialisable, is over 32,768 characters with no payload store
      (or over the store's cap), or (generators) is not a list of tasks with distinct ids;
    * canceled, if a heartbeat's answer said SWF requested cancellation (whatever the function
      returned). The function can ask ``floto.cancel_requested()`` while it runs (true once a
      heartbeat was answered with ``cancelRequested``, or SWF no longer knows the task because
      its run closed) and stop early; see docs/worker.md.

    The loop survives every error: failed polls and responses are logged and retried with
    jittered, capped exponential back-off.

    Args:
        domain: the SWF domain.
        task_list: the activity task list to poll.
        heartbeat_in_seconds: seconds between heartbeats while a task runs (default 90); 0
            disables them. ``task_heartbeat_in_seconds`` (floto 0.0.3's name) is accepted
            with a DeprecationWarning.
        identity: the worker's name in SWF's history (default ``<host>:<pid>``).
        swf: the :class:`floto.api.Swf` to use (default: a new one).
        registry: where to look functions up (default: the one ``@floto.activity`` fills).
    """

    backoff_base_seconds: float = 1.0
    backoff_cap_seconds: float = 30.0
    respond_attempts: int = 5

    def __init__(
        self,
        domain: str,
        task_list: str,
        heartbeat_in_seconds: float | None = None,
        identity: str | None = None,
        *,
        swf: Swf | None = None,
        registry: ActivityRegistry | None = None,
        task_heartbeat_in_seconds: float | None = None,
    ) -> None:
        if task_heartbeat_in_seconds is not None:
            heartbeat_in_seconds = _old_heartbeat(heartbeat_in_seconds, task_heartbeat_in_seconds)
        if heartbeat_in_seconds is None:
            heartbeat_in_seconds = 90
        if isinstance(heartbeat_in_seconds, bool) or not isinstance(
            heartbeat_in_seconds, int | float
        ):
            raise TypeError(f"heartbeat_in_seconds must be a number, got {heartbeat_in_seconds!r}")
        if not 0 <= heartbeat_in_seconds <= MAX_TIMER_SECONDS:  # refuses NaN too
            raise ValueError(
                f"heartbeat_in_seconds must be >= 0 and at most {MAX_TIMER_SECONDS:,}, got "
                f"{heartbeat_in_seconds!r}"
            )
        self.domain = domain
        self.task_list = task_list
        self.heartbeat_in_seconds = heartbeat_in_seconds
        self.identity = (identity or default_identity())[:MAX_ID_CHARS]
        self.swf = swf if swf is not None else Swf()
        self.registry = registry if registry is not None else default_registry
        self.tasks_handled = 0
        self._stop = threading.Event()
        self._backoff: Backoff | None = None
        self._domain_lost = False  # reported that the endpoint does not know the domain
        self._heartbeater = Heartbeater(f"floto-heartbeat {self.identity}")
        self.before_poll: list[Callable[[], None]] = []
        """Called (in the loop's thread) before each poll is sent: a launcher learns there
        that the worker polls."""
        self._in_hand = 0

    @property
    def busy(self) -> bool:
        """Whether a task is being handled now (a stopping process waits for it)."""
        return self._in_hand > 0

    # -- the loop --------------------------------------------------------------------------
    def run(self, *, max_tasks: int | None = None) -> None:
        """Poll and run tasks until :meth:`stop`, SIGTERM, or ``max_tasks`` tasks handled.

        In the main thread, SIGTERM is handled while ``run`` runs: the task in hand finishes
        and is responded to, then ``run`` returns (the previous handler is restored).
        """
        if max_tasks is not None and (
            isinstance(max_tasks, bool) or not isinstance(max_tasks, int) or max_tasks < 0
        ):
            raise ValueError(f"max_tasks must be None or a whole number >= 0, got {max_tasks!r}")
        installed, previous = self._install_sigterm()
        log.info("worker %s polling %s/%s", self.identity, self.domain, self.task_list)
        try:
            handled = 0
            while not self._stop.is_set() and (max_tasks is None or handled < max_tasks):
                handled += self.run_once()
        finally:
            self._heartbeater.close()
            if installed:
                signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
        log.info("worker %s stopped after %d tasks", self.identity, self.tasks_handled)

    def stop(self) -> None:
        """Ask :meth:`run` to return once the task in hand (if any) is done. Thread-safe.

        A stopped worker stays stopped: a later :meth:`run` returns at once.
        """
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` (or SIGTERM) asked the worker to stop."""
        return self._stop.is_set()

    def run_once(self) -> bool:
        """Poll once and handle the task, if one came; True if a task was handled.

        A failed poll is logged and followed by a back-off wait (cut short by :meth:`stop`).
        """
        try:
            for listener in self.before_poll:
                listener()
            task = self.swf.poll_for_activity_task(
                self.domain, self.task_list, identity=self.identity
            )
        except Exception as error:
            if self._backoff is None:
                self._backoff = Backoff(self.backoff_base_seconds, self.backoff_cap_seconds)
            delay = self._backoff.next_delay()
            observability.poll_failed("worker", self.domain, self.task_list, error, delay)
            self._log_poll_error(error, delay)
            self._stop.wait(delay)
            return False
        self._backoff = None
        self._domain_lost = False
        observability.polled("worker", self.domain, self.task_list, bool(task.get("taskToken")))
        if not task.get("taskToken"):
            return False
        try:
            self.handle(task)
        except Exception as error:  # a bug of floto's with this one task: fail it, go on
            self._fail_unhandled(task, error)
        return True

    def _fail_unhandled(self, task: dict[str, Any], error: Exception) -> None:
        label = f"activity task {str(task.get('activityId'))[:100]!r}"
        with observability.task_context(self.domain, self.task_list, task, from_swf_id):
            log.exception("%s: the worker could not handle it", label)
            outcome = from_exception(error, f"floto's worker handling {label}")
            try:
                self._respond(task, outcome, label, cancel_requested=False)
            except Exception:  # nothing more to do: the task times out and is retried
                log.exception("%s: could not report the failure", label)

    def _log_poll_error(self, error: Exception, delay: float) -> None:
        """Log a failed poll; an unknown domain once (it lasts), then quietly until it is back."""
        lost = isinstance(error, UnknownResourceError) and error.operation == "PollForActivityTask"
        if lost and self._domain_lost:
            log.debug("domain %s still unknown; retrying in %.1f s", self.domain, delay)
        elif lost:
            self._domain_lost = True
            log.error("worker %s: %s. Polling on with back-off (up to %.0f s) until it is back.",
                      self.identity, error, self.backoff_cap_seconds)  # fmt: skip
        else:
            log.warning("poll for %s failed (%s); retrying in %.1f s", self.task_list, error, delay)

    def _install_sigterm(self) -> tuple[bool, Any]:
        """(installed?, previous handler): SIGTERM stops the loop, in the main thread only."""
        if threading.current_thread() is not threading.main_thread():
            return False, None

        def on_sigterm(signum: int, frame: Any) -> None:
            log.info("SIGTERM: worker %s stops after the task in hand", self.identity)
            self._stop.set()

        try:
            return True, signal.signal(signal.SIGTERM, on_sigterm)
        except ValueError:  # e.g. an interpreter that does not allow signal handlers
            return False, None

    # -- one task --------------------------------------------------------------------------
    def handle(self, task: dict[str, Any]) -> None:
        """Run one polled activity task and respond to SWF (never raises for task errors)."""
        self._in_hand += 1
        try:
            with observability.activity_task(
                self.domain, self.task_list, task, from_swf_id
            ) as observed:
                self._handle(task, observed)
        finally:
            self._in_hand -= 1

    def _handle(self, task: dict[str, Any], observed: Any) -> None:
        label = _label(task)
        activity_type = task.get("activityType", {})
        name, version = activity_type.get("name"), activity_type.get("version")
        definition = self.registry.get(name, version)
        if definition is None:
            outcome = Outcome.failure(
                f"no activity function registered for {name!r} version {version!r} "
                f"on worker {self.identity}"
            )
            observed.outcome(self._respond(task, outcome, label, cancel_requested=False))
            return
        log.info("running %s", label)
        interrupt: KeyboardInterrupt | None = None
        with Heartbeat(
            self.swf, task["taskToken"], self.heartbeat_in_seconds, label=label,
            heartbeater=self._heartbeater,
        ) as beat, _logs.capture() as output:  # fmt: skip
            token = running_with(beat)  # what floto.cancel_requested() reads
            try:
                outcome = self._run_function(definition, task.get("input"), label)
            except KeyboardInterrupt as error:  # fail the task, then let Ctrl-C stop the worker
                interrupt = error
                outcome = from_exception(error, f"activity {definition.name!r}")
            finally:
                reset(token)
        text = output.text()
        sent = self._respond(task, with_log_tail(outcome, text), label,
                             cancel_requested=beat.cancel_requested)  # fmt: skip
        observed.outcome(sent, outcome.reason)
        _logs.keep(self.swf, task, self.domain, text)
        if interrupt is not None:
            raise interrupt

    def _run_function(
        self, definition: ActivityDefinition, text: str | None, label: str
    ) -> Outcome:
        what = f"{definition.name!r} version {definition.version!r}"
        try:
            context = parse_context(text, self.swf.resolve_payload)
        except BadInput as error:
            return Outcome.failure(str(error), f"input: {text!r}"[:2000])
        try:
            value = definition.call(context)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # SystemExit too: one task must not end the worker
            log.info("%s raised %s", label, type(error).__name__)
            return from_exception(error, f"activity {what}")
        try:
            if definition.kind == "generator":
                outcome = generator_outcome(value, what)
                return self._fit(outcome, f"the task list of generator {what}")
            outcome = activity_outcome(value, f"activity {what}")
            return self._fit(outcome, f"the result of activity {what}")
        except Exception as error:  # e.g. a result's own __repr__ raising: fail, go on
            return from_exception(error, f"encoding the return value of {what}")

    def _fit(self, outcome: Outcome, what: str) -> Outcome:
        """The outcome with a result SWF takes: stored in the payload store if too long."""
        text = outcome.result
        if outcome.failed or text is None:
            return outcome
        try:
            return Outcome.success(self.swf.fit_payload(text, what=what))
        except PayloadTooLargeError as error:
            return Outcome.failure(
                str(error), f"{error}\n\nthe first 1,000 characters:\n{text[:1000]}"
            )
        except PayloadError as error:
            return Outcome.failure(f"{what} could not be stored: {error}")

    def _respond(
        self, task: dict[str, Any], outcome: Outcome, label: str, *, cancel_requested: bool
    ) -> str:
        """Respond; what SWF was told (``completed``, ``failed``, ``canceled``), or
        ``undelivered``."""
        token = task["taskToken"]
        call: Callable[..., None]
        kwargs: dict[str, Any]
        if cancel_requested:
            log.info("%s: canceled (cancellation was requested)", label)
            done = "failed: " + (outcome.reason or "") if outcome.failed else "completed"
            call, kwargs = (
                self.swf.respond_activity_task_canceled,
                {"details": f"cancel requested; {done}"},
            )
        elif outcome.failed:
            log.warning("%s failed: %s", label, outcome.reason)
            call = self.swf.respond_activity_task_failed
            kwargs = {"reason": outcome.reason, "details": outcome.details}
        else:
            call, kwargs = self.swf.respond_activity_task_completed, {"result": outcome.result}
        delivered = self._send(call, token, kwargs, label)
        self.tasks_handled += 1
        return call.__name__.removeprefix("respond_activity_task_") if delivered else "undelivered"

    def _send(self, call: Any, token: str, kwargs: dict[str, Any], label: str) -> bool:
        """Send a response; transient errors are retried with back-off, others logged."""
        backoff = Backoff(self.backoff_base_seconds, self.backoff_cap_seconds)
        for attempt in range(1, self.respond_attempts + 1):
            try:
                call(token, **kwargs)
            except (UnknownResourceError, ValueError) as error:
                # The task timed out or was closed meanwhile, or SWF refused the response.
                log.error("could not respond for %s: %s", label, error)
                return False
            except Exception as error:
                if attempt == self.respond_attempts:
                    log.error("giving up responding for %s: %s", label, error)
                    return False
                delay = backoff.next_delay()
                log.warning(
                    "responding for %s failed (%s); retrying in %.1f s", label, error, delay
                )
                time.sleep(delay)
            else:
                log.info("%s: responded %s", label, call.__name__.removeprefix("respond_"))
                return True
        return False


def _label(task: dict[str, Any]) -> str:
    activity_id = from_swf_id(task.get("activityId", "?"))
    workflow_id = task.get("workflowExecution", {}).get("workflowId", "?")
    return f"activity {activity_id} of workflow {from_swf_id(workflow_id)}"
