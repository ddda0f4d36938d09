"""The Python example in README.md runs as written."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_python_example_runs_and_prints_the_spec():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "README.md has no python example"
    result = subprocess.run(
        [sys.executable, "-c", blocks[0]], capture_output=True, text=True, check=True
    )
    assert '"type": "floto.specs.DeciderSpec"' in result.stdout
    assert "ActivityC:v1:" in result.stdout
