"""Fixtures for floto.api tests: a stubbed client (no network) and a Swf on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from floto.api import Swf


@pytest.fixture
def stubbed() -> Iterator[tuple[Swf, Stubber]]:
    """A Swf on a boto3 client whose answers come from botocore's Stubber."""
    client: Any = boto3.client(
        "swf", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    swf = Swf(client=client)
    swf.retry_base_seconds = 0.0
    with Stubber(client) as stubber:
        yield swf, stubber
        stubber.assert_no_pending_responses()
