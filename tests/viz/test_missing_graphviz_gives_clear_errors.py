"""Without Graphviz's `dot`, or without the python graphviz package, floto still imports, the
DOT text is still there, and rendering raises one floto error saying how to install it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from viz_states import seed_tasks

import floto.viz
from floto.errors import FlotoError


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """PATH holds no `dot`: graphviz's executable lookup fails as on a machine without it."""
    monkeypatch.setenv("PATH", str(tmp_path))


def assert_install_hint(error: BaseException) -> None:
    message = str(error)
    assert "`dot` program was not found" in message
    for hint in ("apt-get install graphviz", "brew install graphviz", "https://graphviz.org"):
        assert hint in message
    assert ".source" in message


@pytest.mark.parametrize(
    "render",
    [
        lambda drawing, tmp: drawing.pipe(format="svg"),
        lambda drawing, tmp: drawing.render(tmp / "flow", format="png"),
        lambda drawing, tmp: drawing._repr_mimebundle_(),
        lambda drawing, tmp: drawing._repr_image_svg_xml(),
    ],
    ids=["pipe", "render", "jupyter", "svg-repr"],
)
def test_rendering_without_dot_raises_one_floto_error(no_dot, tmp_path, render):
    drawing = floto.viz.draw(seed_tasks())
    with pytest.raises(floto.viz.GraphvizNotFoundError) as caught:
        render(drawing, tmp_path)
    assert isinstance(caught.value, FlotoError)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert_install_hint(caught.value)
    assert "ActivityA" in drawing.source  # the DOT text needs no dot


def test_the_command_line_says_how_to_install_dot_without_a_traceback(tmp_path):
    spec = tmp_path / "spec.json"
    from floto.specs import DeciderSpec

    spec.write_text(DeciderSpec(domain="d", activity_tasks=seed_tasks()).to_json())
    done = subprocess.run(
        [sys.executable, "-m", "floto.viz", str(spec), "-o", str(tmp_path / "out.svg")],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "apt-get install graphviz" in done.stderr and "-o file.dot" in done.stderr
    assert not (tmp_path / "out.svg").exists()


def test_floto_imports_without_the_graphviz_package_and_drawing_names_the_extra():
    script = textwrap.dedent(
        """
        import sys
        sys.modules["graphviz"] = None  # as if it were not installed
        import floto, floto.viz
        from viz_states import execution
        print(type(floto.viz.timeline(execution())).__name__)
        try:
            floto.viz.draw([])
        except ImportError as error:
            print(type(error).__name__, isinstance(error, floto.errors.FlotoError))
            print(error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(Path(__file__).parent),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Timeline"
    assert lines[1] == "VizDependencyError True"
    assert "pip install 'floto[viz]'" in lines[2]


def test_importing_floto_viz_does_not_import_graphviz():
    script = "import sys, floto, floto.viz; print('graphviz' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "False", done.stderr
