"""``python -m floto.decider._child``: the Daemon's child decider process.

Reads a DeciderSpec's JSON on stdin and decides its task list until the child workflow has
closed (its latest run, so a repeating child is followed), or until the daemon that started
it is gone.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from floto.api import Swf, SwfError
from floto.decider._decider import Decider

log = logging.getLogger("floto.decider")


def _child_open(swf: Swf, domain: str, workflow_id: str) -> bool:
    try:
        info = swf.describe_workflow_execution(domain, workflow_id)["executionInfo"]
    except SwfError as error:
        log.warning("child decider: could not describe %s: %s", workflow_id, error)
        return True
    return info.get("executionStatus") != "CLOSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m floto.decider._child")
    parser.add_argument("--domain", required=True)
    parser.add_argument("--workflow-id", required=True)
    parser.add_argument("--endpoint-url")
    parser.add_argument("--parent-pid", type=int)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    swf = Swf(endpoint_url=args.endpoint_url)
    decider = Decider(sys.stdin.read(), swf=swf)

    def done() -> bool:
        orphaned = args.parent_pid is not None and os.getppid() != args.parent_pid
        return orphaned or not _child_open(swf, args.domain, args.workflow_id)

    decider.run(until=done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
