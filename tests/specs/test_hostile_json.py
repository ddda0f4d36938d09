"""The one bounded JSON reader (floto.boundedjson, floto.specs.loads) and the spec decoders on
top of it: hostile text of any shape is a SpecError naming the problem, never a RecursionError,
a NaN that fails later, or a hang (issue 12, holes 3 and 4)."""

import contextlib
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floto.boundedjson import dumps_checked, loads, nesting_depth
from floto.errors import SpecError
from floto.limits import MAX_DOCUMENT_CHARS, MAX_JSON_DEPTH, MAX_VALUE_DEPTH
from floto.specs import TYPES, DeciderSpec, decode, decode_spec, decode_tasks
from floto.specs import loads as specs_loads
from floto.specs.retry_strategy import DelayedRetry
from floto.specs.task import ActivityTask, Timer

DEEP = "[" * 100_000
SEED = {
    "type": "floto.specs.DeciderSpec",
    "domain": "d",
    "task_list": "t",
    "activity_tasks": [
        {
            "type": "floto.specs.task.ActivityTask",
            "id_": "a",
            "name": "a",
            "version": "1",
            "retry_strategy": {
                "type": "floto.specs.retry_strategy.DelayedRetry",
                "retries": 2,
                "backoff_factor": 2.0,
            },
        },
        {"type": "floto.specs.task.Timer", "id_": "t", "delay_in_seconds": 5, "requires": ["a"]},
    ],
}


def nested(depth: int, leaf: object = 0) -> object:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def depth_of(value: object) -> int:
    """Reference nesting depth of a parsed value (iterative)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            level += 1
            deepest = max(deepest, level)
            stack.extend((child, level) for child in (item.values() if isinstance(item, dict)
                                                       else item))  # fmt: skip
    return deepest


def test_the_public_loads_is_the_bounded_reader():
    assert specs_loads is loads


@pytest.mark.parametrize(
    "decoder",
    [DeciderSpec.from_json, decode_spec, decode, decode_tasks, loads],
    ids=lambda f: f.__qualname__,
)
@pytest.mark.parametrize("text", [DEEP, "[" * 100_000 + "]" * 100_000, '{"a":' * 50_000])
def test_deep_text_is_a_spec_error_naming_the_limit(decoder, text):
    with pytest.raises(SpecError, match=f"deeper than floto's limit of {MAX_JSON_DEPTH} levels"):
        decoder(text)


def test_a_document_just_inside_the_depth_limit_is_read():
    assert loads(json.dumps(nested(MAX_JSON_DEPTH))) == nested(MAX_JSON_DEPTH)
    with pytest.raises(SpecError):
        loads(json.dumps(nested(MAX_JSON_DEPTH + 1)))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("NaN", "NaN is not a number JSON allows"),
        ('{"x": [Infinity]}', "Infinity is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
        ("[1e999]", "the number 1e999 is out of range"),
        ("-1e400", "out of range"),
        ("9" * 5000, "an integer of 5,000 digits is out of range"),
        ("[1, 2", "not valid JSON"),
        ("", "not valid JSON"),
        (b"[\x80]", "is not UTF-8, UTF-16 or UTF-32 text"),
    ],
)
def test_numbers_must_be_finite_and_in_range_and_text_must_be_json(text, words):
    with pytest.raises(SpecError, match=words):
        loads(text, "where")
    with pytest.raises(SpecError, match=r"^where: "):
        loads(text, "where")


def test_size_is_bounded_before_anything_is_parsed():
    with pytest.raises(SpecError, match="is 11 characters, over floto's limit of 10"):
        loads("[" + " " * 9 + "]", max_chars=10)
    with pytest.raises(SpecError, match="over floto's limit of 67,108,864"):
        DeciderSpec.from_json(" " * (MAX_DOCUMENT_CHARS + 1))


def test_non_text_is_a_spec_error():
    with pytest.raises(SpecError, match="must be JSON text, got int"):
        loads(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("backoff_factor", "NaN", "NaN is not a number JSON allows"),
        ("backoff_factor", "Infinity", "Infinity is not a number"),
        ("initial_delay_in_seconds", "1e999", "out of range"),
        ("max_delay_in_seconds", "-Infinity", "-Infinity is not a number"),
        ("retries", "1" * 5000, "digits is out of range"),
        ("backoff_factor", "1e300", "backoff_factor: must be a number from 1 to 1,000"),
        ("retries", "100000", "retries: must be a whole number from 0 to 25,000"),
    ],
)
def test_json_nan_and_infinity_in_a_spec_are_refused(field, value, words):
    text = json.dumps(SEED).replace('"backoff_factor": 2.0', f'"{field}": {value}')
    with pytest.raises(SpecError, match=words):
        DeciderSpec.from_json(text)


def test_a_timer_delay_past_swf_s_eight_digits_is_refused():
    text = json.dumps(SEED).replace('"delay_in_seconds": 5', '"delay_in_seconds": 100000000')
    with pytest.raises(SpecError, match=r"activity_tasks\[1\].delay_in_seconds: must be a whole"):
        DeciderSpec.from_json(text)


def test_delayed_retry_never_overflows_at_its_largest():
    strategy = DelayedRetry(retries=25_000, initial_delay_in_seconds=1, backoff_factor=1000,
                            max_delay_in_seconds=99_999_999)  # fmt: skip
    assert [strategy.delay_in_seconds(n) for n in (1, 2, 3, 25_000)] == [1, 1000, 10**6, 99_999_999]


@pytest.mark.parametrize(
    "value",
    [nested(5000), nested(MAX_VALUE_DEPTH + 1), {"x": math.nan}, [math.inf]],
    ids=["very deep", "just too deep", "nan", "inf"],
)
def test_a_task_input_floto_could_not_read_back_is_refused_when_the_task_is_made(value):
    with pytest.raises(SpecError, match=r"ActivityTask\('a', '1'\).input: "):
        ActivityTask("a", "1", input=value)


def test_a_task_input_at_the_value_limit_fits_a_spec_that_floto_reads_back():
    task = ActivityTask("a", "1", input=nested(MAX_VALUE_DEPTH - 1))
    spec = DeciderSpec(domain="d", task_list="t", activity_tasks=[task, Timer("t", 1)])
    assert DeciderSpec.from_json(spec.to_json()) == spec


def test_dumps_checked_names_the_path():
    with pytest.raises(SpecError, match=r"^out\.x: nests arrays and objects deeper than"):
        dumps_checked(nested(10), 5, "out.x")
    assert dumps_checked(nested(5), 5) == json.dumps(nested(5))


# -- the scan that finds the depth ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("0", 0),
        ("[]", 1),
        ('["[[[", {"a": "]]]"}]', 2),
        ('["\\"[", [[]]]', 3),
        ('[[["never closed', 3),
        ('["ends in a backslash\\', 1),
    ],
)
def test_brackets_inside_strings_do_not_count(text, depth):
    assert nesting_depth(text) == depth


@pytest.mark.parametrize(
    "text",
    ['"' + '\\"' * 200_000, '"' * 400_001, '"' + "\\" * 400_001, "[" * 2_000_000, "{" * 10**6],
    ids=["escaped quotes", "quotes", "backslashes", "brackets", "braces"],
)
def test_pathological_text_is_scanned_in_linear_time(text):
    # Each of these would take hours if the scan were quadratic (pytest's timeout ends it).
    nesting_depth(text)
    with pytest.raises(SpecError):
        loads(text)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_round_trips_and_its_depth_is_measured(value):
    text = json.dumps(value)
    assert nesting_depth(text) == depth_of(value)
    assert loads(text) == value


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from('[]{}",:\\0123456789.eE-+ truefalsnNIiy\n'), max_size=400))
def test_any_text_is_a_value_or_a_spec_error(text):
    with contextlib.suppress(SpecError):
        loads(text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_mangled_spec_document_is_a_spec_or_a_spec_error(data):
    text = json.dumps(SEED)
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 20))
    insert = data.draw(st.sampled_from(["[" * 200, "NaN", "1e999", "{", '"', "-0", "null", ""]))
    mangled = text[:at] + insert + text[at + cut :]
    try:
        result = DeciderSpec.from_json(mangled)
    except SpecError:
        return
    assert isinstance(result, DeciderSpec)


# -- documents of the right shape with hostile contents --------------------------------------
def _field_names() -> list[str]:
    from floto.specs import TASK_TYPES
    from floto.specs.retry_strategy import DelayedRetry, InstantRetry

    classes = [*TASK_TYPES.values(), InstantRetry, DelayedRetry, DeciderSpec]
    return sorted({field.name for cls in classes for field in cls.json_fields})


FIELD_NAMES = _field_names()
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(sorted(TYPES))
)
KEYS = st.sampled_from([*FIELD_NAMES, "type"]) | st.text(max_size=4)
VALUES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)
DOCUMENTS = st.fixed_dictionaries(
    {"type": st.sampled_from(sorted(TYPES))}, optional=dict.fromkeys(FIELD_NAMES, VALUES)
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_any_document_naming_a_floto_type_decodes_or_is_one_spec_error(document):
    try:
        decoded = decode(document)
    except SpecError:
        return
    assert decoded.to_dict()["type"] == document["type"]
    decode(json.dumps(decoded.to_dict()))  # what floto made of it, it reads back
