"""One process of the reliability suite: ``python reliability_roles.py ROLE ...``.

* ``worker DOMAIN TASK_LIST``: an ActivityWorker for the workload's registry;
* ``decider SPEC_FILE``: a Decider for the spec in the file.

Each is a fresh interpreter (what a user runs), reaching the engine through
``AWS_ENDPOINT_URL_SWF``, and is killed with SIGKILL by the test when it sees fit.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from reliability_workload import REGISTRY

from floto.decider import Decider
from floto.worker import ActivityWorker


def main(argv: list[str]) -> int:
    logging.basicConfig(
        level=logging.WARNING, format=f"{argv[0]} %(process)d %(name)s: %(message)s"
    )
    role = argv[0]
    if role == "worker":
        domain, task_list = argv[1:3]
        worker = ActivityWorker(domain, task_list, heartbeat_in_seconds=0, registry=REGISTRY)
        worker.backoff_cap_seconds = 2.0  # back quickly once the engine answers again
        worker.run()
    elif role == "decider":
        decider = Decider(Path(argv[1]).read_text(encoding="utf-8"))
        decider.backoff.cap = 2.0
        decider.run()
    else:
        raise SystemExit(f"unknown role {role!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
