"""README.md's notebook snippet runs as written, in a real kernel (nbclient)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_notebook_snippet_runs_and_its_run_completes(local_engine, tmp_path):
    section = README.read_text(encoding="utf-8").split("## Notebooks", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    checks = (
        "assert run.wait() == {'hello:1:' + run.state.order[0].split(':')[-1]: 'hello world'}\n"
        "again = run.rerun()\n"
        "assert again.wait() == run.result\n"
        "assert again.state.progress().reused == 1\n"
        "lab.close()\n"
    )
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(snippet), nbformat.v4.new_code_cell(checks)]
    )
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})  # fmt: skip
    client.execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
