"""One task of a run, to debug in the kernel: ``run.task(name_or_id)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from floto.history import Attempt, TaskState, find_task, state_labels
from floto.notebook import _render
from floto.wire import details_traceback, split_details
from floto.worker import ActivityContext, default_registry, read_task_log

if TYPE_CHECKING:
    from floto.notebook._run import Run

__all__ = ["TaskView", "detail_html", "find_task", "user_traceback"]

FULL_TRACEBACK = "traceback with floto's frames"
_PRE = "margin:2px 0;max-height:220px;overflow:auto;background:#f8f9fa;padding:4px;font-size:12px"


def user_traceback(details: Any) -> tuple[str, dict[str, str]]:
    """A failure's traceback from the user's code and its details' other sections."""
    if not isinstance(details, str):
        return ("" if details is None else _render._json(details)), {}
    return details_traceback(details)


class TaskView:
    """One task of a run, read from the run's state: what its function received, what it
    returned or raised, what it printed, and a way to run it again here.

    Attributes:
        run: the :class:`Run`; task_id: the task's id; label: its readable label.
    """

    def __init__(self, run: Run, task_id: str) -> None:
        self.run, self.task_id = run, task_id
        self.label = state_labels(run.state).get(task_id, task_id)

    @property
    def state(self) -> TaskState:
        """The task's ``floto.history.TaskState`` (updated as the run goes on)."""
        return self.run.state.tasks[self.task_id]

    @property
    def status(self) -> str:
        return self.state.status.value

    @property
    def context(self) -> ActivityContext:
        """The dict the task's function receives (payloads read): the results of its
        required tasks, its input, the workflow input for a task that requires nothing."""
        with self.run._lock:
            return ActivityContext(self.run.state.context_of(self.task_id))

    @property
    def attempts(self) -> list[Attempt]:
        return list(self.state.attempts)

    @property
    def result(self) -> Any:
        """Its result (None without one)."""
        state = self.state
        return state.result if state.has_result else None

    @property
    def error(self) -> str | None:
        """The last attempt's error (``Type: message``), None if it did not fail."""
        return self.state.error

    @property
    def traceback(self) -> str:
        """The last failure's traceback from the user's code (empty without one)."""
        attempt = self.state.last_attempt
        return user_traceback(attempt.details if attempt else None)[0]

    def logs_of(self, attempt: Attempt) -> str | None:
        """What one attempt printed and logged (None when no log can be found: it ran
        elsewhere without a payload store, or has not started)."""
        if attempt.started_event_id is None:
            return None
        run = self.run
        text = read_task_log(run.swf, run.domain, run.workflow_id, run.run_id, self.task_id,
                             attempt.started_event_id)  # fmt: skip
        if text is None and isinstance(attempt.details, str):  # a failure carries its tail
            _, sections = split_details(attempt.details)
            text = next((body for name, body in sections.items() if name.startswith("output")),
                        None)  # fmt: skip
        return text

    @property
    def logs(self) -> str | None:
        """What the last attempt printed and logged (``logs_of`` for earlier ones)."""
        attempt = self.state.last_attempt
        return self.logs_of(attempt) if attempt is not None else None

    def call(self, *, debug: bool = False) -> Any:
        """Run the function registered for this task now, in the kernel, with its context
        (``debug=True``: under ``pdb``, stopping at the function's first line). Returns what
        the function returns; what it raises propagates, with its traceback.

        Raises:
            LookupError: the task is not an activity or generator, or no function is
                registered for its type.
        """
        task = self.state.task
        name, version = getattr(task, "name", None), getattr(task, "version", None)
        if name is None or version is None:
            raise LookupError(f"{self.label} is a {self.state.kind}, not an activity")
        registry = getattr(getattr(self.run.lab, "launcher", None), "registry", None)
        definition = (registry or default_registry).get(name, version)
        if definition is None:
            raise LookupError(f"no function is registered for {name!r} version {version!r}")
        context = self.context
        if debug:
            import pdb

            return pdb.runcall(definition.call, context)
        return definition.call(context)

    def _repr_html_(self) -> str:
        return detail_html(self)

    def __repr__(self) -> str:
        state = self.state
        return (f"<Task {self.label} ({self.task_id}) {state.status.value}, "
                f"{state.attempt_count} attempt(s)>")  # fmt: skip


def _pre(text: str) -> str:
    return f'<pre style="{_PRE}">{_render.esc(text)}</pre>'


def detail_html(view: TaskView, logs: str | None = None) -> str:
    """The picked task: label and id, input, result, the error once (the user's traceback),
    floto's frames and the output folded, earlier attempts."""
    state = view.state
    colour = _render.task_colour(state.status)
    parts = [
        f'<div><b>{_render.esc(view.label)}</b> · {_render.esc(state.kind)} · '
        f'<span style="color:{colour}">{state.status.value.replace("_", " ")}</span> · '
        f"{state.attempt_count} attempt(s)</div>",
        f'<div style="color:#6c757d">id <code class="floto-task-id" style="user-select:all">'
        f"{_render.esc(view.task_id)}</code> · debug it here: "
        f"<code>run.task({view.label!r}).call()</code></div>",
    ]
    task_input = getattr(state.task, "input", None)
    if task_input is not None:
        parts.append("<div>input</div>" + _pre(_render._json(task_input)))
    if state.has_result:
        parts.append("<div>result</div>" + _pre(_render._json(state.result)))
    last = state.last_attempt
    if state.error:
        trace, sections = user_traceback(last.details if last else None)
        parts.append('<div style="color:#b02a37">error</div>' + _pre(trace or state.error))
        if FULL_TRACEBACK in sections:
            parts.append(f"<details><summary>{FULL_TRACEBACK}</summary>"
                         f"{_pre(sections[FULL_TRACEBACK])}</details>")  # fmt: skip
    if logs:
        parts.append(f'<details open class="floto-logs"><summary>output ({len(logs):,} '
                     f"characters)</summary>{_pre(logs)}</details>")  # fmt: skip
    if state.attempt_count > 1:
        rows = "".join(
            f"<tr><td>{a.number}</td><td>{_render.esc(a.outcome.value)}</td>"
            f"<td>{_render.esc(_render.seconds(a.duration))}</td>"
            f"<td>{_render.esc(_render.first_line(a.error) if a is not last else '')}</td></tr>"
            for a in state.attempts
        )
        parts.append(f'<table style="font-size:12px">{rows}</table>')
    return '<div class="floto-task-detail">' + "".join(parts) + "</div>"
