"""Deciders: Decider, DynamicDecider and Daemon, and the pure decision planner."""

from floto.decider._base import DecisionLoop, RunCache, default_identity
from floto.decider._context import build_context
from floto.decider._daemon import (
    CHILD_WORKFLOW_TYPE,
    RESTART_SIGNAL,
    SIGNAL_NAME,
    Daemon,
    read_signal,
)
from floto.decider._decider import Decider, DynamicDecider
from floto.decider._planner import Plan, PlanConfig, plan, sink_results

__all__ = [
    "CHILD_WORKFLOW_TYPE",
    "RESTART_SIGNAL",
    "SIGNAL_NAME",
    "Daemon",
    "Decider",
    "DecisionLoop",
    "DynamicDecider",
    "Plan",
    "PlanConfig",
    "RunCache",
    "build_context",
    "default_identity",
    "plan",
    "read_signal",
    "sink_results",
]
