"""Payload encoding and cutting to SWF's limits."""

from __future__ import annotations

import datetime as dt

import pytest

from floto.api._payload import encode_payload
from floto.errors import PayloadTooLargeError, SpecError
from floto.limits import cut, cut_reason


def test_strings_pass_verbatim_and_none_stays_none():
    assert encode_payload("42") == "42"
    assert encode_payload(None) is None


def test_objects_become_sorted_json_with_iso_dates():
    assert (
        encode_payload({"b": dt.date(2024, 1, 2), "a": False}) == '{"a": false, "b": "2024-01-02"}'
    )


def test_exactly_the_limit_is_accepted_and_one_more_refused():
    assert len(encode_payload("x" * 32_768)) == 32_768
    with pytest.raises(PayloadTooLargeError, match="result is 32,769 characters") as caught:
        encode_payload("x" * 32_769, field="result")
    assert caught.value.limit == 32_768


@pytest.mark.parametrize("size", [300, 32_769, 100_000])
def test_cut_text_fits_and_says_it_was_cut(size):
    text = cut("y" * size, 256)
    assert len(text) == 256
    assert "cut by floto" in text
    assert f"of {size:,} characters dropped" in text


def test_short_text_is_not_cut():
    assert cut("short", 256) == "short"
    assert cut_reason("short", 256) == "short"
    assert cut_reason("z" * 257, 256) == "z" * 253 + "..."


@pytest.mark.parametrize("value", [float("nan"), {"x": float("inf")}, [float("-inf")]])
def test_nan_and_infinity_are_refused_as_not_json(value):
    from floto.errors import SpecError

    with pytest.raises(SpecError, match="input: is not JSON-serialisable: Out of range float"):
        encode_payload(value)


def test_a_value_deeper_than_floto_reads_is_refused_before_it_is_sent():
    value: list = []
    for _ in range(5000):
        value = [value]
    with pytest.raises(SpecError, match="input: nests arrays and objects deeper than floto's"):
        encode_payload(value)
    shallow: list = []
    for _ in range(127):
        shallow = [shallow]
    assert encode_payload(shallow) == "[" * 128 + "]" * 128
