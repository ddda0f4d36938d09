"""A data dir's snapshot holds the engine's objects as pickled attributes: an attribute added to
or dropped from a run, a task, a domain... makes older snapshots wrong for the new code. This
test records what a snapshot holds of each class and fails when that changes, so that the data
format (floto/local/_store.py's FORMAT) is raised with it and older data dirs are refused
instead of misread."""

from __future__ import annotations

import json
import subprocess
import sys

from floto.local._store import FORMAT

_DRIVE = r"""
import json
import types
from collections import deque
from floto.local._backend import BACKENDS
from floto.local._responses import LocalSWFResponse
from floto.local._state import LOCK
from floto.local._timers import SCHEDULER


def call(action, **params):
    return json.loads(LocalSWFResponse(params, "us-east-1", "123456789012").answer(action) or "{}")


def decide(token, *decisions):
    call("RespondDecisionTaskCompleted", taskToken=token, decisions=list(decisions))


def decision(kind, **attrs):
    return {"decisionType": kind, kind[0].lower() + kind[1:] + "DecisionAttributes": attrs}


d, tl, atl = "d", {"name": "deciders"}, {"name": "workers"}
call("RegisterDomain", name=d, workflowExecutionRetentionPeriodInDays="1",
     tags=[{"key": "k", "value": "v"}])
for name in ("wf", "kid"):
    call("RegisterWorkflowType", domain=d, name=name, version="1", defaultTaskList=tl,
         defaultExecutionStartToCloseTimeout="300", defaultTaskStartToCloseTimeout="30",
         defaultChildPolicy="TERMINATE")
call("RegisterActivityType", domain=d, name="act", version="1", defaultTaskList=atl,
     defaultTaskScheduleToStartTimeout="60", defaultTaskScheduleToCloseTimeout="60",
     defaultTaskStartToCloseTimeout="60", defaultTaskHeartbeatTimeout="60")
wf = {"name": "wf", "version": "1"}
call("StartWorkflowExecution", domain=d, workflowId="p", workflowType=wf, input="x", tagList=["t"])
task = call("PollForDecisionTask", domain=d, taskList=tl)
act = {"activityType": {"name": "act", "version": "1"}}
decide(task["taskToken"],
       decision("ScheduleActivityTask", activityId="a1", **act),
       decision("ScheduleActivityTask", activityId="a2", **act),
       decision("StartTimer", timerId="t", startToFireTimeout="100"),
       decision("StartChildWorkflowExecution", workflowId="k",
                workflowType={"name": "kid", "version": "1"}),
       decision("RecordMarker", markerName="m"))
started = call("PollForActivityTask", domain=d, taskList=atl)
call("RecordActivityTaskHeartbeat", taskToken=started["taskToken"], details="h")
call("SignalWorkflowExecution", domain=d, workflowId="p", signalName="s")
call("PollForDecisionTask", domain=d, taskList=tl)  # a decision task started, unanswered
call("StartWorkflowExecution", domain=d, workflowId="q", workflowType=wf)
call("TerminateWorkflowExecution", domain=d, workflowId="q")

shape, seen, todo = {}, set(), [list(BACKENDS), SCHEDULER.entries()]
by_name = set()  # functions and classes a pickle names: renaming one breaks older snapshots
with LOCK:
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float, bool, type(None))):
            continue
        seen.add(id(obj))
        if isinstance(obj, (types.FunctionType, types.MethodType, type)):
            by_name.add(obj.__module__ + "." + obj.__qualname__)
            todo.append(getattr(obj, "__self__", None))
        elif isinstance(obj, dict):
            todo += list(obj.keys()) + list(obj.values()) + [getattr(obj, "default_factory", None)]
        elif isinstance(obj, (list, tuple, deque, set)):
            todo += list(obj)
        elif type(obj).__module__.split(".")[0] in ("floto", "moto"):
            state = obj.__getstate__()
            if isinstance(state, tuple) and len(state) == 2 and isinstance(state[1], dict):
                state = {**(state[0] or {}), **state[1]}  # __slots__
            name = type(obj).__module__ + "." + type(obj).__qualname__
            if isinstance(state, dict):
                shape[name] = sorted(state)
                todo += list(state.values())
            else:  # a class's own __getstate__: the length of its tuple, and its slots
                slots = [s for c in type(obj).__mro__ for s in getattr(c, "__slots__", ())]
                shape[name] = [f"{type(state).__name__} of {len(state)}"] + sorted(slots)
                todo += list(state)
shape["functions and classes pickled by name"] = sorted(by_name)
print(json.dumps(shape, sort_keys=True))
"""

# moto's classes are recorded too: their attributes are pickled as they are. A moto release
# may add one (setup.cfg pins moto >=5.2.1,<5.3, and a data dir records the moto version that
# wrote it); this test then fails, rightly: older snapshots would lack it.
RECORDED_FORMAT = 2
RECORDED: dict[str, object] = {
    "floto.local._backend.LocalSWFBackend": [
        "account_id",
        "domains",
        "domains_by_name",
        "partition",
        "queues",
        "region_name",
        "tagger",
        "tokens",
    ],
    "floto.local._domain.LocalDomain": [
        "account_id",
        "activity_task_lists",
        "closed",
        "decision_task_lists",
        "description",
        "name",
        "open_by_id",
        "region_name",
        "retention",
        "runs",
        "status",
        "types",
        "workflow_executions",
    ],
    "floto.local._events.Event": [
        "tuple of 4",
        "_json",
        "attributes",
        "event_id",
        "event_type",
        "timestamp",
    ],
    "floto.local._execution.ChildLink": [
        "child",
        "initiated_event_id",
        "started_event_id",
    ],
    "floto.local._execution.LocalExecution": [
        "_events",
        "_previous_started_event_id",
        "_timers",
        "backend",
        "cancel_requested",
        "child_policy",
        "child_workflow_executions",
        "children",
        "close_cause",
        "close_status",
        "close_timestamp",
        "continued_execution_run_id",
        "decision_after_handling",
        "domain",
        "events_list",
        "execution_start_to_close_timeout",
        "execution_status",
        "handling_decisions",
        "input",
        "last_completed_started_id",
        "latest_activity_task_timestamp",
        "latest_execution_context",
        "new_events_since_start",
        "open_activities",
        "open_counts",
        "parent",
        "parent_initiated_event_id",
        "parent_wfe",
        "run_id",
        "run_timeout",
        "scheduled_dt",
        "start_timestamp",
        "started_dt",
        "tag_list",
        "task_list",
        "task_priority",
        "task_start_to_close_timeout",
        "timeout_type",
        "timers",
        "workflow_id",
        "workflow_type",
    ],
    "floto.local._queues.TaskQueue": [
        "tuple of 2",
        "cond",
        "entries",
        "ready",
        "seen",
        "waiting",
    ],
    "floto.local._tasks.LocalActivityTask": [
        "activity_id",
        "activity_type",
        "cancel_requested_event_id",
        "control",
        "details",
        "identity",
        "input",
        "last_heartbeat_timestamp",
        "scheduled_at",
        "scheduled_event_id",
        "scheduled_timestamp",
        "started_event_id",
        "started_timestamp",
        "state",
        "task_list",
        "task_token",
        "timeout_type",
        "timeouts",
        "timeouts_due",
        "workflow_execution",
    ],
    "floto.local._tasks.LocalDecisionTask": [
        "previous_started_event_id",
        "scheduled_at",
        "scheduled_event_id",
        "start_to_close_timeout",
        "started_event_id",
        "started_timestamp",
        "state",
        "task_token",
        "timeout_entry",
        "timeout_type",
        "workflow_execution",
        "workflow_type",
    ],
    "floto.local._timers.Entry": [
        "args",
        "callback",
        "dropped",
        "due",
    ],
    "functions and classes pickled by name": [
        "builtins.dict",
        "floto.local._activities._timeout",
        "floto.local._backend._activity_ready",
        "floto.local._backend._decision_ready",
        "floto.local._decisions._fire_timer",
        "floto.local._execution.LocalExecution._decision_timeout",
        "floto.local._execution.LocalExecution._workflow_timeout",
    ],
    "floto.local._domain.LocalActivityType": [
        "creation_date",
        "default_task_heartbeat_timeout",
        "default_task_schedule_to_close_timeout",
        "default_task_schedule_to_start_timeout",
        "default_task_start_to_close_timeout",
        "deprecation_date",
        "description",
        "name",
        "status",
        "task_list",
        "version",
    ],
    "floto.local._domain.LocalWorkflowType": [
        "creation_date",
        "default_child_policy",
        "default_execution_start_to_close_timeout",
        "default_lambda_role",
        "default_task_priority",
        "default_task_start_to_close_timeout",
        "deprecation_date",
        "description",
        "name",
        "status",
        "task_list",
        "version",
    ],
    "moto.utilities.tagging_service.TaggingService": [
        "key_name",
        "tag_name",
        "tags",
        "value_name",
    ],
}


def test_the_snapshot_holds_what_the_data_format_says() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _DRIVE], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    shape = json.loads(done.stdout)
    assert "floto.local._execution.LocalExecution" in shape  # the walk found the runs
    changed = sorted(k for k in {*shape, *RECORDED} if shape.get(k) != RECORDED.get(k))
    assert (FORMAT, changed) == (RECORDED_FORMAT, []), (
        f"what a snapshot holds changed ({', '.join(changed) or 'FORMAT'}): raise FORMAT in "
        "floto/local/_store.py (older data dirs are then refused) and record the new shape and "
        f"format here: {json.dumps({k: shape.get(k) for k in changed})}"
    )
