"""DeciderSpec.failure_policy: "continue" by default, older JSON decodes, bad values refused."""

import pytest

from floto.dsl import Workflow
from floto.errors import SpecError
from floto.specs import FAILURE_POLICIES, DeciderSpec
from floto.specs.task import ActivityTask


def spec(**kwargs):
    return DeciderSpec(domain="d", task_list="t", activity_tasks=[ActivityTask("a", "1")], **kwargs)


def test_the_policies_and_the_default():
    assert FAILURE_POLICIES == ("continue", "fail_fast")
    assert spec().failure_policy == "continue"


def test_json_without_the_field_decodes_to_continue_and_keeps_its_shape():
    document = spec().to_dict()
    assert "failure_policy" not in document  # the seed's JSON is unchanged at the default
    assert DeciderSpec.from_json(document).failure_policy == "continue"


def test_fail_fast_round_trips():
    document = spec(failure_policy="fail_fast").to_dict()
    assert document["failure_policy"] == "fail_fast"
    assert DeciderSpec.from_json(document) == spec(failure_policy="fail_fast")
    assert spec(failure_policy="fail_fast") != spec()


@pytest.mark.parametrize("bad", ["stop", "", None, True, "FAIL_FAST"])
def test_a_bad_policy_is_refused_naming_the_field(bad):
    with pytest.raises(SpecError, match=r"failure_policy: must be one of 'continue', 'fail_fast'"):
        spec(failure_policy=bad)


def test_a_bad_policy_in_json_names_its_path():
    document = {**spec().to_dict(), "failure_policy": "later"}
    with pytest.raises(SpecError, match=r"^failure_policy: must be one of"):
        DeciderSpec.from_json(document)


def test_the_workflow_option_reaches_its_specs():
    flow = Workflow(ActivityTask("a", "1"), failure_policy="fail_fast")
    assert flow.decider_spec("d", "t").failure_policy == "fail_fast"
    assert flow.decider_spec("d", "t", failure_policy="continue").failure_policy == "continue"
    assert Workflow(ActivityTask("a", "1")).decider_spec("d").failure_policy == "continue"
    with pytest.raises(SpecError, match=r"Workflow.failure_policy: must be one of"):
        Workflow(ActivityTask("a", "1"), failure_policy="nope")
