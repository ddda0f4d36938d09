"""Lab, Run and the live widget after real runs on the local engine: progress, status, SVG
colours, table rows, task details, buttons, replay, the runs table and the lab's badge."""

from __future__ import annotations

import itertools
import re
import time

import pytest

from floto.launch import Launcher
from floto.notebook import RunFailed, WaitTimeoutError
from floto.specs.task import ActivityTask, Generator

COMPLETED_FILL = "#a3cfbb"  # floto.viz.STATUS_STYLES[completed]
FAILED_FILL = "#f1aeb5"


def _echo(value, **kwargs):
    return ActivityTask("nb_test_echo", "1", input={"value": value, **kwargs})


def _rows(html):
    return re.findall(r'<tr data-task-id="([^"]+)" data-status="([^"]+)"', html)


def test_a_completed_run_shows_full_green_progress_graph_and_rows(lab):
    a, b, c = _echo("a"), _echo("b"), _echo("c")
    a >> [b, c]
    run = lab.run([a, b, c], input={"x": 1})
    view = run.widget  # made while the run is open: the watcher thread redraws it
    assert run.wait(timeout=60) == {b.id_: "b", c.id_: "c"}
    assert run.status == "completed" and run.failures == {} and run.closed
    assert (view.bar.value, view.bar.max, view.bar.bar_style) == (3, 3, "success")
    assert view.bar.description == "3/3" and "3/3 done · 0 running · 0 failed" in view.counts.value
    assert 'data-floto-status="completed"' in view.header.value
    assert run.workflow_id in view.header.value and run.run_id in view.header.value
    graph = view.tabs.pages["Graph"].value
    assert "<svg" in graph and graph.count(f'fill="{COMPLETED_FILL}"') >= 3
    view.tabs.widget.selected_index = 2  # Tasks: drawn when shown
    assert sorted(_rows(view.tabs.pages["Tasks"].value)) == sorted(
        (task.id_, "completed") for task in (a, b, c)
    )
    view.tabs.widget.selected_index = 3
    assert "WorkflowExecutionCompleted" in view.tabs.pages["Events"].value
    view.tabs.widget.selected_index = 1
    assert "<svg" in view.tabs.pages["Timeline"].value
    assert view.terminate_button.layout.display == "none"
    view.picker.value = b.id_
    detail = view.detail.value
    assert b.id_ in detail and "<div>input</div>" in detail and "<div>result</div>" in detail
    assert "&quot;b&quot;" in detail.split("<div>result</div>")[1]  # the result, escaped


def test_a_failed_run_raises_run_failed_and_shows_red(lab):
    good, bad = _echo(1), ActivityTask("nb_test_fail", "1", input="oops")
    good >> bad
    run = lab.run(bad)
    with pytest.raises(RunFailed) as caught:
        run.wait(timeout=60)
    assert caught.value.status == "failed" and run.status == "failed"
    assert list(caught.value.failures) == [bad.id_] == list(run.failures)
    assert "ValueError: bad value: oops" in caught.value.failures[bad.id_]
    view = run.widget  # made after the run closed
    assert (view.bar.value, view.bar.max, view.bar.bar_style) == (1, 2, "danger")
    assert 'data-floto-status="failed"' in view.header.value
    assert view.tabs.selected == "Tasks" and view.picked == bad.id_  # opens on the failure
    rows = _rows(view.tabs.pages["Tasks"].value)
    assert rows == [(bad.id_, "failed")]  # filtered to the failures
    assert "ValueError: bad value: oops" in view.tabs.pages["Tasks"].value
    view.picker.value = "status:all"
    rows = _rows(view.tabs.pages["Tasks"].value)
    assert rows == [(bad.id_, "failed"), (good.id_, "completed")]  # failures first
    assert "Traceback" in view.detail.value  # the failure's traceback
    view.tabs.show("Graph")
    graph = view.tabs.pages["Graph"].value
    assert f'fill="{FAILED_FILL}"' in graph and f'fill="{COMPLETED_FILL}"' in graph


def test_generated_tasks_join_the_total_as_they_appear(lab):
    fan = Generator("nb_test_fan", "1", input={"count": 60})
    run = lab.run(fan)
    view = run.widget
    run.wait(timeout=90)
    assert (view.bar.value, view.bar.max) == (61, 61)
    assert "\u00d760" in view.tabs.pages["Graph"].value  # look-alike tasks are one group
    view.tabs.show("Tasks")
    assert len(view.tasks.shown) == 61 and "page 1 of 2" in view.tabs.pages["Tasks"].value


def test_terminate_closes_an_open_run(lab):
    slow = _echo("slow", sleep=30)
    run = lab.run(slow)
    view = run.widget
    assert view.terminate_button.layout.display is None  # shown while open
    view.terminate_button.click()
    with pytest.raises(RunFailed, match="terminated") as caught:
        run.wait(timeout=30)
    assert caught.value.status == "terminated" == run.status
    assert view.terminate_button.layout.display == "none"
    assert view.bar.bar_style == "danger"
    assert "0/1 done · 0 running · 0 failed · 1 canceled" in view.counts.value  # closed


def test_every_failure_shows_and_what_they_blocked_reads_blocked(lab):
    bad = [ActivityTask("nb_test_fail", "1", id_=f"bad{i}", input=f"oops {i}") for i in (1, 2)]
    good = [_echo(i) for i in range(3)]
    last = _echo("last")
    [*bad, *good] >> last
    run = lab.run(last)
    with pytest.raises(RunFailed) as caught:
        run.wait(timeout=60)
    assert sorted(caught.value.failures) == ["bad1", "bad2"] == sorted(run.failures)
    view = run.widget
    assert "3/6 done · 0 running · 2 failed · 1 blocked" in view.counts.value
    view.tabs.widget.selected_index = 2
    assert dict(_rows(view.tabs.pages["Tasks"].value)) == {"bad1": "failed", "bad2": "failed"}
    view.picker.value = "status:all"  # the tab opened on the failures; a chip shows them all
    rows = dict(_rows(view.tabs.pages["Tasks"].value))
    assert rows[last.id_] == "blocked" and rows["bad1"] == rows["bad2"] == "failed"


def test_fail_fast_cancels_the_open_branch(lab):
    slow, bad = _echo("slow", sleep=6), ActivityTask("nb_test_fail", "1", input="at once")
    run = lab.run([slow, bad], failure_policy="fail_fast")
    with pytest.raises(RunFailed):
        run.wait(timeout=5)  # it did not wait for the slow task
    assert list(run.failures) == [bad.id_]
    assert run.state[slow.id_].status.value == "canceled"


def test_wait_gives_up_after_its_timeout(lab):
    run = lab.run(_echo("later", sleep=1))
    with pytest.raises(WaitTimeoutError, match="still running"):
        run.wait(timeout=0.2)
    assert run.wait(timeout=60) == {run.state.order[0]: "later"}


def test_watch_follows_a_run_started_elsewhere(lab):
    task = _echo("elsewhere")
    launcher = Launcher(lab.domain, workers=1)
    try:
        launched = launcher.launch(task)
        run = lab.watch(launched.workflow_id)
        assert run.run_id == launched.run_id
        assert run.wait(timeout=60) == {task.id_: "elsewhere"}
    finally:
        launcher.stop(timeout=0)
    assert run.spec is None and run.widget.bar.bar_style == "success"


def test_replay_shows_the_run_as_it_was_at_each_event(lab):
    a, b = _echo("first"), _echo("second")
    a >> b
    run = lab.run(b)
    run.wait(timeout=60)
    replay = run.replay()
    last = len(replay.events)
    assert replay.slider.max == last == run.state.last_event_id
    assert (replay.bar.value, replay.bar.max, replay.bar.bar_style) == (2, 2, "success")
    replay.slider.value = 1  # only WorkflowExecutionStarted
    assert replay.state.last_event_id == 1 and replay.bar.value == 0
    assert "WorkflowExecutionStarted" in replay.caption.value
    first_done = next(
        i + 1 for i, e in enumerate(replay.events) if e["eventType"] == "ActivityTaskCompleted"
    )
    replay.slider.value = first_done
    assert replay.bar.value == 1
    assert dict(_rows(replay.tasks.value)) == {a.id_: "completed", b.id_: "pending"}
    replay.slider.value = last
    assert replay.state.status.value == "completed"


def test_runs_table_lists_recent_runs_newest_first(lab):
    runs = [lab.run(_echo(f"table{i}")) for i in range(2)]
    for run in runs:
        run.wait(timeout=60)
    table = lab.runs(limit=2)
    assert [row["run_id"] for row in table.rows] == [runs[1].run_id, runs[0].run_id]
    assert {row["status"] for row in table.rows} == {"completed"}
    assert runs[1].workflow_id in table.table.value


def test_the_lab_shows_as_a_one_line_badge(lab):
    html = lab._repr_html_()
    assert lab.endpoint_url in html and lab.domain in html
    assert "workers" in html and "open runs" in html
    assert "\n" not in html


def test_redraws_are_rate_limited_and_stop_with_the_run(lab):
    fan = Generator("nb_test_fan", "1", input={"count": 40})
    run = lab.run(fan)
    view = run.widget
    calls = []
    original = view.refresh
    view.refresh = lambda: (calls.append(time.monotonic()), original())[1]
    run.wait(timeout=90)
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert calls and all(gap >= 0.2 for gap in gaps[:-1]), gaps  # the last may follow closing
    done = len(calls)
    time.sleep(0.6)
    assert len(calls) == done and not run.watching


def test_one_run_failed_error_for_notebooks_tests_and_launchers():
    import floto.launch
    import floto.notebook
    import floto.testing

    assert floto.notebook.RunFailed is floto.launch.RunFailed is floto.testing.RunFailed
