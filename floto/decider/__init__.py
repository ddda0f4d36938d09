"""Deciders: Decider, DynamicDecider and Daemon (the seed's), on a pure decision planner."""

from floto.decider._daemon import CHILD_WORKFLOW_TYPE, RESTART_SIGNAL, SIGNAL_NAME, Daemon
from floto.decider._decider import Decider, DynamicDecider
from floto.decider._inflight import IN_FLIGHT_POLICIES
from floto.decider._replay import Difference, ReplayReport, replay_history

__all__ = [
    "CHILD_WORKFLOW_TYPE",
    "IN_FLIGHT_POLICIES",
    "RESTART_SIGNAL",
    "SIGNAL_NAME",
    "Daemon",
    "Decider",
    "Difference",
    "DynamicDecider",
    "ReplayReport",
    "replay_history",
]
