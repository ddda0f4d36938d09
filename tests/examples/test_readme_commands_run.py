"""README.md's commands work as written in a fresh shell: no activated virtual environment,
no AWS variables. The "Run it" blocks run in one bash, with `.venv/bin/` read as the directory
of the Python running the tests and port 4588 as a free one (another engine may hold 4588);
the install line (`make graphviz && pip install ...`) is left out: `make test` has done it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def bash_blocks(title: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", section(title), re.S)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
def test_the_run_it_block_works_in_a_fresh_shell(tmp_path):
    bin_dir = str(Path(sys.executable).parent)
    port = free_port()
    script = "".join(bash_blocks("Run it, and look at it"))
    assert ".venv/bin/floto local --port 4588 &" in script and "kill %1" in script
    install = "make graphviz && .venv/bin/pip install --quiet -e '.[viz]'\n"
    assert install in script
    script = script.replace(install, "")
    script = script.replace(".venv/bin/", f"{bin_dir}/").replace("4588", str(port))
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}
    if os.environ.get("PYTHONPATH"):  # a development checkout run without installing
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert 'workflow completed: {"simple_activity:v1:2be88ca424": "Hello World!"}' in out
    assert "status    completed" in out and "simple_activity:v1:2be88ca424" in out
    assert "my_workflow_type_v1" in out
    assert (tmp_path / "hello.svg").read_text().startswith("<?xml")
    assert "<svg" in (tmp_path / "hello-timeline.svg").read_text()
    # the output of the example is the one the README shows
    shown = re.search(r"examples/hello_world.py +# (.*)$", script, re.M).group(1)
    assert shown in out


def test_make_demo_installs_the_local_extra_only_and_runs_the_example():
    # under `make test` (as CI runs it) the parent make's variables would make
    # this make print "Entering directory" lines: run it as a user's shell would
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    installs = [line for line in done.stdout.splitlines() if "pip install" in line]
    assert any("-e '.[local]'" in line for line in installs), done.stdout
    assert not any("all]" in line or "notebook" in line for line in installs), done.stdout
    assert done.stdout.strip().endswith(".venv/bin/python examples/hello_world.py")
    (quickstart,) = bash_blocks("Quickstart")
    assert quickstart.startswith("make demo") and "make test" in quickstart


def test_the_floto_run_line_of_the_examples_section_prints_its_result(local_engine, tmp_path):
    (block,) = bash_blocks("Examples")
    command, shown = (part.strip() for part in block.split("#", 1))
    assert command.startswith(".venv/bin/floto run examples/")
    command = command.replace(".venv/bin/", f"{Path(sys.executable).parent}/")
    done = subprocess.run(
        ["bash", "-e", "-c", command],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert shown in done.stdout
