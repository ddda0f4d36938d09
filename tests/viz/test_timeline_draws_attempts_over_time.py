"""timeline(state): one bar per attempt from scheduled to closed, coloured by outcome."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from viz_states import T0, at, attempt, execution, task_state

import floto.viz
from floto.history import AttemptOutcome, TaskStatus, WorkflowStatus
from floto.specs.task import ActivityTask, Timer

SVG = "{http://www.w3.org/2000/svg}"
OUT = AttemptOutcome


def sample_state():
    a = ActivityTask("load", "v1", id_="load:v1:0")
    b = ActivityTask("flaky", "v1", id_="flaky:v1:0")
    c = ActivityTask("busy", "v1", id_="busy:v1:0")
    never = ActivityTask("later", "v1", id_="later:v1:0")
    timer = Timer("pause", 10)
    return execution(
        task_state(a, TaskStatus.COMPLETED, [attempt(1, 0, 10, OUT.COMPLETED)]),
        task_state(
            b,
            TaskStatus.COMPLETED,
            [
                attempt(1, 10, 20, OUT.FAILED, "flaky <error> & more"),
                attempt(2, 20, 25, OUT.TIMED_OUT, "no heartbeat"),
                attempt(3, 25, 30, OUT.COMPLETED),
            ],
        ),
        task_state(c, TaskStatus.RUNNING, [attempt(1, 30, None, OUT.OPEN)]),
        task_state(timer, TaskStatus.COMPLETED, [attempt(1, 10, 20, OUT.COMPLETED)]),
        task_state(never, TaskStatus.PENDING),
        status=WorkflowStatus.OPEN,
    )


def bars(svg: str) -> list[dict]:
    root = ET.fromstring(svg)
    found = []
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "floto-attempt" in classes:
            wait, run = group.findall(f"{SVG}rect")
            found.append(
                {
                    "outcome": classes[1].removeprefix("floto-outcome-"),
                    "title": group.find(f"{SVG}title").text,
                    "x0": float(wait.get("x")),
                    "x1": float(run.get("x")),
                    "x2": float(run.get("x")) + float(run.get("width")),
                    "fill": run.get("fill"),
                    "y": float(run.get("y")),
                }
            )
    return found


def test_one_bar_per_attempt_coloured_by_outcome():
    timeline = floto.viz.timeline(sample_state())
    found = bars(timeline.svg)
    assert timeline.bars == len(found) == 6
    assert sorted(bar["outcome"] for bar in found) == sorted(
        ["completed", "failed", "timed-out", "completed", "open", "completed"]
    )
    styles = floto.viz.STATUS_STYLES
    expected_fill = {
        "completed": styles[TaskStatus.COMPLETED]["fillcolor"],
        "failed": styles[TaskStatus.FAILED]["fillcolor"],
        "timed-out": styles[TaskStatus.TIMED_OUT]["fillcolor"],
        "open": styles[TaskStatus.RUNNING]["fillcolor"],
    }
    for bar in found:
        assert bar["fill"] == expected_fill[bar["outcome"]]


def test_bars_span_scheduled_to_closed_in_proportion():
    found = {
        bar["title"].split("\n")[1]: bar for bar in bars(floto.viz.timeline(sample_state()).svg)
    }
    load = next(
        b for b in bars(floto.viz.timeline(sample_state()).svg) if b["title"].startswith("load")
    )
    per_second = (load["x2"] - load["x0"]) / 10
    assert per_second > 0
    flaky = [
        b for b in bars(floto.viz.timeline(sample_state()).svg) if b["title"].startswith("flaky")
    ]
    assert [round((b["x2"] - b["x0"]) / per_second, 3) for b in flaky] == [10, 5, 5]
    assert [round((b["x1"] - b["x0"]) / per_second, 3) for b in flaky] == [0.5, 0.5, 0.5]
    assert len({b["y"] for b in flaky}) == 1  # a task's attempts share its row
    assert found  # titles parsed


def test_open_attempts_run_up_to_now():
    state = sample_state()
    busy = lambda svg: next(b for b in bars(svg) if b["title"].startswith("busy"))  # noqa: E731
    default = busy(floto.viz.timeline(state).svg)
    assert default["x2"] - default["x1"] == pytest.approx(1, abs=0.01)  # newest time: its start
    later = busy(floto.viz.timeline(state, now=at(60)).svg)
    load = next(
        b for b in bars(floto.viz.timeline(state, now=at(60)).svg) if b["title"].startswith("load")
    )
    per_second = (load["x2"] - load["x0"]) / 10
    assert (later["x2"] - later["x0"]) / per_second == pytest.approx(30, abs=0.01)


def test_tooltips_name_the_task_attempt_and_error():
    titles = [bar["title"] for bar in bars(floto.viz.timeline(sample_state()).svg)]
    first_flaky = next(t for t in titles if t.startswith("flaky:v1:0\nattempt 1"))
    assert first_flaky.splitlines() == [
        "flaky:v1:0",
        "attempt 1: failed",
        "scheduled +10 s, started +10.5 s, closed +20 s",
        "took 10 s",
        "error: flaky <error> & more",
    ]


def test_rows_legend_and_title():
    svg = floto.viz.timeline(sample_state()).svg
    root = ET.fromstring(svg)
    rows = [el for el in root.iter(f"{SVG}text") if el.get("class") == "floto-row"]
    assert ["".join(r.itertext()).split("#")[0] for r in rows] == [
        "load:v1:0load",
        "flaky:v1:0flaky",
        "pausepause",
        "busy:v1:0busy",
    ]
    legend = [
        "".join(el.itertext())
        for el in root.iter(f"{SVG}text")
        if el.get("class") == "floto-legend"
    ]
    assert legend == [
        "open (1)",
        "completed (3)",
        "failed (1)",
        "timed out (1)",
        "waiting for a worker",
        "1 not scheduled",
    ]
    title = next(el for el in root.iter(f"{SVG}text") if el.get("class") == "floto-title")
    assert title.text == "wf-1 · open · 30.5 s"


def test_displays_in_jupyter_and_is_text(tmp_path):
    timeline = floto.viz.timeline(sample_state())
    assert timeline._repr_svg_() == str(timeline) == timeline.svg
    assert timeline.svg.startswith("<svg xmlns=")
    assert repr(timeline) == "<Timeline of 6 attempts>"
    path = timeline.save(tmp_path / "t.svg")
    ET.parse(path)  # well-formed XML


def test_an_execution_with_nothing_scheduled_says_so():
    svg = floto.viz.timeline(execution()).svg
    assert "no task scheduled yet" in svg
    ET.fromstring(svg)


def test_control_characters_in_errors_keep_the_svg_well_formed():
    task = ActivityTask("odd", "v1")
    state = execution(
        task_state(task, TaskStatus.FAILED, [attempt(1, 0, 1, OUT.FAILED, "bad\x00\x1b[31m")])
    )
    ET.fromstring(floto.viz.timeline(state).svg)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (({"tasks": {}},), {}, TypeError, "ExecutionState"),
        ((None,), {}, TypeError, "ExecutionState"),
        ((), {"width": 100}, ValueError, "width"),
        ((), {"now": "now"}, TypeError, "now must be a datetime"),
    ],
)
def test_bad_arguments_are_refused(args, kwargs, error, words):
    args = args or (sample_state(),)
    with pytest.raises(error, match=re.escape(words)):
        floto.viz.timeline(*args, **kwargs)


def test_naive_now_is_taken_as_utc():
    naive = T0.replace(tzinfo=None)
    floto.viz.timeline(sample_state(), now=naive)


def test_a_timer_runs_from_its_start_and_an_unstarted_task_only_waits():
    timer = Timer("pause", 10)
    never_started = ActivityTask("stuck", "v1", id_="stuck:v1:0")
    timer_attempt = attempt(1, 0, 10, OUT.COMPLETED)
    timer_attempt.started_at = None
    stuck_attempt = attempt(1, 0, 10, OUT.TIMED_OUT)
    stuck_attempt.started_at = None
    state = execution(
        task_state(timer, TaskStatus.COMPLETED, [timer_attempt]),
        task_state(never_started, TaskStatus.TIMED_OUT, [stuck_attempt]),
    )
    found = {bar["title"].split("\n")[0]: bar for bar in bars(floto.viz.timeline(state).svg)}
    assert found["pause"]["x1"] == found["pause"]["x0"]  # no waiting part: all running
    assert found["stuck:v1:0"]["x1"] == pytest.approx(found["stuck:v1:0"]["x2"] - 1)


def test_axis_ticks_read_as_offsets_with_the_step_precision():
    short = execution(
        task_state(
            ActivityTask("a", "v1"), TaskStatus.COMPLETED, [attempt(1, 0, 0.9, OUT.COMPLETED)]
        )
    )
    root = ET.fromstring(floto.viz.timeline(short).svg)
    ticks = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "floto-tick"]
    assert ticks[:3] == ["+0.0 s", "+0.2 s", "+0.4 s"]
    long = execution(
        task_state(
            ActivityTask("a", "v1"), TaskStatus.COMPLETED, [attempt(1, 0, 3600, OUT.COMPLETED)]
        )
    )
    root = ET.fromstring(floto.viz.timeline(long).svg)
    ticks = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "floto-tick"]
    assert ticks[:3] == ["+0 s", "+10 min", "+20 min"]
