"""RunFailed carries every failure of a run: under "continue" (the default) all of them, each
on a line of its own; under "fail_fast" the run stops at the first and says so."""

from __future__ import annotations

import itertools

import pytest
from testing_activities import REGISTRY

import floto.testing
from floto.dsl import Workflow
from floto.history import TaskStatus
from floto.specs.task import ActivityTask

pytestmark = pytest.mark.floto_env(registry=REGISTRY)
ERROR = "ValueError: this activity always fails"


def two_failures() -> Workflow:
    """``early`` fails at once; ``late`` fails after a chain of three tasks."""
    early = ActivityTask("fails", "1", id_="early")
    after_early = ActivityTask("add", "1", id_="after_early", requires=[early])
    chain = [ActivityTask("add", "1", id_=f"step{i}", input={"n": i}) for i in range(3)]
    for before, after in itertools.pairwise(chain):
        after.requires = [before]
    late = ActivityTask("fails", "1", id_="late", requires=[chain[-1]])
    return Workflow(after_early, late)


def test_continue_reports_both_failures_in_one_run(floto_env):
    with pytest.raises(floto.testing.RunFailed) as caught:
        floto_env.run(two_failures())
    error = caught.value
    assert error.failures == {"early": ERROR, "late": ERROR}
    assert str(error).splitlines()[1:] == [f"  early: {ERROR}", f"  late: {ERROR}"]
    assert error.reason == "2 tasks failed (1 blocked): early, late"
    state = floto_env.state()
    assert state["step2"].status is TaskStatus.COMPLETED  # the independent chain ran on
    assert state["after_early"].status is TaskStatus.BLOCKED


def test_fail_fast_stops_at_the_first_failure(floto_env):
    with pytest.raises(floto.testing.RunFailed) as caught:
        floto_env.run(two_failures(), failure_policy="fail_fast")
    assert caught.value.failures == {"early": ERROR}
    assert floto_env.state()["late"].status is TaskStatus.NOT_RUN


def test_the_workflow_option_is_the_default_of_the_run(floto_env):
    flow = Workflow(*two_failures().tasks, failure_policy="fail_fast")
    with pytest.raises(floto.testing.RunFailed) as caught:
        floto_env.run(flow)
    assert list(caught.value.failures) == ["early"]


def test_a_bad_policy_is_refused_before_the_run_starts(floto_env):
    with pytest.raises(ValueError, match="failure_policy: must be one of"):
        floto_env.run(two_failures(), failure_policy="later")
    assert floto_env.runs == []
