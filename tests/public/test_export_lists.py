"""Every package's public face is pinned: adding or removing a public name is a decision that
shows up here. Each listed name exists, and nothing private is exported."""

from __future__ import annotations

import importlib

import pytest

EXPORTS = {
    "floto": "ActivityRegistry ActivityWorker History __version__ activity api cancel_requested "
    "default_registry generator replay specs",
    "floto.api": "ActivityType ConfigurationError DefaultUndefinedError DomainAlreadyExistsError "
    "DomainDeprecatedError Domains EndpointError LimitExceededError NetworkError "
    "OperationNotPermittedError PayloadStore Swf SwfError ThrottledError TypeAlreadyExistsError "
    "TypeDeprecatedError UnknownResourceError ValidationError WorkflowAlreadyStartedError "
    "WorkflowType default_identity is_aws_endpoint",
    "floto.specs": "DeciderSpec FAILURE_POLICIES JSONEncoder SPEC_TYPE TASK_TYPES TYPES TaskGraph "
    "check_failure_policy check_tasks "
    "connect decode decode_spec decode_task decode_tasks loads retry_strategy task",
    "floto.specs.task": "ActivityTask ChildWorkflow Generator Task Timer",
    "floto.specs.retry_strategy": "DelayedRetry InstantRetry Strategy",
    "floto.dsl": "PayloadSizeWarning ServesTasks WORKFLOW_FORMS Workflow WorkflowSource "
    "activity_task chain child_workflow cross from_document generator_task oversized_inputs "
    "pairwise payload_warnings read_workflow timer",
    "floto.history": "Attempt AttemptOutcome ExecutionFollower ExecutionState History "
    "HistoryError HistoryGapError PageReader PayloadResolver Progress SHARD_KIND ShardPlan "
    "DecisionTask StoredPayload TaskState TaskStatus WorkflowChange WorkflowStatus "
    "apply_reuse apply_shards compare_forms compare_tasks decision_tasks event_task "
    "find_input_tasks find_task fold_events has_record load_events load_payload "
    "marker_entries migrate new_state plan_shards projected_events recorded_tasks "
    "recorded_tasks_of reuse_entries reused_entries_of settle_workflow shard_input "
    "state_from_events state_labels task_forms task_label task_labels",
    "floto.decider": "CHILD_WORKFLOW_TYPE Daemon Decider Difference DynamicDecider "
    "IN_FLIGHT_POLICIES "
    "RESTART_SIGNAL ReplayReport SIGNAL_NAME replay_history",
    "floto.worker": "ActivityContext ActivityDefinition ActivityRegistry ActivityWorker "
    "RegistrationError activity cancel_requested default_registry echo_task_output "
    "generator read_task_log task_log",
    "floto.viz": "DEFAULT_COLLAPSE_ABOVE DIRECTIONS GraphvizNotFoundError KIND_STYLES Node "
    "SEVERITY STATUS_STYLES StyleFunction Timeline VizDependencyError draw main report "
    "report_body timeline",
    "floto.local": "EndpointURLError EngineClockError EngineOptions EngineStartError LocalEngine "
    "ensure_engine is_reachable main",
    "floto.launch": "ChildType ConnectError Connection DEFAULT_WORKFLOW_TYPE LaunchError Launched "
    "Launcher Needs ProcessService RunFailed RunHandle Service WaitTimeoutError "
    "check_connection connect "
    "derive_task_list needs_of new_workflow_id result_of to_spec",
    "floto.testing": "DEFAULT_TIMEOUT Environment RunFailed TEST_POLL_WAIT WaitTimeoutError "
    "assert_not_ran assert_ran assert_ran_in_order assert_replays attempt_counts task_id_of "
    "tasks_run",
    "floto.display": "Renderer mimebundle set_renderer",
    "floto.observability": "FIELDS FORMATS JsonFormatter LEVELS Metrics RunContext "
    "RunContextFilter "
    "TextFormatter active_metrics activity_task configure_logging current_fields "
    "decision_task disable_metrics disable_tracing enable_metrics enable_tracing "
    "formatter heartbeat_failed logger poll_failed polled run_context serve_metrics "
    "task_context throttled trace_id_of",
    "floto.notebook": "DuplicateWorkflowIdError Lab NotebookDependencyError Replay Run RunFailed "
    "RunView RunsTable WaitTimeoutError",
    "floto.cli": "COMMANDS main",
    "floto.boundedjson": "JsonLimitError check_depth dumps_checked loads nesting_depth",
}


@pytest.mark.parametrize("module", sorted(EXPORTS))
def test_export_list_is_pinned(module):
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(EXPORTS[module].split())


@pytest.mark.parametrize("module", sorted(EXPORTS))
def test_every_exported_name_exists_and_is_public(module):
    imported = importlib.import_module(module)
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.{name} is listed but missing"
        assert name == "__version__" or not name.startswith("_")
