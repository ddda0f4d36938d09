"""Launching workflows: register what they need, serve them with workers and deciders, start runs.

The one piece that the notebook's ``Lab``, the command line's ``floto run`` and test
environments share. It sits above floto.api, floto.dsl, floto.history, floto.decider and
floto.worker, and below floto.notebook and the CLI (it never imports them)::

    from floto.launch import Launcher

    with Launcher("floto_test") as launcher:
        launched = launcher.launch(a >> [b, c] >> d, input={"day": "2024-01-02"})
        state = launcher.wait(launched, timeout=60)      # an ExecutionState
        state.status, state.result

A run is acted on through its :class:`RunHandle` (``launcher.handle(launched)``, or
``RunHandle(swf, domain, workflow_id)`` for any run): ``state()``, ``follow()``, ``wait()``,
``result``, ``failures``, ``terminate()``, ``rerun()``.
"""

from floto.launch._connect import Connection, check_connection, connect
from floto.launch._failure import (
    ConnectError,
    LaunchError,
    RunFailed,
    WaitTimeoutError,
    result_of,
)
from floto.launch._handle import RunHandle
from floto.launch._launcher import DEFAULT_WORKFLOW_TYPE, Launched, Launcher, new_workflow_id
from floto.launch._resolve import ChildType, Needs, derive_task_list, needs_of, to_spec
from floto.launch._services import ProcessService, Service

__all__ = [
    "DEFAULT_WORKFLOW_TYPE",
    "ChildType",
    "ConnectError",
    "Connection",
    "LaunchError",
    "Launched",
    "Launcher",
    "Needs",
    "ProcessService",
    "RunFailed",
    "RunHandle",
    "Service",
    "WaitTimeoutError",
    "check_connection",
    "connect",
    "derive_task_list",
    "needs_of",
    "new_workflow_id",
    "result_of",
    "to_spec",
]
