"""Start-up check: every moto internal the extension hooks must exist, or the engine refuses
to start with a message that says which one and which moto range is supported."""

from __future__ import annotations

import importlib

from floto.errors import FlotoError

SUPPORTED_MOTO = ">=5.2.1,<5.3"

HOOKS: dict[str, tuple[str, ...]] = {
    "moto.core.base_backend": ("BackendDict",),
    "moto.core.common_models": ("BaseModel",),
    "moto.core.exceptions": ("JsonRESTError",),
    "moto.core.models": ("DEFAULT_ACCOUNT_ID",),
    "moto.core.utils": ("camelcase_to_underscores",),
    "moto.swf.exceptions": (
        "SWFClientError",
        "SWFDomainAlreadyExistsFault",
        "SWFTypeDeprecatedFault",
        "SWFUnknownResourceFault",
        "SWFValidationException",
        "SWFWorkflowExecutionAlreadyStartedFault",
    ),
    "moto.swf.models": (
        "SWFBackend",
        "WorkflowExecution",
        "DecisionTask",
        "ActivityTask",
        "Domain",
    ),
    "moto.swf.models.SWFBackend": (
        "register_type",
        "list_types",
        "describe_type",
        "deprecate_type",
        "list_domains",
        "describe_domain",
    ),
    "moto.swf.models.WorkflowExecution": (
        "validate_decisions",
        "to_short_dict",
        "to_list_dict",
        "_get_from_kwargs_or_workflow_type",
        "KNOWN_DECISION_TYPES",
    ),
    "moto.swf.models.Domain": ("get_type", "add_type", "find_types", "to_short_dict"),
    "moto.swf.models.ActivityTask": ("to_full_dict",),
    "moto.swf.responses.SWFResponse": (
        "register_domain",
        "register_activity_type",
        "register_workflow_type",
        "describe_workflow_execution",
        "respond_decision_task_completed",
        "poll_for_activity_task",
        "terminate_workflow_execution",
    ),
    "moto.moto_server.werkzeug_app": ("DomainDispatcherApplication", "create_backend_app"),
}


class EngineCompatibilityError(FlotoError, RuntimeError):
    """The installed moto lacks something floto's local engine hooks."""


def _resolve(path: str) -> object:
    module_name, _, rest = path.partition(".swf.models.")
    if rest:
        return getattr(importlib.import_module(module_name + ".swf.models"), rest)
    module_name, _, rest = path.partition(".swf.responses.")
    if rest:
        return getattr(importlib.import_module(module_name + ".swf.responses"), rest)
    return importlib.import_module(path)


def check_moto() -> None:
    """Raise EngineCompatibilityError naming each missing hook."""
    try:
        import moto
    except ImportError as exc:
        raise EngineCompatibilityError(
            "floto's local engine needs moto: pip install 'floto[local]'"
        ) from exc
    missing = []
    for owner, names in HOOKS.items():
        try:
            obj = _resolve(owner)
        except (ImportError, AttributeError):
            missing.append(owner)
            continue
        missing += [f"{owner}.{name}" for name in names if not hasattr(obj, name)]
    if missing:
        raise EngineCompatibilityError(
            f"moto {getattr(moto, '__version__', '?')} lacks what floto's local engine hooks "
            f"({', '.join(missing)}); install a supported moto: pip install 'moto{SUPPORTED_MOTO}'"
        )
