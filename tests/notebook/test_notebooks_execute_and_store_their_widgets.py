"""Every notebook in notebooks/ runs top to bottom under nbclient (its own closing cells assert
what it showed), and the widget state saved in the executed notebook is the final one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
COMPLETED_FILL = "#a3cfbb"
FAILED_FILL = "#f1aeb5"
FAILED_GRAPHS = {"05_a_run_at_real_size.ipynb"}  # its one group node holds the failures
# (value, max, bar_style) of every progress bar each notebook leaves, in creation order.
EXPECTED_BARS = {
    "01_getting_started.ipynb": [(4, 4, "success")],
    "02_generators_and_children.ipynb": [(202, 202, "success"), (2, 2, "success")],
    "03_failures_and_rerun.ipynb": [(3, 5, "danger"), (5, 5, "success"), (1, 5, "info")],
    "04_virtual_time.ipynb": [(3, 3, "info")],  # continued as new: done, and going on
    "05_a_run_at_real_size.ipynb": [(295, 301, "danger")],  # 5 failed, their dependent blocked
}


def test_every_notebook_is_covered_and_committed_without_outputs():
    names = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
    assert names == sorted(EXPECTED_BARS)
    for name in names:
        notebook = json.loads((NOTEBOOKS / name).read_text())
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, name
        assert "widgets" not in notebook["metadata"], name


async def _execute(path: Path) -> object:
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=240, kernel_name="python3", store_widget_state=True,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )  # fmt: skip
    await client.async_execute()
    return notebook


@pytest.fixture(scope="module")
def executed(local_engine):
    """Every notebook, executed at once (each kernel attaches to the session's engine)."""

    async def run_all():
        paths = [NOTEBOOKS / name for name in EXPECTED_BARS]
        return dict(zip(EXPECTED_BARS, await asyncio.gather(*map(_execute, paths)), strict=True))

    return asyncio.run(run_all())


def _models(notebook, name):
    state = notebook.metadata["widgets"][WIDGET_STATE]["state"]
    return [model["state"] for model in state.values() if model["model_name"] == name]


@pytest.mark.parametrize("name", sorted(EXPECTED_BARS))
def test_a_notebook_runs_and_saves_its_final_widget_state(executed, name):
    notebook = executed[name]
    models = _models(notebook, "IntProgressModel")
    bars = [(m["value"], m["max"], m.get("bar_style", "")) for m in models]
    assert bars == EXPECTED_BARS[name]
    html = [model.get("value", "") for model in _models(notebook, "HTMLModel")]
    fill = FAILED_FILL if name in FAILED_GRAPHS else COMPLETED_FILL
    assert any(f'fill="{fill}"' in value for value in html)  # a green (or red) graph
    assert not any("floto-widget-error" in value for value in html)
    outputs = [out for cell in notebook.cells for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out.output_type == "error"]
    assert not [out for out in outputs if out.get("name") == "stderr"]
    checked = [out for out in outputs if "checked:" in out.get("text", "")]
    assert len(checked) == 1  # the closing cell ran its assertions
