"""The decision loop shared by Decider, DynamicDecider and Daemon: poll, derive, plan,
respond; survive everything with jittered back-off; keep each run's state between tasks.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any

from floto import observability, wire
from floto.api import Swf, SwfError, UnknownResourceError, ValidationError, default_identity
from floto.backoff import Backoff
from floto.decider import _decisions as d
from floto.decider._failing import failure_details
from floto.decider._planner import Plan
from floto.errors import PayloadError
from floto.history import ExecutionState, History
from floto.ids import from_swf_id
from floto.limits import MAX_HISTORY_PAGE_SIZE

log = observability.logger("floto.decider")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class RunCache:
    """The ExecutionStates of the most recently decided runs, by run id (LRU)."""

    def __init__(self, max_runs: int = 1_000) -> None:
        self.max_runs = max_runs
        self._states: OrderedDict[str, ExecutionState] = OrderedDict()

    def get(self, run_id: str | None) -> ExecutionState | None:
        if run_id is None or run_id not in self._states:
            return None
        self._states.move_to_end(run_id)
        return self._states[run_id]

    def put(self, run_id: str | None, state: ExecutionState) -> None:
        if run_id is None or self.max_runs <= 0:
            return
        self._states[run_id] = state
        self._states.move_to_end(run_id)
        while len(self._states) > self.max_runs:
            self._states.popitem(last=False)

    def drop(self, run_id: str | None) -> None:
        self._states.pop(run_id, None)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, run_id: object) -> bool:
        return run_id in self._states


class DecisionLoop:
    """Polls one decision task list and answers each task from the run's ExecutionState.

    Subclasses say how a run's first state is made (:meth:`make_state`), what to decide
    (:meth:`plan`) and what to do once a run they closed is closed (:meth:`on_closed`).

    History pages hold ``page_size`` events (100 by default): a decider that knows the run
    reads only the first page, whose cost does not grow with the history; a cold replay
    reads ``events / page_size`` pages once.

    A run can also close without this loop: terminated, timed out, failed or completed by
    someone else. SWF sends no decision task then, so every ``gone_check_seconds`` (and
    whenever an answer is refused because the task is gone) the loop asks SWF about the
    runs it decided and has not seen closed (``DescribeWorkflowExecution``, at most
    ``gone_checks_per_round`` a round); each one found closed is logged once, forgotten and
    passed to :meth:`on_gone`.

    Attributes:
        swf: the :class:`floto.api.Swf` used for every call.
        identity: sent with every poll.
        cache: states of recent runs (LRU, ``cache_size`` runs).
        max_run_errors: consecutive errors deciding one run before the run is failed.
        gone_check_seconds: how often runs closed from outside are looked for.
    """

    max_run_errors = 3
    gone_checks_per_round = 20

    def __init__(
        self,
        domain: str,
        task_list: str,
        identity: str | None = None,
        *,
        swf: Swf | None = None,
        cache_size: int = 1_000,
        page_size: int = 100,
        gone_check_seconds: float = 30.0,
    ) -> None:
        if not _whole(page_size) or not 1 <= page_size <= MAX_HISTORY_PAGE_SIZE:
            raise ValueError(f"page_size must be 1 to {MAX_HISTORY_PAGE_SIZE}, got {page_size!r}")
        if not _whole(cache_size) or cache_size < 0:
            raise ValueError(f"cache_size must be a whole number >= 0, got {cache_size!r}")
        self.page_size = page_size
        self.domain, self.task_list = domain, task_list
        self.identity = identity or default_identity()
        self.swf = swf if swf is not None else Swf()
        self.cache = RunCache(cache_size)
        self.terminate_decider = False
        self.backoff = Backoff(0.5, 30.0)
        self._stopping = threading.Event()
        self._run_errors: Counter[str] = Counter()
        self._domain_lost = False  # reported that the endpoint does not know the domain
        self.last_history: History | None = None
        self.gone_check_seconds = gone_check_seconds
        self._watched: OrderedDict[str, str] = OrderedDict()  # open run id -> workflow id
        self._last_gone_check = time.monotonic()
        self.before_poll: list[Callable[[], None]] = []
        """Called (in the loop's thread) before each poll for a new decision task is sent: a
        launcher learns there that the decider polls."""
        self._in_hand = 0

    # -- for subclasses ------------------------------------------------------------------
    def make_state(self) -> ExecutionState:
        raise NotImplementedError

    def make_state_for(self, response: dict[str, Any]) -> ExecutionState:
        """The empty state of the run a decision task belongs to (``make_state()`` unless a
        subclass decides runs of several kinds)."""
        return self.make_state()

    def plan(self, history: History) -> Plan:
        raise NotImplementedError

    def prepare(self, history: History) -> None:
        """Called before :meth:`plan` with each decision task's history: what the state needs
        from outside its own history (a rerun's earlier run) is read here."""

    def on_closed(self, history: History, plan: Plan) -> None:
        """Called once a run this loop closed is seen closed."""

    def after_respond(self, history: History, plan: Plan) -> None:
        """Called after each accepted response."""

    def on_gone(self, workflow_id: str, run_id: str, status: str) -> None:
        """Called once for a run found closed that this loop did not close (``status``:
        SWF's close status, e.g. ``TERMINATED``, or ``UNKNOWN`` if SWF no longer knows it)."""

    # -- the loop --------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop after the current poll returns (an idle poll lasts up to a minute on SWF)."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        """Whether the loop has been told to stop or has decided to."""
        return self._stopping.is_set() or self.terminate_decider

    def run(self, *, until: Callable[[], bool] | None = None) -> None:
        """Decide until :meth:`stop` is called, the spec says to stop after completion, or
        ``until()`` (asked after every poll) returns True.

        Errors (network, throttling, a bad history, a bug deciding one run) are logged and
        followed by a jittered exponential back-off; they never end the loop.
        """
        log.info("%s polling %s/%s as %s", type(self).__name__, self.domain, self.task_list,
                 self.identity)  # fmt: skip
        while not self.stopping:
            try:
                self.run_once()
            except Exception as error:  # the loop must survive anything
                delay = self.backoff.next_delay()
                observability.poll_failed("decider", self.domain, self.task_list, error, delay)
                self._log_error(error, delay)
                self._stopping.wait(delay)
            else:
                self.backoff.reset()
                self._domain_lost = False
            if until is not None and not self.stopping and until():
                break

    def _log_error(self, error: Exception, delay: float) -> None:
        """Log a failed round; an unknown domain once (it lasts), then quietly until it is back."""
        lost = isinstance(error, UnknownResourceError) and error.operation == "PollForDecisionTask"
        if lost and self._domain_lost:
            log.debug("%s: domain %s still unknown; retrying in %.1f s", type(self).__name__,
                      self.domain, delay)  # fmt: skip
        elif lost:
            self._domain_lost = True
            log.error("%s: %s. Polling on with back-off (up to %.0f s) until it is back.",
                      type(self).__name__, error, self.backoff.cap)  # fmt: skip
        else:
            log.warning("%s: %s; retrying in %.1f s", type(self).__name__, error, delay,
                        exc_info=not isinstance(error, SwfError))  # fmt: skip

    def run_once(self) -> bool:
        """Poll once and answer the decision task, if one came; True if one did.

        Raises:
            SwfError: polling or paging failed (the task, if any, times out and comes back).
        """
        for listener in self.before_poll:
            listener()
        response = self.swf.poll_for_decision_task(
            self.domain, self.task_list, identity=self.identity, page_size=self.page_size
        )
        try:
            polled = bool(response.get("taskToken"))  # an empty poll's token is "" (SWF's)
            observability.polled("decider", self.domain, self.task_list, polled)
            if not polled:
                return False
            self.decide(response)
            return True
        finally:
            if time.monotonic() - self._last_gone_check >= self.gone_check_seconds:
                self.check_gone_runs()

    def decide(self, response: dict[str, Any]) -> None:
        """Answer one decision task (its first page is ``response``)."""
        self._in_hand += 1
        try:
            with observability.decision_task(
                self.domain, self.task_list, response, from_swf_id
            ) as observed:
                self._decide(response, observed)
        finally:
            self._in_hand -= 1

    @property
    def busy(self) -> bool:
        """Whether a decision task is being answered now (a stopping process waits for it)."""
        return self._in_hand > 0

    def _decide(self, response: dict[str, Any], observed: Any) -> None:
        run_id = (response.get("workflowExecution") or {}).get("runId")
        try:
            history = History(
                response, self.read_page, cached=self.cache.get(run_id),
                make_state=lambda: self.make_state_for(response),
            )  # fmt: skip
            self.last_history = history
            self.prepare(history)
            plan = self.plan(history)
        except (SwfError, PayloadError) as error:
            self.cache.drop(run_id)
            if isinstance(error, SwfError) or error.transient:
                raise  # passes with time: the task times out and comes back
            self._run_error(response, run_id, error)
            raise
        except Exception as error:
            self.cache.drop(run_id)
            self._run_error(response, run_id, error)
            raise
        self.cache.put(run_id, history.state)
        observed.planned(not history.replayed, plan.decisions, history.new_events)
        self._respond(history, plan)

    def read_page(self, token: str | None) -> dict[str, Any]:
        """The decision task's page after ``token``: the same poll, with the token."""
        return self.swf.poll_for_decision_task(
            self.domain, self.task_list, identity=self.identity, next_page_token=token,
            page_size=self.page_size,
        )  # fmt: skip

    def _respond(self, history: History, plan: Plan) -> None:
        run_id = history.run_id
        log.debug("run %s: %d new events, %d decisions", run_id, len(history.new_events),
                  len(plan.decisions))  # fmt: skip
        if run_id and history.workflow_id and not history.state.is_closed:
            self._watched[run_id] = history.workflow_id
            self._watched.move_to_end(run_id)
            while len(self._watched) > max(self.cache.max_runs, 1):
                self._watched.popitem(last=False)
        try:
            self.swf.respond_decision_task_completed(history.task_token, plan.decisions)
        except UnknownResourceError as error:
            log.warning("run %s: decision task no longer open (timed out, or the run closed); "
                        "answer dropped: %s", run_id, error)  # fmt: skip
            self.check_gone_runs([run_id] if run_id else [])
        except ValidationError as error:
            self.cache.drop(run_id)
            answer = {"taskToken": history.task_token, "startedEventId": history.started_event_id}
            self._run_error(answer, run_id, error)
            raise
        else:
            self._run_errors.pop(run_id or "", None)
            self.after_respond(history, plan)
        if plan.closing and self._closed(history):
            self.cache.drop(run_id)
            self._watched.pop(run_id or "", None)
            self.on_closed(history, plan)

    def check_gone_runs(self, run_ids: list[str] | None = None) -> list[str]:
        """Ask SWF about runs this loop decided and has not seen closed (the longest unseen
        first, ``gone_checks_per_round`` at most; or ``run_ids``); handle each one closed.
        Returns the run ids found closed."""
        self._last_gone_check = time.monotonic()
        if run_ids is None:
            run_ids = list(self._watched)[: self.gone_checks_per_round]
        gone = []
        for run_id in run_ids:
            workflow_id = self._watched.get(run_id)
            if workflow_id is None:
                continue
            status = self._close_status(workflow_id, run_id)
            if status is None:
                self._watched.move_to_end(run_id)  # open: check the others first next time
                continue
            del self._watched[run_id]
            self.cache.drop(run_id)
            self._run_errors.pop(run_id, None)
            log.warning("run %s of %s closed without this decider (%s); it gets no more "
                        "decisions", run_id, workflow_id, status)  # fmt: skip
            self.on_gone(workflow_id, run_id, status)
            gone.append(run_id)
        return gone

    def _close_status(self, workflow_id: str, run_id: str) -> str | None:
        """SWF's close status of a run, None while it is open (or cannot be asked now)."""
        try:
            described = self.swf.describe_workflow_execution(self.domain, workflow_id, run_id)
        except UnknownResourceError:
            return "UNKNOWN"  # past its retention: long closed
        except SwfError as error:
            log.info("run %s: could not check whether it is still open: %s", run_id, error)
            return None
        info = described.get("executionInfo") or {}
        if info.get("executionStatus") != "CLOSED":
            return None
        return str(info.get("closeStatus") or "UNKNOWN")

    def _closed(self, history: History) -> bool:
        """Whether the run is closed now (SWF may have refused the closing decision)."""
        if not history.workflow_id:
            return False
        try:
            described = self.swf.describe_workflow_execution(
                self.domain, history.workflow_id, history.run_id
            )
        except SwfError as error:
            log.warning("run %s: could not check whether it closed: %s", history.run_id, error)
            return False
        return (described.get("executionInfo") or {}).get("executionStatus") == "CLOSED"

    def _retry_soon(self, response: dict[str, Any], run_id: str | None, errors: int) -> None:
        """Answer with a wake-up timer (1 s, 2 s, ...), so the run is decided again soon rather
        than after its decision task's timeout (up to hours)."""
        started = int(response.get("startedEventId") or 0)
        timer = d.start_timer(wire.wake_timer_id(started), 2 ** (errors - 1))
        try:
            self.swf.respond_decision_task_completed(response["taskToken"], [timer])
        except SwfError as respond_error:
            log.warning("run %s: could not ask for another decision task: %s", run_id,
                        respond_error)  # fmt: skip

    def _run_error(self, response: dict[str, Any], run_id: str | None, error: Exception) -> None:
        """Count an error deciding ``run_id``; fail the run once they keep coming."""
        key = run_id or ""
        self._run_errors[key] += 1
        if not response.get("taskToken"):
            return
        if self._run_errors[key] < self.max_run_errors:
            self._retry_soon(response, run_id, self._run_errors[key])
            return
        self._run_errors.pop(key, None)
        message = f"decider error ({self.max_run_errors} times): {type(error).__name__}: {error}"
        log.error("run %s: failing it: %s", run_id, message)
        decision = d.fail(message, failure_details({"": message}))
        try:
            self.swf.respond_decision_task_completed(response["taskToken"], [decision])
        except SwfError as respond_error:
            log.warning("run %s: could not fail it: %s", run_id, respond_error)
