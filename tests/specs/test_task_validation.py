"""Bad task arguments raise a SpecError (a ValueError) that names the task and the field."""

import pytest

from floto.errors import PayloadTooLargeError, SpecError
from floto.specs.retry_strategy import DelayedRetry, InstantRetry
from floto.specs.task import ActivityTask, ChildWorkflow, Generator, Timer


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda: ActivityTask("", "v1"), "ActivityTask('', 'v1').name: must be a non-empty string"),
        (lambda: ActivityTask("a", ""), "ActivityTask('a', '').version: must be a non-empty"),
        (lambda: ActivityTask("a", None), ".version: must be a non-empty string"),
        (lambda: ActivityTask("a" * 300, "v1"), "over SWF's limit of 256"),
        (
            lambda: ActivityTask("a", "v1", input={1, 2}),
            "ActivityTask('a', 'v1').input: is not JSON",
        ),
        (lambda: ActivityTask("a", "v1", input=object()), ".input: is not JSON-serialisable"),
        (lambda: ActivityTask("a", "v1", retry_strategy=3), ".retry_strategy: must be a floto"),
        (lambda: ActivityTask("a", "v1", requires="b"), ".requires: must be a list"),
        (lambda: ActivityTask("a", "v1", requires=[3]), ".requires[0]: must be a Task"),
        (lambda: ActivityTask("a", "v1", task_list=""), ".task_list: must be a non-empty"),
        (lambda: ActivityTask("a", "v1", activity_id="x", id_="y"), "two different ids"),
        (lambda: Generator("", "v1"), "Generator('', 'v1').name"),
        (lambda: ChildWorkflow("", "v1"), "ChildWorkflow('', 'v1').workflow_type_name"),
        (lambda: Timer(None, 3), "Timer.id_: a Timer needs an explicit id_"),
        (lambda: Timer("", 3), "id_: must be a non-empty string"),
        (lambda: Timer("t", -1), "Timer('t').delay_in_seconds: must be a whole number"),
        (lambda: Timer("t", 1.5), "delay_in_seconds: must be a whole number"),
        (lambda: Timer("t", True), "delay_in_seconds: must be a whole number"),
        (lambda: InstantRetry(retries=-1), "InstantRetry.retries: must be a whole number from 0"),
        (lambda: InstantRetry(retries="3"), "InstantRetry.retries"),
        (lambda: DelayedRetry(retries=-2), "DelayedRetry.retries"),
        (
            lambda: DelayedRetry(backoff_factor=0.5),
            "DelayedRetry.backoff_factor: must be a number from 1 to 1,000",
        ),
        (
            lambda: DelayedRetry(initial_delay_in_seconds=-1),
            "DelayedRetry.initial_delay_in_seconds",
        ),
        # issue 12, hole 4: numbers are finite and in range
        (lambda: DelayedRetry(backoff_factor=float("nan")), "backoff_factor: must be a number"),
        (lambda: DelayedRetry(backoff_factor=float("inf")), "backoff_factor: must be a number"),
        (lambda: DelayedRetry(backoff_factor=10**400), "backoff_factor: must be a number"),
        (lambda: DelayedRetry(initial_delay_in_seconds=float("nan")), "initial_delay_in_seconds"),
        (lambda: DelayedRetry(initial_delay_in_seconds=float("inf")), "initial_delay_in_seconds"),
        (lambda: DelayedRetry(max_delay_in_seconds=float("-inf")), "max_delay_in_seconds"),
        (lambda: DelayedRetry(max_delay_in_seconds=10**9), "from 0 to 99,999,999"),
        (lambda: InstantRetry(retries=10**6), "InstantRetry.retries: must be a whole number"),
        (lambda: Timer("t", 10**8), "delay_in_seconds: must be a whole number of seconds from 0"),
        (lambda: Timer("t", float("nan")), "delay_in_seconds: must be a whole number"),
    ],
)
def test_bad_argument_gets_named_error(make, fragment):
    with pytest.raises(SpecError) as caught:
        make()
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_oversized_input_reports_size_and_limit():
    with pytest.raises(PayloadTooLargeError) as caught:
        ActivityTask("big", "v1", input="x" * 40_000)
    assert caught.value.size == 40_002
    assert caught.value.limit == 32_768
    assert "ActivityTask('big', 'v1').input: encoded input is 40,002 characters" in str(
        caught.value
    )


def test_input_at_the_limit_is_accepted():
    assert ActivityTask("edge", "v1", input="x" * (32_768 - 2)).input


def test_falsy_inputs_are_inputs():
    for value in (0, "", [], {}, False):
        assert ActivityTask("a", "v1", input=value).input == value


def test_zero_retries_allowed_and_attempts_count():
    strategy = InstantRetry(retries=2)
    assert [strategy.is_task_resubmitted(n) for n in (1, 2, 3)] == [True, True, False]
    assert InstantRetry(retries=0).is_task_resubmitted(1) is False


def test_delayed_retry_backs_off_exponentially_up_to_the_cap():
    strategy = DelayedRetry(
        retries=5, initial_delay_in_seconds=2, backoff_factor=3, max_delay_in_seconds=20
    )
    assert [strategy.delay_in_seconds(n) for n in (1, 2, 3, 4)] == [2, 6, 18, 20]
    assert InstantRetry(retries=1).delay_in_seconds(1) == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda big: ActivityTask(name=big, version="v1"),
        lambda big: ActivityTask(name="a", version=big),
        lambda big: ChildWorkflow(workflow_type_name=big, workflow_type_version="1"),
        lambda big: Timer(id_=big, delay_in_seconds=1),
    ],
)
def test_an_over_long_name_is_reported_without_repeating_it_whole(make):
    big = "ü" * 3000
    with pytest.raises(SpecError, match="3000 characters, over SWF's limit of 256") as caught:
        make(big)
    assert len(str(caught.value)) < 300


def test_tasks_and_dates_in_an_input_take_their_json_form():
    import datetime as dt

    inner = ActivityTask("fileLength", "1")
    child = ChildWorkflow("read_file_lengths", "1", input={"activity_tasks": [inner]})
    assert child.input == {"activity_tasks": [inner.to_dict()]}
    assert ActivityTask("a", "v1", input={"day": dt.date(2016, 2, 1)}).input == {
        "day": "2016-02-01"
    }


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {"x": [float("-inf")]}])
def test_nan_and_infinity_are_not_json(value):
    with pytest.raises(SpecError, match=r"\.input: is not JSON-serialisable: Out of range float"):
        ActivityTask("a", "v1", input=value)
