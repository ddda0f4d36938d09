"""FANOUT-N at real sizes: 1 source -> N no-op activities -> 1 fan-in, N up to 50,000.

Past about 7,000 activities one SWF run would pass its 25,000-event limit; floto's decider
moves the work into shards (child runs it decides itself) and every run must complete. For
each N, on a fresh local engine, with 1 decider process and ``--workers`` worker processes:
wall time (first to last event of the run) and wall time per activity, decider CPU per
activity, shards used, events of the parent run, and the peak RSS of the decider and of the
engine. Ratios compare each N with the smallest one, measured in the same run of this script
(targets: wall time per activity at 20,000 <= 1.2x that at 1,000; decider CPU per activity
flat within 1.3x).

Run: ``.venv/bin/python bench/bench_scale.py [--sizes 1000,5000,20000,50000] [--workers 4]``
(Linux: reads /proc for the engine's memory and CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_runtime_end_to_end import (
    FORK,
    POLL_WAIT,
    cpu_seconds,
    floto_spec,
    floto_worker,
    process_cpu_seconds,
    quiet,
    register,
    show,
)

from floto.api import Swf
from floto.decider import Decider
from floto.history import state_from_events
from floto.local import LocalEngine


def decider_process(spec_json: str, out: str) -> None:
    quiet()
    decider = Decider(spec_json)
    began = cpu_seconds()
    decider.run()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path(out).write_text(json.dumps({"cpu": cpu_seconds() - began, "peak_kb": peak_kb}))


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of a running process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(activities: int, workers: int) -> dict[str, Any]:
    """One FANOUT run on a fresh engine."""
    with LocalEngine(poll_wait=POLL_WAIT) as engine, tempfile.TemporaryDirectory() as folder:
        engine.configure_environment(credentials="dummy")
        swf, domain = Swf(), "bench-scale"
        register(swf, domain)
        decider = FORK.Process(
            target=decider_process, args=(floto_spec(domain, activities), f"{folder}/decider")
        )
        pool = [
            FORK.Process(target=floto_worker, args=(domain, f"{folder}/worker{n}"))
            for n in range(workers)
        ]
        for process in (decider, *pool):
            process.start()
        time.sleep(1.0)
        assert engine.process is not None
        engine_began = process_cpu_seconds(engine.process.pid)
        run_id = swf.start_workflow_execution(
            domain=domain, workflow_type_name="wf", workflow_type_version="1",
            workflow_id="fan", task_list="deciders",
        )["runId"]  # fmt: skip
        decider.join(3_600)
        engine_cpu = process_cpu_seconds(engine.process.pid) - engine_began
        engine_peak = peak_rss_mb(engine.process.pid)
        for process in pool:
            os.kill(process.pid, signal.SIGTERM)
        for process in pool:
            process.join(POLL_WAIT + 30)
        history = swf.get_workflow_execution_history(domain, workflow_id="fan", run_id=run_id)
        report = json.loads(Path(folder, "decider").read_text())
    state = state_from_events(history)
    if history[-1]["eventType"] != "WorkflowExecutionCompleted":
        raise SystemExit(f"FANOUT-{activities} did not complete: {history[-1]['eventType']}")
    wall = (history[-1]["eventTimestamp"] - history[0]["eventTimestamp"]).total_seconds()
    return {
        "wall time (s)": wall,
        "wall time per activity (ms)": 1000 * wall / activities,
        "decider CPU (s)": report["cpu"],
        "decider CPU per activity (ms)": 1000 * report["cpu"] / activities,
        "engine CPU (s)": engine_cpu,
        "tasks completed": state.progress().completed,
        "shards": sum(1 for ts in state.tasks.values() if ts.is_internal),
        "events in the parent run": len(history),
        "decider peak RSS (MB)": report["peak_kb"] / 1024,
        "engine peak RSS (MB)": engine_peak,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,20000,50000", help="fan-out widths")
    parser.add_argument("--workers", type=int, default=4, help="worker processes")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"FANOUT-N: 1 -> N no-op activities -> 1; 1 decider, {args.workers} workers, a fresh "
          f"local engine each; {os.cpu_count()} cores", flush=True)  # fmt: skip
    results = {}
    for size in sizes:
        results[size] = measure(size, args.workers)
        print(f"  N={size:,}: {results[size]['wall time (s)']:.1f} s", flush=True)
    base = results[sizes[0]]
    print(f"{'':34}" + "".join(f"{f'N={size:,}':>14}" for size in sizes))
    for key in base:
        print(f"{key:34}" + "".join(f"{show(results[size][key]):>14}" for size in sizes))
    print(f"ratios to N={sizes[0]:,}:")
    for key in ("wall time per activity (ms)", "decider CPU per activity (ms)"):
        ratios = [results[size][key] / base[key] for size in sizes]
        label = "  " + key.replace(" (ms)", "")
        print(f"{label:34}" + "".join(f"{f'{ratio:.2f}x':>14}" for ratio in ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
