"""A Lab without an endpoint starts and stops its own engine; watching reads only new history
pages; the widget shows its own errors; floto.notebook without ipywidgets names the extra."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

import floto.api
from floto.notebook import Lab, Run
from floto.specs.task import ActivityTask


def test_without_an_endpoint_the_lab_starts_its_own_engine_and_stops_it(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL_SWF", raising=False)
    lab = Lab("own_engine", workers=1)
    engine = lab.engine
    try:
        assert engine is not None and lab.endpoint_url == engine.endpoint_url
        assert "(local engine)" in repr(lab)
        task = ActivityTask("nb_test_echo", "1", input={"value": 7})
        assert lab.run(task).wait(timeout=60) == {task.id_: 7}
        process = engine.process
    finally:
        lab.close()
    assert process.poll() is not None  # the engine process has ended
    assert "open runs: closed" in repr(lab)


def test_watching_reads_only_new_pages_and_folds_each_event_once(lab):
    tasks = [ActivityTask("nb_test_echo", "1", input={"value": n}) for n in range(30)]
    run = lab.run(tasks)
    run.wait(timeout=60)
    follower = run.follower
    events = run.state.last_event_id
    history = lab.swf.get_workflow_execution_history(lab.domain, workflow_id=run.workflow_id)
    assert events == len(history) > 100  # more than one page of history
    # Each poll reads the newest page, and older ones only while they hold unseen events.
    assert follower.pages <= follower.polls + events // 100 + 1
    assert run.event_count == events


class FlakyHistory(floto.api.Swf):
    """An Swf whose history reads fail ``failures`` times before they work."""

    failures = 2

    def history_page_reader(self, *args, **kwargs):
        read = super().history_page_reader(*args, **kwargs)

        def flaky(token):
            if FlakyHistory.failures > 0:
                FlakyHistory.failures -= 1
                raise floto.api.NetworkError("the network is down (test)", code="NetworkError")
            return read(token)

        return flaky


def test_the_widget_shows_its_own_errors_and_recovers(lab):
    task = ActivityTask("nb_test_echo", "1", input={"value": "late", "sleep": 1.5})
    launched = lab.launcher.launch(task)
    swf = FlakyHistory(endpoint_url=lab.endpoint_url)
    run = Run(swf, lab.domain, launched.workflow_id, launched.run_id)
    view = run.widget
    deadline = time.monotonic() + 10
    while "network is down" not in view.error.value and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "reading the history failed" in view.error.value
    assert run.wait(timeout=60) == {task.id_: "late"}
    assert view.error.value == "" and view.bar.bar_style == "success"


def test_importing_floto_notebook_without_ipywidgets_names_the_extra():
    code = (
        "import sys\n"
        "sys.modules['ipywidgets'] = None  # as if it were not installed\n"
        "try:\n"
        "    import floto.notebook\n"
        "except ImportError as error:\n"
        "    from floto.errors import FlotoError\n"
        "    assert isinstance(error, FlotoError), type(error)\n"
        "    print(error)\n"
        "else:\n"
        "    raise SystemExit('imported')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'floto[notebook]'" in done.stdout


def test_a_time_skipping_lab_runs_an_hour_timer_in_moments(monkeypatch):
    import pytest

    from floto.notebook import Lab
    from floto.specs.task import Timer

    monkeypatch.delenv("AWS_ENDPOINT_URL_SWF", raising=False)
    with pytest.raises(ValueError, match="floto local --time-skipping"):
        Lab(endpoint_url="http://127.0.0.1:9", time_skipping=True)
    began = time.monotonic()
    with Lab(time_skipping=True) as lab:
        run = lab.run(Timer(id_="timer_3600", delay_in_seconds=3600))
        assert run.wait(timeout=60) == {}
        timer = run.state.tasks["timer_3600"].attempts[0]
        assert (timer.closed_at - timer.scheduled_at).total_seconds() >= 3600
    assert time.monotonic() - began < 30


class NewRunAfterLookup(floto.api.Swf):
    """An Swf on which a new run of the workflow id starts right after the first latest-run
    lookup (a run started elsewhere between two lookups)."""

    start_next: dict = {}

    def latest_run_id(self, domain, workflow_id):
        found = super().latest_run_id(domain, workflow_id)
        if self.start_next:
            start, self.start_next = self.start_next, {}
            self.start_workflow_execution(**start)
        return found


def test_a_run_watched_by_workflow_id_reads_the_run_it_names(lab):
    """The run id is resolved once: the history read is the one of ``run.run_id``."""
    task = ActivityTask("nb_test_echo", "1", input={"value": "first"})
    first = lab.launcher.launch(task)
    lab.launcher.wait(first, timeout=60)
    swf = NewRunAfterLookup(endpoint_url=lab.endpoint_url)
    swf.start_next = dict(
        domain=lab.domain, workflow_id=first.workflow_id,
        workflow_type_name=first.workflow_type.name,
        workflow_type_version=first.workflow_type.version,
        task_list="nobody-decides-this", input={"second": True},
    )  # fmt: skip
    run = Run(swf, lab.domain, first.workflow_id)
    try:
        deadline = time.monotonic() + 10
        while run.state.last_event_id == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        ran_first = run.state.status.value == "completed"
        assert ran_first == (run.run_id == first.run_id)  # reader and run_id agree
    finally:
        run.stop_watching()
        lab.swf.terminate_workflow_execution(lab.domain, first.workflow_id, reason="test over")


def test_a_second_run_with_the_same_workflow_id_is_one_line_naming_it(lab):
    from floto.api import WorkflowAlreadyStartedError
    from floto.notebook import DuplicateWorkflowIdError

    slow = ActivityTask("nb_test_echo", "1", input={"sleep": 3, "value": 1})
    run = lab.run(slow, workflow_id="twice")
    try:
        with pytest.raises(DuplicateWorkflowIdError) as caught:
            lab.run(slow, workflow_id="twice")
    finally:
        run.terminate()
    error = caught.value
    assert isinstance(error, WorkflowAlreadyStartedError) and error.__cause__ is None
    assert error.__suppress_context__ and error.open_run_id == run.run_id
    (line,) = error._render_traceback_()  # what IPython shows: one line, no traceback
    assert "'twice' already has an open run" in line and "lab.watch('twice')" in line
    assert run.run_id in line
