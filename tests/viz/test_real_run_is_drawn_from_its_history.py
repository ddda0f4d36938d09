"""A finished run on the local engine, drawn from nothing but its SWF history: a retried task,
a failed one, a timer, a generator's tasks and a task never reached, each in its colour."""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import time
from pathlib import Path

import pytest
from viz_activities import REGISTRY
from viz_svg import cluster_labels, parse, task_nodes

import floto.viz
from floto.api import ActivityType, Swf, WorkflowType
from floto.decider import Decider
from floto.history import TaskStatus, WorkflowStatus, state_from_events
from floto.local.testing import unique_domain
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import InstantRetry
from floto.specs.task import ActivityTask, Generator, Timer
from floto.viz._cli import main
from floto.worker import ActivityWorker

pytestmark = [
    pytest.mark.scenario,
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing"),
]
FORK = multiprocessing.get_context("fork")
FILL = {status: style["fillcolor"] for status, style in floto.viz.STATUS_STYLES.items()}


def _decide(spec: DeciderSpec) -> None:
    logging.basicConfig(level=logging.WARNING)
    Decider(spec).run()


def _work(domain: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    ActivityWorker(domain, "viz-workers", heartbeat_in_seconds=0, registry=REGISTRY).run()


@pytest.fixture(scope="module")
def finished_run(local_engine, tmp_path_factory):
    """Runs the workflow once; yields (domain, tasks by role, history)."""
    swf = Swf()
    domain = unique_domain(swf.client, prefix="viz")
    swf.register_workflow_type(
        WorkflowType(
            domain=domain, name="viz", version="1", default_task_list="viz-deciders",
            default_task_start_to_close_timeout=5, default_execution_start_to_close_timeout=120,
        )
    )  # fmt: skip
    for definition in REGISTRY:
        swf.register_activity_type(
            ActivityType(
                domain=domain, name=definition.name, version=definition.version,
                default_task_list="viz-workers", default_task_start_to_close_timeout=20,
                default_task_heartbeat_timeout="NONE",
                default_task_schedule_to_start_timeout="NONE",
                default_task_schedule_to_close_timeout="NONE",
            )
        )  # fmt: skip
    workdir = tmp_path_factory.mktemp("viz-run")
    ok = ActivityTask("viz_ok", "1")
    flaky = ActivityTask(
        "viz_flaky", "1", input={"dir": str(workdir)}, retry_strategy=InstantRetry(2)
    )
    timer = Timer("pause", 1, requires=[ok])
    split = Generator("viz_split", "1", requires=[ok])
    fails = ActivityTask("viz_fails", "1", requires=[flaky, timer, split])
    never = ActivityTask("viz_ok", "1", input="never", requires=[fails])
    tasks = {
        "ok": ok,
        "flaky": flaky,
        "timer": timer,
        "split": split,
        "fails": fails,
        "never": never,
    }
    spec = DeciderSpec(
        domain=domain, task_list="viz-deciders", default_activity_task_list="viz-workers",
        activity_tasks=list(tasks.values()), terminate_decider_after_completion=True,
    )  # fmt: skip
    processes = [FORK.Process(target=_decide, args=(spec,), daemon=True)]
    processes.append(FORK.Process(target=_work, args=(domain,), daemon=True))
    for process in processes:
        process.start()
    try:
        swf.start_workflow_execution(
            domain=domain, workflow_type_name="viz", workflow_type_version="1",
            workflow_id="viz-run", task_list="viz-deciders",
        )  # fmt: skip
        history = _wait_closed(swf, domain)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join(5)
    yield domain, tasks, history


def _wait_closed(swf: Swf, domain: str, timeout: float = 60) -> list:
    deadline = time.monotonic() + timeout
    while True:
        history = swf.get_workflow_execution_history(domain, workflow_id="viz-run")
        if (
            history
            and history[-1]["eventType"].startswith("WorkflowExecution")
            and history[-1]["eventType"]
            not in ("WorkflowExecutionStarted", "WorkflowExecutionSignaled")
        ):
            return history
        assert time.monotonic() < deadline, [e["eventType"] for e in history[-6:]]
        time.sleep(0.3)


def test_the_history_alone_rebuilds_the_graph_with_each_status(finished_run):
    _, tasks, history = finished_run
    state = state_from_events(history, workflow_id="viz-run")
    assert state.status == WorkflowStatus.FAILED
    svg = floto.viz.draw(state, collapse_above=None).pipe(format="svg", encoding="utf-8")
    nodes, edges, root = parse(svg)
    drawn = task_nodes(nodes)
    generated = [tid for tid, ts in state.tasks.items() if ts.generated_by == tasks["split"].id_]
    assert len(generated) == 3
    assert set(drawn) == {task.id_ for task in tasks.values()} | set(generated)
    expected = {
        "ok": TaskStatus.COMPLETED,
        "flaky": TaskStatus.COMPLETED,
        "timer": TaskStatus.COMPLETED,
        "split": TaskStatus.COMPLETED,
        "fails": TaskStatus.FAILED,
        "never": TaskStatus.BLOCKED,  # it requires the failed task
    }
    for role, status in expected.items():
        node = drawn[tasks[role].id_]
        assert node.fill == FILL[status], role
    for task_id in generated:
        assert drawn[task_id].fill == FILL[TaskStatus.COMPLETED]
    flaky_label = drawn[tasks["flaky"].id_].texts[-1]
    assert flaky_label.startswith("completed · 2 attempts · ")
    assert "ValueError: viz_fails always fails <here>" in drawn[tasks["fails"].id_].tooltip
    assert drawn[tasks["timer"].id_].shapes == ["ellipse"]
    assert "generated by viz_split" in cluster_labels(root).values()
    for task_id in generated:
        assert (tasks["split"].id_, task_id) in edges
    assert (tasks["fails"].id_, tasks["never"].id_) in edges
    title = root.find("{http://www.w3.org/2000/svg}g/{http://www.w3.org/2000/svg}text")
    assert title.text.startswith("viz-run · failed")


def test_collapsed_the_generated_tasks_become_one_group(finished_run):
    history = finished_run[2]
    state = state_from_events(history, workflow_id="viz-run")
    source = floto.viz.draw(state, collapse_above=5).source
    assert "<B>viz_ok \u00d73</B>" in source and "3 completed" in source


def test_the_command_line_draws_the_run_and_its_timeline(finished_run, tmp_path):
    domain, tasks, _ = finished_run
    out, timeline = tmp_path / "run.svg", tmp_path / "timeline.svg"
    base = ["--domain", domain, "--workflow-id", "viz-run"]
    assert main([*base, "-o", str(out), "--no-collapse"]) == 0
    drawn = task_nodes(parse(out.read_text())[0])
    assert drawn[tasks["fails"].id_].fill == FILL[TaskStatus.FAILED]
    assert main([*base, "--timeline", "-o", str(timeline)]) == 0
    svg = timeline.read_text()
    assert svg.count('class="floto-attempt floto-outcome-failed"') == 2  # flaky once, fails once
    # ok, flaky's second attempt, the timer, the generator and its three tasks
    assert svg.count('class="floto-attempt floto-outcome-completed"') == 7
    png, pdf = tmp_path / "timeline.png", tmp_path / "timeline.pdf"
    assert main([*base, "--timeline", "-o", str(png)]) == 0
    assert main([*base, "--timeline", "-o", str(pdf)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG") and pdf.read_bytes().startswith(b"%PDF")


def test_an_unknown_workflow_is_a_clear_error(finished_run, capsys):
    domain, _, _ = finished_run
    assert main(["--domain", domain, "--workflow-id", "no-such-run"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("floto graph: ") and "no-such-run" in err


def test_the_spec_and_the_history_together(finished_run, tmp_path):
    domain, tasks, _ = finished_run
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(DeciderSpec(domain=domain, activity_tasks=list(tasks.values())).to_json())
    out = tmp_path / "both.dot"
    assert (
        main([str(spec_file), "--domain", domain, "--workflow-id", "viz-run", "-o", str(out)]) == 0
    )
    assert "floto-status-failed" in out.read_text()
    assert Path(out).read_text().count("floto-status-blocked") == 1  # the task never reached


def test_a_spec_is_not_coloured_by_the_run_of_another_workflow(finished_run, tmp_path, capsys):
    domain, _, _ = finished_run
    other = ActivityTask("unrelated", "v1")
    spec_file = tmp_path / "other.json"
    spec_file.write_text(DeciderSpec(domain=domain, activity_tasks=[other]).to_json())
    argv = [str(spec_file), "--domain", domain, "--workflow-id", "viz-run"]
    assert main([*argv, "-o", str(tmp_path / "merged.dot")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"floto graph: {spec_file}: run ") and "is not a run of this spec" in err
    assert not (tmp_path / "merged.dot").exists()


def test_the_domain_comes_from_floto_domain_and_region_and_profile_are_options(
    finished_run, tmp_path, monkeypatch, capsys
):
    domain, tasks, _ = finished_run
    monkeypatch.setenv("FLOTO_DOMAIN", domain)  # as every floto command reads it
    out = tmp_path / "run.dot"
    assert main(["--workflow-id", "viz-run", "--region", "us-east-1", "-o", str(out)]) == 0
    assert tasks["fails"].id_ in out.read_text()
    capsys.readouterr()
    # The local engine keeps a backend per region: another region has no such domain.
    assert main(["--workflow-id", "viz-run", "--region", "eu-west-1"]) == 1
    assert f"Unknown domain: {domain}" in capsys.readouterr().err
    assert main(["--workflow-id", "viz-run", "--profile", "no-such-profile"]) == 1
    assert "no-such-profile" in capsys.readouterr().err  # the profile was used
