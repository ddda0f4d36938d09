"""Warnings about literal task inputs over SWF's payload limit.

Such an input travels only through a payload store (floto.api's ``PayloadStore``). Whether
the deciders will have one is known only where they run; what an author can be told is
whether this environment configures one (``FLOTO_PAYLOAD_STORE``, or a local engine, whose
S3 floto uses by default).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from urllib.parse import urlparse

from floto.hosts import is_aws_host
from floto.limits import MAX_PAYLOAD_CHARS
from floto.specs.task import Task

STORE_VARIABLE = "FLOTO_PAYLOAD_STORE"
_OFF = frozenset({"", "off", "none", "false", "0"})


class PayloadSizeWarning(UserWarning):
    """A task's literal input is over SWF's limit and no payload store is configured."""


def store_configured() -> bool:
    """Whether this environment gives floto a payload store: ``FLOTO_PAYLOAD_STORE`` (not
    ``off``), or ``AWS_ENDPOINT_URL_SWF`` pointing at a local engine."""
    setting = os.environ.get(STORE_VARIABLE)
    if setting is not None:
        return setting.strip().lower() not in _OFF
    endpoint = os.environ.get("AWS_ENDPOINT_URL_SWF") or os.environ.get("AWS_ENDPOINT_URL")
    host = urlparse(endpoint).hostname if endpoint else None
    return bool(host) and not is_aws_host(host)


def oversized_inputs(tasks: Iterable[Task]) -> list[str]:
    """One line per task whose literal input is over SWF's 32,768 characters."""
    found = []
    for task in tasks:
        size = getattr(task, "input_chars", 0)
        if size > MAX_PAYLOAD_CHARS:
            found.append(
                f"task {task.id_}: input is {size:,} characters of JSON, over SWF's limit of "
                f"{MAX_PAYLOAD_CHARS:,}"
            )
    return found


def payload_warnings(tasks: Iterable[Task]) -> list[str]:
    """Warnings for inputs over SWF's limit when no payload store is configured (none if
    one is: such inputs then travel through it)."""
    if store_configured():
        return []
    return [
        f"{line}; no payload store is configured, so the run fails when it schedules this "
        f"task: set {STORE_VARIABLE}=s3://BUCKET/PREFIX, or give the deciders' "
        "floto.api.Swf a payload_store (the local engine has one by default)"
        for line in oversized_inputs(tasks)
    ]


def warn_about_payloads(tasks: Iterable[Task]) -> None:
    """Issue a :class:`PayloadSizeWarning` per line of :func:`payload_warnings`."""
    for line in payload_warnings(tasks):
        warnings.warn(line, PayloadSizeWarning, stacklevel=3)
