"""Test your workflows: an engine, workers and a decider, and runs taken to their end.

floto's counterpart of Temporal's ``WorkflowEnvironment``, built on floto.launch (the same
Launcher notebooks and ``floto run`` use) and floto's local engine::

    import floto.testing

    with floto.testing.Environment(time_skipping=True) as env:
        result = env.run(workflow, input={"day": "2024-01-02"})   # or RunFailed
        state = env.state()                                       # its ExecutionState
        floto.testing.assert_ran_in_order(state, extract, load)

    floto.testing.assert_replays("tests/histories/", new_spec)     # a change, before deploying

pytest fixtures live in :mod:`floto.testing.pytest_plugin` (``floto_env``). See
docs/testing.md.
"""

from floto.launch import RunFailed, WaitTimeoutError
from floto.testing._assertions import (
    assert_not_ran,
    assert_ran,
    assert_ran_in_order,
    attempt_counts,
    task_id_of,
    tasks_run,
)
from floto.testing._environment import DEFAULT_TIMEOUT, TEST_POLL_WAIT, Environment
from floto.testing._replays import assert_replays

__all__ = [
    "DEFAULT_TIMEOUT",
    "TEST_POLL_WAIT",
    "Environment",
    "RunFailed",
    "WaitTimeoutError",
    "assert_not_ran",
    "assert_ran",
    "assert_ran_in_order",
    "assert_replays",
    "attempt_counts",
    "task_id_of",
    "tasks_run",
]
