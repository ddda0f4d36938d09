"""The widget at real sizes: failures first, filter and search, pages in a fixed height, clicks
that pick, groups that open, events that name their task, task views to debug in the kernel,
rerun lineage, the runs table, and the saved snapshot and report."""

from __future__ import annotations

import re
import time

import pytest

import floto
from floto.history import TaskStatus, new_state
from floto.notebook import RunFailed
from floto.notebook._tasks_view import PAGE_SIZE, TABLE_HEIGHT, TasksPanel
from floto.specs.task import ActivityTask

BAD = {13, 40, 77}


@floto.activity("nb_test_ingest", "1")
def ingest(context):
    number = context.input["file"]
    print(f"reading file {number}")
    if number in BAD:
        raise ValueError(f"file {number} is bad")
    return number


@floto.activity("nb_test_sum", "1")
def total(context):
    return sum(context.results("nb_test_ingest"))


def _rows(html):
    return re.findall(r'<tr data-task-id="([^"]+)" data-status="([^"]+)"', html)


@pytest.fixture(scope="module")
def failed_run(lab):
    files = [ActivityTask("nb_test_ingest", "1", input={"file": n, "bucket": "b"})
             for n in range(120)]  # fmt: skip
    summary = ActivityTask("nb_test_sum", "1", requires=files)
    run = lab.run([*files, summary])
    view = run.widget
    with pytest.raises(RunFailed):
        run.wait(timeout=120)
    return run, view, files, summary


def test_it_opens_on_the_failures_the_first_picked(failed_run):
    _run, view, files, _summary = failed_run
    assert view.tabs.selected == "Tasks" and view.tasks.filter.status == "failed"
    assert sorted(_rows(view.tabs.pages["Tasks"].value)) == sorted(
        (files[n].id_, "failed") for n in BAD
    )
    assert view.picked == files[13].id_  # the first failure in the run's order
    detail = view.detail.value
    assert "<b>nb_test_ingest[file=13]</b>" in detail and files[13].id_ in detail
    assert detail.count("ValueError: file 13 is bad") == 2  # the traceback; the folded one
    assert "reading file 13" in detail  # its output
    assert "3 task(s) failed" in view.header.value
    assert view.rerun_button.layout.display is None


def test_the_status_filter_search_and_pages(failed_run):
    _run, view, files, _summary = failed_run
    chips = view.tasks.chips.value
    assert 'data-status="completed" data-on="false"' in chips and "completed 117" in chips
    assert "failed 3" in chips and "blocked 1" in chips and "all 121" in chips
    view.picker.value = "status:completed"  # what a click on the chip sends
    table = view.tabs.pages["Tasks"].value
    assert len(_rows(table)) == PAGE_SIZE and "page 1 of 3" in table
    assert f"max-height:{TABLE_HEIGHT}px" in table
    view.picker.value = "page:2"
    assert len(_rows(view.tabs.pages["Tasks"].value)) == 117 - 2 * PAGE_SIZE
    view.picker.value = "status:all"
    view.tasks.search.value = "file=77"
    assert _rows(view.tabs.pages["Tasks"].value) == [(files[77].id_, "failed")]
    view.tasks.search.value = '"file": 5}'  # the input's JSON
    assert _rows(view.tabs.pages["Tasks"].value) == [(files[5].id_, "completed")]
    view.tasks.search.value = ""


def test_a_row_a_node_and_a_bar_pick_and_a_group_opens(failed_run):
    _run, view, files, summary = failed_run
    view.picker.value = files[40].id_  # a row or a timeline bar sends the task id
    assert view.picked == files[40].id_ and "nb_test_ingest[file=40]" in view.detail.value
    view.tabs.show("Graph")
    graph = view.tabs.pages["Graph"].value
    assert 'id="floto_node_0"' in graph and "onclick=" in graph
    assert 'data-pick="status:failed"' in graph and "cluster_legend" not in graph  # one line
    group = next(n for n, node in enumerate(view.tabs.nodes) if len(node.task_ids) == 120)
    view.picker.value = f"node:{group}"
    assert view.tabs.selected == "Tasks" and len(view.tasks.filter.members) == 120
    assert view.tasks.grid.value.count('class="floto-cell"') == 120
    single = next(n for n, node in enumerate(view.tabs.nodes) if node.task_ids == (summary.id_,))
    view.picker.value = f"node:{single}"
    assert view.picked == summary.id_
    view.picker.value = "group:clear"
    assert view.tasks.filter.members is None
    view.tabs.show("Graph")
    view.picker.value = "status:completed"  # a click on the legend's swatch
    assert view.tabs.selected == "Tasks" and view.tasks.filter.status == "completed"
    view.tabs.show("Timeline")
    assert f'data-task-id="{files[13].id_}"' in view.tabs.pages["Timeline"].value


def test_events_say_which_task_they_belong_to(failed_run):
    _run, view, _files, _summary = failed_run
    view.tabs.show("Events")
    events = view.tabs.pages["Events"].value
    assert "nb_test_ingest[file=" in events and "WorkflowExecutionFailed" in events


def test_a_task_view_gives_the_context_logs_and_calls_the_function(failed_run):
    run, _view, files, _summary = failed_run
    task = run.task("nb_test_ingest[file=13]")
    assert task.task_id == files[13].id_ and run.task(files[13].id_).label == task.label
    assert task.context == {"activity_task": {"file": 13, "bucket": "b"}}
    assert task.context.input["file"] == 13 and task.status == "failed"
    assert task.error == "ValueError: file 13 is bad" and task.result is None
    assert task.traceback.startswith("Traceback") and "floto/worker" not in task.traceback
    assert task.logs == "reading file 13\n" and len(task.attempts) == 1
    with pytest.raises(ValueError, match="file 13 is bad"):
        task.call()
    assert run.task(files[5]).call() == 5
    assert run.task("nb_test_sum").status == "blocked"
    with pytest.raises(KeyError, match=r"120 tasks are named 'nb_test_ingest'"):
        run.task("nb_test_ingest")
    assert "nb_test_ingest[file=13]" in repr(run) and "nb_test_ingest[file=13]" in repr(task)


def test_the_snapshot_and_the_report_stand_alone(failed_run, tmp_path):
    run, _view, _files, _summary = failed_run
    snapshot = run._snapshot.bundle()["text/html"]
    assert 'class="floto-static"' in snapshot and "<svg" in snapshot
    assert "3 failed task(s)" in snapshot and "file 13 is bad" in snapshot
    assert ".jp-OutputArea:has(.floto-run-view) .floto-static" in snapshot
    page = run.to_html(tmp_path / "run.html")
    assert (tmp_path / "run.html").read_text() == page
    assert page.count("<svg") == 2 and page.count("<tr>") == 122  # header row + 121 tasks
    assert "<script" not in page and "<link" not in page and "src=" not in page


def test_a_rerun_names_its_parent_and_the_button_goes(failed_run, lab):
    run, view, _files, summary = failed_run
    BAD.clear()  # the function is fixed
    view.rerun_button.click()
    (rerun,) = view.reruns
    assert view.rerun_button.layout.display == "none"
    assert rerun.wait(timeout=120) == {summary.id_: sum(range(120))}
    assert f"rerun of run {run.run_id}" in rerun.widget.header.value
    table = lab.runs(limit=5)
    try:
        rows = {row["run_id"]: row for row in table.rows}
        assert rows[rerun.run_id]["parent"] == run.run_id
        assert rows[run.run_id]["first_failure"].startswith("nb_test_ingest[file=13]: ValueError")
        assert rows[run.run_id]["failed"] == 3 and "121/121 done" in rows[rerun.run_id]["counts"]
        table._picker.pick(f"run:{run.run_id}")  # a click on the row
        (opened,) = table.opened.children
        assert opened.run.run_id == run.run_id
    finally:
        table.stop()


def test_ten_thousand_tasks_stay_within_a_fixed_height():
    tasks = [ActivityTask("nb_test_ingest", "1", input={"file": n}) for n in range(10_000)]
    state = new_state(tasks)
    for n, task in enumerate(tasks):
        state.tasks[task.id_].status = TaskStatus.FAILED if n % 1000 == 7 else TaskStatus.COMPLETED
    panel = TasksPanel(lambda: None)
    began = time.perf_counter()
    panel.draw(state, None)
    took = time.perf_counter() - began
    table = panel.table.value
    assert len(_rows(table)) == PAGE_SIZE and "of 10,000" in table and "page 1 of 200" in table
    assert _rows(table)[0][1] == "failed"  # failures first
    assert len(table) < 40_000 and took < 2.0, (len(table), took)
    panel.filter.status = "failed"
    panel.draw(state, None)
    assert len(_rows(panel.table.value)) == 10
