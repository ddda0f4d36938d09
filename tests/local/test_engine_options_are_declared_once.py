"""floto.local.EngineOptions: what LocalEngine starts its process with is what `floto local`
parses back, option for option."""

from __future__ import annotations

import argparse

from floto.local import EngineOptions, LocalEngine
from floto.local._cli import add_arguments
from floto.local._quotas import Rate


def _parsed(args: list[str]) -> EngineOptions:
    return EngineOptions.from_namespace(add_arguments(argparse.ArgumentParser()).parse_args(args))


def test_every_option_survives_the_command_line():
    options = EngineOptions(
        host="127.0.0.2", port=0, poll_wait=2.5, region="eu-west-1", retain_closed=7,
        retain_seconds=30.0, time_skipping=True, skip_grace=0.2, skip_pickup=0.3,
        skip_quiet=0.4, data_dir="/tmp/floto-data", fault_rate=0.25, fault_kinds=("slow",),
        fault_seed=3, rate_quotas=False, rate_scale=0.5,
        rate_limits=(("task-list:ScheduleActivityTask", Rate(20.0, 5.0)),),
        max_history_events=50, max_open_children=4, max_open_activities=5, max_open_timers=6,
    )  # fmt: skip
    assert _parsed(options.to_args()) == options
    assert _parsed(EngineOptions().to_args()) == EngineOptions()


def test_local_engine_keywords_build_its_options():
    engine = LocalEngine(
        poll_wait=3, time_skipping=True, rate_limits={"task-list:ScheduleActivityTask": (2, 1)}
    )
    assert engine.options == EngineOptions(
        poll_wait=3, time_skipping=True,
        rate_limits=(("task-list:ScheduleActivityTask", Rate(2.0, 1.0)),),
    )  # fmt: skip
    command = engine.command("port-file")
    assert _parsed(command[3 : command.index("--port-file")]) == engine.options
    assert engine.poll_wait == 3 and engine.time_skipping
    assert LocalEngine.from_options(engine.options).options is engine.options
