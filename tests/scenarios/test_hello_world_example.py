"""examples/hello_world.py (what `make demo` runs) completes and prints its result."""

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "hello_world.py"


def test_the_getting_started_example_prints_its_result_and_exits_zero(local_engine):
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], env=dict(os.environ), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Hello World!" in done.stdout
    assert 'workflow completed: {"simple_activity:v1:2be88ca424":"Hello World!"}' in done.stdout
