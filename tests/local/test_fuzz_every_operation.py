"""Every operation of SWF's API model, fed bad values, answers a documented 4xx, never a 500.

The requests are built from botocore's SWF model: for each operation, a valid request (on a
real domain, types and run, so that handlers are reached), then the same request with each
member (nested ones too, decisions included) given a value of the wrong type, an oversized or
empty string, a value outside its enum or range, a bad duration or name, or removed when
required; and bad task and page tokens. They are sent as raw HTTP (no client-side checks).
Every answer must be 200 or a 4xx whose error the model documents for the operation (or one
SWF's API answers any operation: ValidationException, SerializationException...). Then a
normal workflow runs on the same engine. The counts are printed (``pytest -s``).
"""

from __future__ import annotations

import base64
import collections
import copy
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from engine_env import Env, decide, schedule

from floto.local import LocalEngine
from floto.local.testing import running_engine

COMMON_ERRORS = {"ValidationException", "SerializationException", "ThrottlingException"}
"""Errors SWF answers for any operation (the API reference's common errors that are 4xx)."""

MODEL = botocore.session.get_session().get_service_model("swf")
BAD_TOKENS = ["", "x" * 1025, "garbage", "00000000-0000-0000-0000-000000000000"]
BAD_PAGE_TOKENS = [
    "!!!",
    base64.urlsafe_b64encode(b"[1]").decode(),
    base64.urlsafe_b64encode(b'{"lo": "x", "hi": [], "run_id": 1, "reverse": 2}').decode(),
    base64.urlsafe_b64encode(b'{"offset": "many"}').decode(),
    base64.urlsafe_b64encode(b'{"offset": -5}').decode(),
    base64.urlsafe_b64encode(
        b'{"run_id": "r", "lo": 0, "hi": null, "reverse": false, "task_token": ["t"]}'
    ).decode(),
]


class Context:
    """Real names for the members that pick a resource, so requests reach the handlers."""

    def __init__(self, env: Env, run: dict[str, str], arn: str) -> None:
        self.values = {
            "domain": env.domain,
            "name": env.domain,
            "workflowId": run["workflowId"],
            "runId": run["runId"],
            "resourceArn": arn,
            "workflowType": {"name": "wf", "version": "1"},
            "activityType": {"name": "act", "version": "1"},
            "taskList": {"name": env.tl},
        }


def _valid(shape: Any, name: str, ctx: Context, depth: int = 0) -> Any:
    if name in ctx.values and depth <= 1:
        return copy.deepcopy(ctx.values[name])
    kind = shape.type_name
    if kind == "structure":
        return {m: _valid(shape.members[m], m, ctx, depth + 1) for m in shape.required_members}
    if kind == "list":
        return [_valid(shape.member, name, ctx, depth + 1)] if depth < 3 else []
    if kind in ("integer", "long"):
        return max(int(shape.metadata.get("min", 1)), 1)
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return 0
    if shape.enum:
        return shape.enum[0]
    if shape.name.startswith("Duration"):
        return "10"
    if shape.name == "TaskPriority":
        return "0"
    return "x" * max(int(shape.metadata.get("min", 1)), 1)


def _bad_values(shape: Any) -> list[Any]:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        return ["not an object", [], {}]
    if kind == "list":
        many = int(meta.get("max", 0)) + 1 if "max" in meta else 2
        return ["not a list", {"a": 1}, [None], [7] * many]
    if kind in ("integer", "long"):
        return ["ten", 1.5, True, -1, int(meta.get("max", 2**31)) + 1]
    if kind == "boolean":
        return ["yes", 1]
    if kind == "timestamp":
        return ["yesterday", True, [1]]
    values: list[Any] = [12345, None, {"a": 1}, ["x"]]
    if "max" in meta:
        values.append("x" * (int(meta["max"]) + 1))
    if int(meta.get("min", 0)) >= 1:
        values.append("")
    if shape.enum:
        values.append("NOT_IN_THE_ENUM")
    if shape.name.startswith("Duration"):
        values += ["abc", "-5", "1.5", "NONE ", "99999999"]
    if shape.name in ("DomainName", "Name", "Version", "WorkflowId", "ActivityId", "TimerId"):
        values += ["a:b", " lead", "arn", "c\x01d"]
    if shape.name == "TaskPriority":
        values += ["high", "9" * 8]
    if shape.name == "TaskToken":
        values += BAD_TOKENS
    if shape.name == "PageToken":
        values += BAD_PAGE_TOKENS
    return values


def _paths(shape: Any, prefix: tuple[Any, ...] = (), depth: int = 0) -> Iterator[tuple[Any, ...]]:
    """(path, member shape) of every member, nested structures and list items included."""
    if depth > 4:
        return
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            yield (*prefix, name), member
            yield from _paths(member, (*prefix, name), depth + 1)
    elif shape.type_name == "list":
        yield from _paths(shape.member, (*prefix, 0), depth + 1)


def _with(root: Any, request: Any, path: tuple[Any, ...], value: Any) -> Any:
    """``request`` with the member at ``path`` set to ``value`` (None: removed; parents that
    the valid request lacks are added, empty)."""
    out = copy.deepcopy(request)
    node, shape = out, root
    for step in path[:-1]:
        shape = shape.member if isinstance(step, int) else shape.members[step]
        empty: Any = [] if shape.type_name == "list" else {}
        if isinstance(step, int):
            if not node:
                node.append(empty)
            node = node[0]
        else:
            if not isinstance(node.get(step), type(empty)):
                node[step] = empty
            node = node[step]
    last = path[-1]
    if isinstance(last, int):
        node[:] = [value]
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return out


def _send(endpoint: str, operation: str, body: Any) -> tuple[int, str]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        endpoint,
        data=data,
        headers={
            "X-Amz-Target": f"SimpleWorkflowService.{operation}",
            "Content-Type": "application/x-amz-json-1.0",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as err:
        payload = json.loads(err.read() or b"{}")
        return err.code, str(payload.get("__type", "")).rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def fuzz_engine() -> Iterator[LocalEngine]:
    with running_engine(poll_wait=0.02, rate_quotas=False) as engine:
        yield engine


def _cases(operation: str, ctx: Context) -> Iterator[dict[str, Any]]:
    shape = MODEL.operation_model(operation).input_shape
    valid = _valid(shape, "", ctx)
    yield valid
    for path, member in _paths(shape):
        for value in _bad_values(member):
            yield _with(shape, valid, path, value)


def test_every_operation_answers_bad_requests_with_a_documented_4xx(fuzz_engine) -> None:
    swf = fuzz_engine.client("swf")
    started = time.monotonic()
    counts: collections.Counter[str] = collections.Counter()
    wrong: list[str] = []
    for operation in MODEL.operation_names:
        env = Env(swf)  # a domain each: an operation may deprecate its domain or types
        run = env.start(f"w-{operation}", executionStartToCloseTimeout="600")
        arn = swf.describe_domain(name=env.domain)["domainInfo"]["arn"]
        ctx = Context(env, run, arn)
        documented = COMMON_ERRORS | {e.name for e in MODEL.operation_model(operation).error_shapes}
        counts["operations"] += 1
        token = None
        for body in _cases(operation, ctx):
            if operation == "RespondDecisionTaskCompleted" and body.get("taskToken") == "x":
                token = token or _decision_token(env, counts["cases"])  # handlers are reached
                body["taskToken"] = token
            status, error = _send(fuzz_engine.endpoint_url, operation, body)
            if status == 200:
                token = None  # answered: the next case needs another decision task
            counts["cases"] += 1
            counts[f"{status} {error}".strip()] += 1
            if status != 200 and not (400 <= status < 500 and error in documented):
                wrong.append(f"{operation} {json.dumps(body)[:300]} -> {status} {error}")
    seconds = time.monotonic() - started
    print(f"\nfuzz: {counts['operations']} operations, {counts['cases']} cases in {seconds:.1f} s")
    for key, count in sorted(counts.items()):
        if key[0].isdigit():
            print(f"  {key}: {count}")
    assert wrong == [], f"{len(wrong)} answers not a documented 4xx:\n" + "\n".join(wrong[:40])
    assert not any(key.startswith("5") for key in counts)
    _a_normal_workflow_still_runs(Env(swf))


def _decision_token(env: Env, case: int) -> str:
    """The token of a started decision task, of a new run."""
    env.start(f"decided-{case}", executionStartToCloseTimeout="600")
    token: str = env.decision()["taskToken"]
    return token


def _a_normal_workflow_still_runs(env: Env) -> None:
    run = env.start("after-the-fuzz")
    env.respond(env.decision(), schedule("a", startToCloseTimeout="30"))
    task = env.activity()
    env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="42")
    env.respond(env.decision(), decide("CompleteWorkflowExecution", result="42"))
    assert env.describe(run)["executionInfo"]["closeStatus"] == "COMPLETED"
