"""The payload store on the local engine's S3: content-addressed, checksummed, capped; which
store a Swf gets from its argument and the environment."""

from __future__ import annotations

import pytest

from floto.api import PayloadStore, Swf
from floto.errors import PayloadError, PayloadTooLargeError
from floto.wire import PayloadRef, payload_ref_of_text


@pytest.fixture
def store(local_engine):
    return PayloadStore("floto-test-store", "t", endpoint_url=local_engine.endpoint_url,
                        create_bucket=True)  # fmt: skip


def test_a_payload_round_trips_and_is_written_once(store, local_engine):
    text = '{"x": "' + "é" * 50_000 + '"}'
    ref = store.put(text)
    assert ref.url.startswith("s3://floto-test-store/t/") and ref.size == len(text.encode())
    assert store.put(text) == ref  # same content, same key: no second write
    fresh = PayloadStore("floto-test-store", "t", endpoint_url=local_engine.endpoint_url)
    assert fresh.get(ref) == text
    assert fresh.call_counts == {"GetObject": 1}
    assert fresh.get(ref) == text and fresh.call_counts == {"GetObject": 1}  # cached


def test_a_corrupt_or_missing_object_is_a_clear_error(store, local_engine):
    ref = store.put("x" * 40_000)
    bucket, key = ref.bucket_and_key
    local_engine.client("s3").put_object(Bucket=bucket, Key=key, Body=b"y" * 40_000)
    reader = PayloadStore("floto-test-store", endpoint_url=local_engine.endpoint_url)
    with pytest.raises(PayloadError, match="is corrupt") as caught:
        reader.get(ref)
    assert caught.value.url == ref.url and not caught.value.transient
    missing = PayloadRef("s3://floto-test-store/t/" + "0" * 64, 3, "0" * 64)
    with pytest.raises(PayloadError, match="does not exist"):
        reader.get(missing)
    understated = PayloadRef(ref.url, 10, ref.sha256)  # a bigger object is not read whole
    with pytest.raises(PayloadError, match="11 bytes whose SHA-256 does not match"):
        reader.get(understated)
    absurd = PayloadRef(ref.url, 2**40, ref.sha256)
    with pytest.raises(PayloadError, match="over floto's payload cap"):
        reader.get(absurd)


def test_the_cap_refuses_before_anything_is_sent(local_engine):
    store = PayloadStore("b", endpoint_url=local_engine.endpoint_url, max_bytes=1_000)
    with pytest.raises(PayloadTooLargeError, match="1,001 bytes, over floto's payload cap"):
        store.put("x" * 1_001, what="workflow input")
    assert store.call_counts == {}


def test_which_store_a_swf_gets(local_engine, monkeypatch):
    monkeypatch.delenv("FLOTO_PAYLOAD_STORE", raising=False)
    local = Swf()  # the local engine: its own S3, a bucket created on first use
    assert local.payload_store.url == "s3://floto-payloads/floto/payloads"
    assert local.payload_store.create_bucket
    assert Swf(payload_store=False).payload_store is None
    assert Swf(payload_store="s3://mine/runs").payload_store.url == "s3://mine/runs"
    monkeypatch.setenv("FLOTO_PAYLOAD_STORE", "s3://from-env/p")
    assert Swf().payload_store.url == "s3://from-env/p"
    monkeypatch.setenv("FLOTO_PAYLOAD_STORE", "off")
    assert Swf().payload_store is None
    monkeypatch.delenv("FLOTO_PAYLOAD_STORE")
    aws = Swf(region_name="eu-west-1", endpoint_url="https://swf.eu-west-1.amazonaws.com")
    assert aws.payload_store is None  # on AWS a store is configured, never guessed
    with pytest.raises(ValueError, match="s3://BUCKET/PREFIX"):
        Swf(payload_store="my-bucket")


def test_fit_payload_keeps_small_text_and_stores_large_text(local_engine):
    swf = Swf()
    assert swf.fit_payload("small") == "small"
    assert swf.payload_store.call_counts == {}
    reference = swf.fit_payload("z" * 40_000, what="activity result")
    assert len(reference) < 300
    assert swf.resolve_payload(payload_ref_of_text(reference)) == "z" * 40_000
