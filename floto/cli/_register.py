"""``floto register``: the domain, and the activity and workflow types a workflow needs."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from floto.cli import _common
from floto.cli._control import seconds, workflow_type

DESCRIPTION = """\
Register a domain and the types a workflow needs; types that exist already are left as they
are. TARGET is a spec JSON file, a module (its @floto.activity functions), or
module:attribute naming a DeciderSpec, a floto.dsl.Workflow or tasks (its activities, its
generators, its child workflows' types and, with a module, every activity the module defines).
"""
EXAMPLES = """\
examples:
  floto register flows.py:spec --workflow-type my_flow:1   # flows.py defines spec
  floto register spec.json --domain floto_test --activity-timeout 300
  floto register my_activities --domain floto_test --task-list my_activity_task_list
"""


@dataclass
class Needs:
    """What a workflow needs registered: (name, version) -> default task list."""

    activities: dict[tuple[str, str], str | None] = field(default_factory=dict)
    workflows: dict[tuple[str, str], str | None] = field(default_factory=dict)


def needs_of(tasks: Sequence[Any], domain: str, default_task_list: str | None) -> Needs:
    """The types ``tasks`` (one graph) use: floto.launch's ``needs_of``, the one launches read,
    so child inputs holding ``activity_tasks`` count, as tasks or as dicts."""
    from floto.launch import needs_of as launch_needs
    from floto.specs import DeciderSpec

    needs = Needs()
    if tasks:
        spec = DeciderSpec(
            domain=domain, activity_tasks=list(tasks), default_activity_task_list=default_task_list
        )
        found = launch_needs(spec)
        needs.activities.update(found.activity_type_lists)
        for child in found.children:
            needs.workflows.setdefault((child.name, child.version), child.task_list)
    return needs


def build_parser() -> argparse.ArgumentParser:
    parser = _common.parser("register", DESCRIPTION, EXAMPLES)
    parser.add_argument(
        "targets", metavar="TARGET", nargs="+", help="spec JSON file, module, or module:attribute"
    )
    parser.add_argument(
        "--workflow-type",
        metavar="NAME:VERSION",
        type=workflow_type,
        action="append",
        default=[],
        help="also register this workflow type (the run's own); repeatable",
    )
    parser.add_argument(
        "--task-list",
        metavar="NAME",
        help="default task list of activities that name none (default: the "
        "spec's default_activity_task_list)",
    )
    parser.add_argument(
        "--decider-task-list",
        metavar="NAME",
        help="default decision task list of --workflow-type (default: the spec's task_list)",
    )
    timeouts = parser.add_argument_group("timeouts of new types (seconds, or NONE)")
    timeouts.add_argument(
        "--activity-timeout",
        type=seconds,
        metavar="S",
        help="an activity's start-to-close (default 21600)",
    )
    timeouts.add_argument(
        "--heartbeat-timeout",
        type=seconds,
        metavar="S",
        help="an activity's heartbeat timeout (default: its start-to-close)",
    )
    timeouts.add_argument(
        "--decision-timeout",
        type=seconds,
        metavar="S",
        help="a decision task's start-to-close (default 21600)",
    )
    timeouts.add_argument(
        "--execution-timeout",
        type=seconds,
        metavar="S",
        help="a run's start-to-close (default 86400)",
    )
    parser.add_argument(
        "--retention-days",
        type=int,
        default=7,
        metavar="DAYS",
        help="days SWF keeps closed runs of a new domain (0-90, default 7)",
    )
    _common.add_connection(parser)
    return parser


def register(args: argparse.Namespace) -> int:
    from floto.cli._target import load_target
    from floto.worker import default_registry

    targets = [load_target(name) for name in args.targets]
    spec = next((t.spec for t in targets if t.spec is not None), None)
    domain = _common.domain_of(args, spec.domain if spec is not None else None)
    activity_list = args.task_list or (spec.default_activity_task_list if spec else None)
    imported = any(target.modules for target in targets)
    needs = Needs()
    for target in targets:  # each target's tasks are one graph
        found = needs_of(target.tasks, domain, activity_list)
        for kind in ("activities", "workflows"):
            for key, task_list in getattr(found, kind).items():
                getattr(needs, kind).setdefault(key, task_list)
    for definition in default_registry if imported else ():
        needs.activities.setdefault((definition.name, definition.version), activity_list)
    decider_list = args.decider_task_list or (spec.task_list if spec else None)
    for key in args.workflow_type:
        needs.workflows[key] = decider_list
    if not needs.activities and not needs.workflows:
        raise _common.CommandError(
            "nothing to register: the targets name no activity or workflow type "
            "(give --workflow-type NAME:VERSION, or a module that defines activities)"
        )
    for line in apply(_common.connect(args), domain, needs, args):
        print(line, flush=True)
    return _common.EXIT_OK


def apply(swf: Any, domain: str, needs: Needs, args: argparse.Namespace) -> list[str]:
    """Register ``domain`` and ``needs``; one line per domain or type, saying what was done."""
    from floto.api import ActivityType, WorkflowType

    def said(done: bool) -> str:
        return "registered" if done else "already registered"

    new_domain = swf.domains.register_domain(domain, retention_period=args.retention_days)
    lines = [f"domain {domain}: {said(new_domain)}"]
    for (name, version), task_list in sorted(needs.activities.items()):
        done = swf.register_activity_type(
            ActivityType(
                domain=domain,
                name=name,
                version=version,
                default_task_list=task_list or "default",
                default_task_start_to_close_timeout=args.activity_timeout,
                default_task_heartbeat_timeout=args.heartbeat_timeout,
            )
        )
        lines.append(f"activity type {name} {version}: {said(done)}")
    for (name, version), task_list in sorted(needs.workflows.items()):
        done = swf.register_workflow_type(
            WorkflowType(
                domain=domain,
                name=name,
                version=version,
                default_task_list=task_list or "default",
                default_task_start_to_close_timeout=args.decision_timeout,
                default_execution_start_to_close_timeout=args.execution_timeout,
            )
        )
        lines.append(f"workflow type {name} {version}: {said(done)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``floto register TARGET...``."""
    return _common.run("register", build_parser, register, argv)
