"""draw(state): each task coloured by its status, with attempts, duration and error shown."""

from __future__ import annotations

import shutil

import pytest
from viz_states import attempt, execution, task_state
from viz_svg import parse, task_nodes

import floto.viz
from floto.history import AttemptOutcome, TaskStatus, WorkflowStatus
from floto.specs import DeciderSpec
from floto.specs.task import ActivityTask, Generator, Timer

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
ERROR = 'ValueError: bad <row> "7" in C:\\data'


def every_status():
    """One task per status (the last, 'later', pending because never reached)."""
    tasks = {
        name: ActivityTask(name, "v1", id_=f"{name}:v1:0")
        for name in (
            "done",
            "broken",
            "slow",
            "queued",
            "busy",
            "stopped",
            "again",
            "kept",
            "stuck",
            "skipped",
            "later",
        )
    }
    out = AttemptOutcome
    states = [
        task_state(tasks["done"], TaskStatus.COMPLETED, [attempt(1, 0, 1.5, out.COMPLETED)]),
        task_state(
            tasks["broken"],
            TaskStatus.FAILED,
            [attempt(n, 2 * n, 2 * n + 1, out.FAILED, ERROR) for n in (1, 2, 3)],
            error=ERROR,
        ),
        task_state(tasks["slow"], TaskStatus.TIMED_OUT, [attempt(1, 0, 30, out.TIMED_OUT)]),
        task_state(tasks["queued"], TaskStatus.SCHEDULED, [attempt(1, 3, None, out.OPEN)]),
        task_state(
            tasks["busy"],
            TaskStatus.RUNNING,
            [attempt(1, 1, 2, out.FAILED, "x"), attempt(2, 2, None, out.OPEN)],
        ),
        task_state(tasks["stopped"], TaskStatus.CANCELED, [attempt(1, 1, 2, out.CANCELED)]),
        task_state(
            tasks["again"], TaskStatus.WAITING_TO_RETRY, [attempt(1, 1, 2, out.FAILED, "y")]
        ),
        task_state(tasks["kept"], TaskStatus.REUSED),  # a rerun took it from the earlier run
        task_state(tasks["stuck"], TaskStatus.BLOCKED),  # requires a failed task
        task_state(tasks["skipped"], TaskStatus.NOT_RUN),  # the run closed before it started
    ]
    states[-2].blocked_by = "broken:v1:0"
    spec = DeciderSpec(domain="d", activity_tasks=list(tasks.values()))
    return spec, execution(*states, status=WorkflowStatus.OPEN)


def status_of(name: str) -> TaskStatus:
    return {
        "done": TaskStatus.COMPLETED,
        "broken": TaskStatus.FAILED,
        "slow": TaskStatus.TIMED_OUT,
        "queued": TaskStatus.SCHEDULED,
        "busy": TaskStatus.RUNNING,
        "stopped": TaskStatus.CANCELED,
        "again": TaskStatus.WAITING_TO_RETRY,
        "kept": TaskStatus.REUSED,
        "stuck": TaskStatus.BLOCKED,
        "skipped": TaskStatus.NOT_RUN,
        "later": TaskStatus.PENDING,
    }[name]


@needs_dot
def test_each_task_is_filled_with_its_status_colour():
    spec, state = every_status()
    svg = floto.viz.draw(spec, state=state).pipe(format="svg", encoding="utf-8")
    nodes = task_nodes(parse(svg)[0])
    assert len(nodes) == len(TaskStatus)
    for name, node in nodes.items():
        status = status_of(name.split(":")[0])
        assert node.fill == floto.viz.STATUS_STYLES[status]["fillcolor"], name
        assert f"floto-status-{status.value.replace('_', '-')}" in node.classes


@needs_dot
def test_labels_show_attempts_above_one_and_the_duration_of_closed_tasks():
    spec, state = every_status()
    svg = floto.viz.draw(spec, state=state).pipe(format="svg", encoding="utf-8")
    nodes = task_nodes(parse(svg)[0])
    assert nodes["broken:v1:0"].texts[-1] == "failed · 3 attempts · ran 1.5 s"
    assert nodes["done:v1:0"].texts[-1] == "completed · ran 1 s"
    assert nodes["busy:v1:0"].texts[-1] == "running · attempt 2"
    assert nodes["queued:v1:0"].texts[-1] == "queued"
    assert nodes["again:v1:0"].texts[-1] == "waiting to retry · 1 failed"
    assert nodes["later:v1:0"].texts[-1] == "pending"
    assert nodes["stuck:v1:0"].texts[-1] == "blocked · by broken:v1:0"
    assert nodes["skipped:v1:0"].texts[-1] == "not run"


@needs_dot
def test_a_failed_task_carries_its_error_in_the_tooltip():
    spec, state = every_status()
    svg = floto.viz.draw(spec, state=state).pipe(format="svg", encoding="utf-8")
    tooltip = task_nodes(parse(svg)[0])["broken:v1:0"].tooltip
    assert tooltip.splitlines()[0] == "broken:v1:0"
    assert f"error: {ERROR}" in tooltip.splitlines()


@needs_dot
def test_the_legend_lists_the_statuses_drawn_with_counts():
    spec, state = every_status()
    svg = floto.viz.draw(spec, state=state).pipe(format="svg", encoding="utf-8")
    nodes, _, _ = parse(svg)
    table = next(n for n in nodes.values() if "floto-legend-statuses" in n.classes)
    words = {TaskStatus.SCHEDULED: "queued"}  # the word every view uses for it
    labels = [words.get(status, status.value.replace("_", " ")) + " (1)" for status in TaskStatus]
    assert table.texts == labels
    fills = [f for f in table.fills if f.startswith("#")]
    assert fills == [floto.viz.STATUS_STYLES[s]["fillcolor"] for s in TaskStatus]


def test_state_alone_draws_its_tasks_and_the_title_names_the_run():
    spec, state = every_status()
    state.status = WorkflowStatus.FAILED
    state.failure_reason = "broken:v1:0 failed"
    source = floto.viz.draw(state).source
    assert 'label="wf-1 · failed · broken:v1:0 failed"' in source
    # 'later' is in the spec only: drawing the state alone leaves it out.
    assert "later:v1:0" not in source and "done:v1:0" in source
    assert "later:v1:0" in floto.viz.draw(spec, state=state).source


def test_tasks_seen_only_in_events_are_named_from_their_id():
    state = execution(
        task_state(ActivityTask("mystery", "v3", id_="mystery:v3:0123456789"), TaskStatus.RUNNING)
    )
    state.tasks["mystery:v3:0123456789"].task = None
    source = floto.viz.draw(state).source
    assert '<B>mystery</B><BR/><FONT POINT-SIZE="10">v3</FONT>' in source


def test_spec_and_state_together_need_the_state_once():
    spec, state = every_status()
    with pytest.raises(TypeError, match="once"):
        floto.viz.draw(state, state=state)
    with pytest.raises(TypeError, match="ExecutionState"):
        floto.viz.draw(spec, state={"tasks": {}})


def test_generated_tasks_hang_from_their_generator_in_a_cluster():
    root = ActivityTask("root", "v1")
    gen = Generator("split", "v1", requires=[root])
    after = ActivityTask("after", "v1", requires=[gen])
    copy = ActivityTask("copy", "v1", input="x")
    length = ActivityTask("length", "v1", requires=[copy])
    done = TaskStatus.COMPLETED
    state = execution(
        task_state(root, done),
        task_state(gen, done),
        task_state(after, TaskStatus.PENDING),
        task_state(copy, done, generated_by=gen.id_),
        task_state(length, TaskStatus.RUNNING, generated_by=gen.id_),
    )
    source = floto.viz.draw(state).source
    cluster = source[source.index("subgraph cluster_generated_0") :]
    cluster = cluster[: cluster.index("\t}")]
    assert 'label="generated by split"' in cluster
    assert f'"{copy.id_}" [' in cluster and f'"{length.id_}" [' in cluster
    assert f'"{root.id_}" [' not in cluster
    generated_edge = f'\t"{gen.id_}" -> "{copy.id_}" [arrowhead=vee color="#6f42c1" style=dashed]'
    assert generated_edge in source
    assert f'"{gen.id_}" -> "{length.id_}"' not in source  # implied through copy


def test_edges_the_run_added_after_a_generator_are_drawn_from_the_generated_sinks():
    gen = Generator("split", "v1")
    after = ActivityTask("after", "v1", requires=[gen])
    copy = ActivityTask("copy", "v1")
    length = ActivityTask("length", "v1", requires=[copy])
    states = [
        task_state(gen, TaskStatus.COMPLETED),
        task_state(after, TaskStatus.PENDING),
        task_state(copy, TaskStatus.COMPLETED, generated_by=gen.id_),
        task_state(length, TaskStatus.COMPLETED, generated_by=gen.id_),
    ]
    # What floto.history records: generated tasks require the generator, and the
    # generator's dependents require every generated task.
    states[1].required_ids = [gen.id_, copy.id_, length.id_]
    states[2].required_ids = [gen.id_]
    states[3].required_ids = [copy.id_, gen.id_]
    source = floto.viz.draw(execution(*states)).source
    assert f'\t"{length.id_}" -> "{after.id_}"\n' in source
    assert f'"{copy.id_}" -> "{after.id_}"' not in source
    assert f'\t"{gen.id_}" -> "{after.id_}"\n' in source


def test_status_styles_and_the_style_function_see_statuses():
    spec, state = every_status()
    seen = {}

    def style(node: floto.viz.Node):
        seen[node.task_id] = node.status
        return {"penwidth": "5"} if node.status == TaskStatus.FAILED else None

    source = floto.viz.draw(
        spec, state=state, style=style, status_styles={"completed": {"fillcolor": "lime"}}
    ).source
    assert seen["broken:v1:0"] == TaskStatus.FAILED and seen["later:v1:0"] == TaskStatus.PENDING
    line = next(line for line in source.splitlines() if line.startswith('\t"broken:v1:0" ['))
    assert "penwidth=5" in line
    assert "fillcolor=lime" in next(
        line for line in source.splitlines() if line.startswith('\t"done:v1:0" [')
    )


def test_a_timer_of_an_execution_shows_its_status():
    timer = Timer("wait", 5)
    state = execution(
        task_state(timer, TaskStatus.COMPLETED, [attempt(1, 0, 5, AttemptOutcome.COMPLETED)])
    )
    source = floto.viz.draw(state).source
    assert 'wait 5 s</FONT><BR/><FONT POINT-SIZE="10">completed · 5 s' in source


def test_recorded_data_with_a_cycle_is_drawn_as_given_without_groups():
    tasks = [ActivityTask("loop", "v1", input=i, id_=f"loop:{i}") for i in range(50)]
    states = [task_state(task, TaskStatus.COMPLETED) for task in tasks]
    for index, state in enumerate(states):
        state.required_ids = [tasks[index - 1].id_]  # 0 requires 49: a cycle
    source = floto.viz.draw(execution(*states)).source
    assert "floto:group" not in source
    assert source.count(" -> ") == 50


def test_a_users_own_retry_strategy_is_drawn_by_its_class_name():
    from floto.specs.retry_strategy import InstantRetry

    class Patient(InstantRetry):
        pass

    tasks = [ActivityTask("p", "v1", input=i, retry_strategy=Patient(2)) for i in range(50)]
    source = floto.viz.draw(tasks).source
    assert "retry \u00d72" in source  # an InstantRetry still reads as one
