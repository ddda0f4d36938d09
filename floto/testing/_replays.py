"""``assert_replays``: a CI check that a changed spec decides saved histories as recorded."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from floto.decider import ReplayReport, replay_history

History = str | os.PathLike[str] | list[dict[str, Any]] | dict[str, Any]


def _histories(histories: History | Iterable[History]) -> list[tuple[str, Any]]:
    """(name, history) pairs: each JSON file of a folder, a file, or events given as such."""
    if isinstance(histories, (str, os.PathLike)):
        path = Path(histories)
        if not path.exists():
            raise AssertionError(f"{path}: no such file or folder of saved histories")
        if path.is_dir():
            files = sorted(path.glob("*.json")) + sorted(path.glob("*.jsonl"))
            if not files:
                raise AssertionError(f"no saved histories (*.json, *.jsonl) in {path}")
            return [(str(file), file.read_text(encoding="utf-8")) for file in files]
        return [(str(path), path.read_text(encoding="utf-8"))]
    if isinstance(histories, dict) or (
        isinstance(histories, list) and histories and isinstance(histories[0], dict)
    ):
        return [("history", histories)]
    found: list[tuple[str, Any]] = []
    for item in histories:
        found += _histories(item)
    return found


def assert_replays(
    histories: History | Iterable[History], decider: Any = None, *, in_flight: str | None = None
) -> list[ReplayReport]:
    """Assert that ``decider`` (a Decider, a DeciderSpec or its JSON, a task list's spec;
    None: a DynamicDecider) decides every saved history as it was decided.

    ``histories``: a folder (its ``*.json`` / ``*.jsonl`` files), a file, events (a list or
    ``{"events": [...]}``), or a list of those. ``in_flight``: the policy replayed.

    Raises:
        AssertionError: naming each history and every decision task that would differ.
    """
    reports, failed = [], []
    for name, history in _histories(histories):
        report = replay_history(history, decider, in_flight=in_flight, workflow_id=name)
        reports.append(report)
        if not report.same:
            failed.append(str(report))
    if failed:
        raise AssertionError(
            f"{len(failed)} of {len(reports)} history(ies) would be decided otherwise:\n"
            + "\n".join(failed)
        )
    return reports
