"""``floto replay HISTORY --spec SPEC``: exit 0 when the spec decides the saved run as it was
decided, 1 (and each difference printed) when it would not, 2 on bad arguments or input,
always in one line `floto replay: ...`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from floto.history import decision_tasks, recorded_tasks_of
from floto.specs import DeciderSpec
from floto.specs.retry_strategy import InstantRetry

FIXTURE = Path(__file__).parents[1] / "history" / "fixtures" / "generator_timer_retry_run.json"
FLAKY = "flaky:1:c9614aa2c5"


def _tasks():
    events = json.loads(FIXTURE.read_text())
    marker = decision_tasks(events)[0].decisions[0]["recordMarkerDecisionAttributes"]["details"]
    return recorded_tasks_of([marker])


@pytest.fixture
def files(tmp_path):
    """The saved run (a real local-engine run, recorded by an earlier floto), its spec as a
    JSON file, and a module whose ``changed`` spec gives the flaky task no retry."""
    spec = DeciderSpec(domain="d", task_list="deciders", default_activity_task_list="workers",
                       activity_tasks=_tasks())  # fmt: skip
    (tmp_path / "spec.json").write_text(spec.to_json())
    (tmp_path / "changed_spec.py").write_text(
        "from floto.specs import DeciderSpec\n"
        "from floto.specs.retry_strategy import InstantRetry\n"
        f"spec = DeciderSpec.from_json(open({str(tmp_path / 'spec.json')!r}).read())\n"
        f"spec.activity_tasks[3].retry_strategy = InstantRetry(0)\n"
        "spec.failure_policy = 'fail_fast'  # the failure closes the run at once\n"
    )
    assert spec.activity_tasks[3].id_ == FLAKY and isinstance(
        spec.activity_tasks[3].retry_strategy, InstantRetry
    )
    return tmp_path


def test_the_same_spec_replays_with_exit_0(cli, files):
    result = cli("replay", str(FIXTURE), "--spec", str(files / "spec.json"))
    assert result.code == 0, result.err
    assert "8 decision task(s) replayed, no differences" in result.out


def test_each_saved_form_is_read(cli, files):
    events = json.loads(FIXTURE.read_text())
    epoch = [{**e, "eventTimestamp": dt.datetime.fromisoformat(e["eventTimestamp"]).timestamp()}
             for e in events]  # fmt: skip
    (files / "aws.json").write_text(json.dumps({"events": epoch}))
    (files / "lines.json").write_text("\n".join(json.dumps(event) for event in events))
    for name in ("aws.json", "lines.json"):
        assert cli("replay", str(files / name), "--spec", str(files / "spec.json")).code == 0


def test_a_changed_spec_prints_its_differences_with_exit_1(cli, files, monkeypatch):
    monkeypatch.chdir(files)
    result = cli("replay", str(FIXTURE), "--spec", "changed_spec:spec")
    assert result.code == 1
    assert f"decision 1 (event 3): would record other tasks: 1 task changed ({FLAKY}: " \
           "retry_strategy)" in result.out  # fmt: skip
    migrated = cli("replay", str(FIXTURE), "--spec", "changed_spec:spec", "--in-flight",
                   "migrate", "--json")  # fmt: skip
    assert migrated.code == 1
    found = [json.loads(line) for line in migrated.out.splitlines()]
    assert {"decision", "event_id", "kind", "task", "message"} <= set(found[0])
    assert any(d["kind"] == "close" and "would fail the run here" in d["message"] for d in found)


@pytest.mark.parametrize(
    ("history", "args", "words"),
    [
        ('{"events": [{"eventId": 1,', [], "not JSON: "),
        ("[]", [], "holds no events"),
        ('[{"eventId": 1}]', [], "events[0]: needs an eventType"),
        ('{"nothing": 1}', [], "expected a list of events"),
        (None, [], "cannot read"),
        ("[]", ["--in-flight", "union"], "invalid choice: 'union'"),
    ],
    ids=["malformed", "empty", "no-type", "not-events", "missing", "bad-policy"],
)
def test_bad_input_is_one_line_and_exit_2(cli, files, history, args, words):
    path = files / "history.json"
    if history is not None:
        path.write_text(history)
    result = cli("replay", str(path), "--spec", str(files / "spec.json"), *args)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("floto replay: ") and words in lines[0]


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (["--spec", "missing.json"], "cannot read missing.json"),
        (["--spec", "no_such_module:spec"], "no module named 'no_such_module'"),
        (["--spec", "changed_spec:nothing"], "has no attribute 'nothing'"),
        ([], "one of the arguments --spec --dynamic is required"),
        (["--spec", "x.json", "--dynamic"], "not allowed with argument"),
    ],
)
def test_a_bad_spec_argument_is_one_line_and_exit_2(cli, files, monkeypatch, spec, words):
    monkeypatch.chdir(files)
    result = cli("replay", str(FIXTURE), *spec)
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], lines


def test_floto_decider_takes_the_in_flight_policy(files, local_engine):
    from floto.cli._processes import decider_parser, make_decider

    spec = str(files / "spec.json")
    args = decider_parser().parse_args([spec, "--in-flight", "migrate", "--domain", "d"])
    assert make_decider(args).in_flight.policy == "migrate"
    assert make_decider(decider_parser().parse_args([spec])).in_flight.policy == "recorded"


def test_a_run_is_read_from_swf_with_workflow_id(served, cli, files):
    from cli_flows import hello_task
    from cli_support import wait_closed

    served.start([hello_task], "replayed-1", name="floto")
    assert wait_closed(served.swf, served.domain, "replayed-1")["closeStatus"] == "COMPLETED"
    where = ["--workflow-id", "replayed-1", "--domain", served.domain]
    same = cli("replay", *where, "--dynamic")
    assert same.code == 0, same.err
    assert "no differences" in same.out
    other = cli("replay", *where, "--spec", str(files / "spec.json"))  # another workflow
    assert other.code == 1 and "would record other tasks" in other.out
    unknown = cli("replay", "--workflow-id", "nobody", "--domain", served.domain, "--dynamic")
    assert unknown.code == 2 and unknown.err.startswith("floto replay: no run 'nobody'")
    both = cli("replay", str(FIXTURE), *where, "--dynamic")
    assert both.code == 2 and "not both" in both.err
