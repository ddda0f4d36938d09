"""A starting Daemon signals the open runs on its task list (and only those), so that a
daemon restarted after a crash gets a decision task; a run it cannot signal is skipped."""

from floto.api import UnknownResourceError
from floto.decider import RESTART_SIGNAL, Daemon


def _start(engine, workflow_id, task_list="floto_daemon"):
    engine.swf.start_workflow_execution(
        domain=engine.domain, workflow_type_name="wf", workflow_type_version="1",
        workflow_id=workflow_id, task_list=task_list,
    )  # fmt: skip


def _signals(engine, workflow_id):
    return [
        e["workflowExecutionSignaledEventAttributes"]["signalName"]
        for e in engine.history(workflow_id)
        if e["eventType"] == "WorkflowExecutionSignaled"
    ]


def test_only_open_runs_on_the_daemon_task_list_are_signalled(engine):
    _start(engine, "daemon-1")
    _start(engine, "daemon-2")
    _start(engine, "other", task_list="deciders")
    _start(engine, "closed")
    engine.swf.terminate_workflow_execution(engine.domain, "closed")
    daemon = Daemon(engine.domain, "floto_daemon", swf=engine.swf)
    assert daemon.wake_daemon_runs() == 2
    assert _signals(engine, "daemon-1") == _signals(engine, "daemon-2") == [RESTART_SIGNAL]
    assert _signals(engine, "other") == _signals(engine, "closed") == []


def test_a_run_that_cannot_be_signalled_does_not_stop_the_others(engine, monkeypatch):
    _start(engine, "daemon-1")
    _start(engine, "daemon-2")
    daemon = Daemon(engine.domain, "floto_daemon", swf=engine.swf)
    signal = engine.swf.signal_workflow_execution
    refused = []

    def first_refused(domain, workflow_id, *args, **kwargs):
        if not refused:  # as if that run closed between the listing and the signal
            refused.append(workflow_id)
            raise UnknownResourceError("closed meanwhile", code="UnknownResourceFault")
        return signal(domain, workflow_id, *args, **kwargs)

    monkeypatch.setattr(engine.swf, "signal_workflow_execution", first_refused)
    assert daemon.wake_daemon_runs() == 1
    (other,) = {"daemon-1", "daemon-2"} - set(refused)
    assert _signals(engine, other) == [RESTART_SIGNAL]
