"""Fixture for floto.api tests: a Swf on a stubbed boto3 client (no network).

Not named conftest.py on purpose: tests/local's spawned processes import ``conftest`` from
sys.path, and a second conftest.py earlier on sys.path would shadow theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from floto.api import Swf


@pytest.fixture(name="stubbed")
def stubbed_fixture() -> Iterator[tuple[Swf, Stubber]]:
    """A Swf on a boto3 client whose answers come from botocore's Stubber."""
    client: Any = boto3.client(
        "swf", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    swf = Swf(client=client)
    swf.retry_base_seconds = 0.0
    with Stubber(client) as stubber:
        yield swf, stubber
        stubber.assert_no_pending_responses()
