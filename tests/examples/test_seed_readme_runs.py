"""docs/seed-readme.md: the seed README's snippets, corrected, run top to bottom as one script
against the local engine, and print what the page says they print."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "seed-readme.md"


def test_every_snippet_of_the_page_runs_as_one_script(local_engine, tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 15
    script = tmp_path / "seed_readme.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(
        r'^COMPLETED \{"ActivityC:v1:\w+": ?\{"c saw": ?\["ActivityA:v1:2be88ca424", ?'
        r'"ActivityB:v1:2be88ca424"\]\}\}$',
        out,
        re.M,
    ), out
    assert 'COMPLETED {"ActivityA:v1:2be88ca424":{"your":"result_activity_a"}}' in out.replace(
        " ", ""
    ).replace("COMPLETED", "COMPLETED ")
    assert "child COMPLETED" in out
    assert '"id_": "ActivityA:v1:2be88ca424"' in out and '"domain": "floto_test"' in out
    assert "10 ['copyFile', 'fileLength']" in out
    assert out.rstrip().endswith("seed README: all snippets ran")
