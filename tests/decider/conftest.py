"""Planner tests reuse the hand-made histories of tests/history."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "history"))
