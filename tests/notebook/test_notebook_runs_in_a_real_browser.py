"""notebooks/01_getting_started.ipynb in JupyterLab, in Debian's chromium (headless, driven by
Playwright through executable_path; no browser is downloaded): run all cells, wait for the
completed run in the page, check the DOM and save a screenshot to out/notebook-browser/.

`make test` installs chromium (and playwright comes with the test extra); this test fails,
never skips, when either is missing. The recipe and its pitfalls:
shared/reference/notebook-browser-test.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01_getting_started.ipynb"
OUT = ROOT / "out" / "notebook-browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
COMPLETED_FILL = "#a3cfbb"
TIMEOUT_MS = 60_000
READY_JS = """async () => {
    await jupyterapp.restored;
    const panel = jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
}"""
DONE_JS = """(fill) => {
    const bar = document.querySelector('.floto-run .widget-hprogress .progress-bar');
    const svgFills = document.querySelectorAll(`.floto-run svg [fill="${fill}"]`).length;
    const checked = [...document.querySelectorAll('.jp-OutputArea-output')]
        .some(node => node.innerText.includes('checked:'));
    return bar && bar.style.width === '100%' && bar.classList.contains('progress-bar-success')
        && svgFills >= 4 && checked;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _versions() -> str:
    from playwright._repo_version import version

    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    return f"chromium: {chromium.stdout.strip()}; playwright {version}"


@pytest.fixture
def jupyter_lab(local_engine, tmp_path):
    """A JupyterLab server on 127.0.0.1 with throwaway state, serving a copy of notebook 01."""
    root, state = tmp_path / "notebooks", tmp_path / "state"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)  # JupyterLab may autosave: never the original
    settings = state / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port, token = _free_port(), secrets.token_hex(16)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(state / "config"),
               JUPYTER_RUNTIME_DIR=str(state / "runtime"), IPYTHONDIR=str(state / "ipython"),
               PYTHONPATH=path)  # fmt: skip
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={state / 'user-settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
        # Server extensions the page does not need (JupyterLab's own front end asks for the
        # language servers' status, so jupyter_lsp stays).
        "--ServerApp.jpserver_extensions={'jupyter_server_terminals': False, 'notebook': False}",
    ]  # fmt: skip
    log = open(tmp_path / "jupyter.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(url, token, server, tmp_path / "jupyter.log")
        yield url, token
    finally:
        _stop_group(server)
        log.close()


def _stop_group(server: subprocess.Popen) -> None:
    """Stop the server and its kernel: SIGTERM to the session the server leads, then SIGKILL
    (their state is thrown away: no need to wait for a graceful shutdown)."""
    for sig, wait in ((signal.SIGTERM, 1), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_for_server(url: str, token: str, server: subprocess.Popen, log: Path) -> None:
    headers = {"Authorization": f"token {token}"}
    request = urllib.request.Request(f"{url}/api/status", headers=headers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("JupyterLab did not start:\n" + log.read_text(errors="replace")[-3000:])


def test_getting_started_runs_in_jupyterlab_in_chromium(jupyter_lab):
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make chromium`"
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'floto[test]'")
    url, token = jupyter_lab
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "versions.txt").write_text(_versions() + "\n")
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
                else None)  # fmt: skip
        try:
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?reset&token={token}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
            page.evaluate(READY_JS)  # without this, run-all may fire before the kernel session
            page.evaluate("() => { jupyterapp.commands.execute('notebook:run-all-cells'); }")
            page.wait_for_function(DONE_JS, arg=COMPLETED_FILL, timeout=120_000)
            _check_page(page)
        finally:
            page.screenshot(path=str(OUT / "01_getting_started.png"), full_page=True)
            browser.close()
    assert problems == [], problems


def _check_page(page) -> None:
    text = page.inner_text(".jp-NotebookPanel")
    for bad in ("Error displaying widget", "Loading widget", "Traceback"):
        assert bad not in text, bad
    bar = page.locator(".floto-run .widget-hprogress .progress-bar")
    assert bar.evaluate("node => node.style.width") == "100%"
    assert "progress-bar-success" in (bar.get_attribute("class") or "")
    assert page.locator(".floto-run [data-floto-status=completed]").count() == 1
    assert "4/4 done" in page.inner_text(".floto-run .floto-counts")
    # The graph cell drew the workflow inline, before the run (graphviz's SVG output).
    assert page.locator(".jp-OutputArea-output svg .node").count() >= 4
