"""Rerun from failure, from Python and from the widget's button: the new run reuses every task
the failed run completed (never scheduled again, counted from the new run's history) and runs
only the failed task and what depends on it."""

from __future__ import annotations

import pytest
from notebook_activities import FIXED

from floto.ids import from_swf_id
from floto.notebook import RunFailed
from floto.specs.task import ActivityTask

REUSED_FILL = "#c3e6f0"  # floto.viz.STATUS_STYLES[reused]


def _flow(key):
    first = ActivityTask("nb_test_echo", "1", input={"value": f"first {key}"})
    side = ActivityTask("nb_test_echo", "1", input={"value": f"side {key}"})
    flaky = ActivityTask("nb_test_flaky", "1", input=key)
    last = ActivityTask("nb_test_echo", "1", input={"value": f"last {key}"})
    first >> [side, flaky]
    flaky >> last
    return first, side, flaky, last


def _scheduled(lab, run):
    history = lab.swf.get_workflow_execution_history(
        lab.domain, workflow_id=run.workflow_id, run_id=run.run_id
    )
    return [
        from_swf_id(e["activityTaskScheduledEventAttributes"]["activityId"])
        for e in history
        if e["eventType"] == "ActivityTaskScheduled"
    ]


def test_rerun_runs_only_the_failed_task_and_its_dependents(lab):
    first, side, flaky, last = _flow("python")
    run = lab.run([first, side, flaky, last])
    with pytest.raises(RunFailed):
        run.wait(timeout=60)
    assert list(run.failures) == [flaky.id_]
    FIXED.add("python")  # the function is "fixed"
    rerun = run.rerun()
    assert rerun.workflow_id == run.workflow_id and rerun.run_id != run.run_id
    assert rerun.wait(timeout=60) == {side.id_: "side python", last.id_: "last python"}
    statuses = {task_id: task.status.value for task_id, task in rerun.state.tasks.items()}
    assert statuses == {first.id_: "reused", side.id_: "reused", flaky.id_: "completed",
                        last.id_: "completed"}  # fmt: skip
    assert sorted(_scheduled(lab, run)) == sorted([first.id_, side.id_, flaky.id_])
    assert sorted(_scheduled(lab, rerun)) == sorted([flaky.id_, last.id_])  # nothing reused ran
    view = rerun.widget
    assert (view.bar.value, view.bar.max, view.bar.bar_style) == (4, 4, "success")
    assert "2 reused" in view.counts.value
    assert view.tabs.pages["Graph"].value.count(f'fill="{REUSED_FILL}"') >= 2


def test_the_rerun_button_starts_the_rerun_and_shows_it(lab):
    first, side, flaky, last = _flow("button")
    run = lab.run([first, side, flaky, last])
    view = run.widget
    with pytest.raises(RunFailed):
        run.wait(timeout=60)
    assert view.rerun_button.layout.display is None  # shown once the run failed
    FIXED.add("button")
    view.rerun_button.click()
    (rerun,) = view.reruns
    assert view.rerun_box.children == (rerun.widget,)
    assert rerun.wait(timeout=60)[last.id_] == "last button"
    assert rerun.widget.rerun_button.layout.display == "none"
    assert rerun.state.progress().reused == 2
