"""Every notebook of notebooks/ in JupyterLab, in Debian's chromium (headless, driven by
Playwright through executable_path; no browser is downloaded): run all cells, wait for the
notebook's own checks, check the page and save a screenshot to out/notebook-browser/. The
300-task notebook is also clicked through (failures picked first, the status filter, the
search, a graph node, a group), its widget's height measured, and it is saved and opened
again without a kernel (the static snapshot must show).

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
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REAL_SIZE = "05_a_run_at_real_size.ipynb"
OUT = ROOT / "out" / "notebook-browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
VIEWPORT = {"width": 1280, "height": 1000}
MAX_WIDGET_HEIGHT = 1000
"""A run's widget stays within one screen (the viewport's height) whatever the run's size."""
COMPLETED_FILL = "#a3cfbb"
TIMEOUT_MS = 60_000
READY_JS = """async () => {
    await jupyterapp.restored;
    const panel = jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
}"""
FINISHED_JS = """() => {
    const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
    return outputs.some(node => node.innerText.includes('checked:'))
        || [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type$="stderr"]')]
            .some(node => node.innerText.includes('Traceback'));
}"""
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _versions() -> str:
    from playwright._repo_version import version

    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    return f"chromium: {chromium.stdout.strip()}; playwright {version}"


@pytest.fixture(scope="module")
def jupyter_lab(local_engine, tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 with throwaway state, serving copies of the notebooks."""
    tmp_path = tmp_path_factory.mktemp("jupyterlab")
    root, state = tmp_path / "notebooks", tmp_path / "state"
    root.mkdir()
    for notebook in NOTEBOOKS:  # JupyterLab may autosave: never the originals
        shutil.copy(notebook, root / notebook.name)
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
        yield url, token, root
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


@contextlib.contextmanager
def _browser(problems: list[str]):
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make chromium`"
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'floto[test]'")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "versions.txt").write_text(_versions() + "\n")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
                else None)  # fmt: skip
        try:
            yield page
        finally:
            browser.close()


def _run_all(page, url: str, token: str, name: str) -> None:
    page.goto(f"{url}/lab/tree/{name}?reset&token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.evaluate(READY_JS)  # without this, run-all may fire before the kernel session
    page.evaluate("() => { jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(FINISHED_JS, timeout=240_000)
    page.wait_for_timeout(500)  # the last widget messages


def _check_page(page, name: str) -> None:
    text = page.inner_text(".jp-NotebookPanel")
    for bad in ("Error displaying widget", "Loading widget"):
        assert bad not in text, (name, bad)
    stderr = page.locator('.jp-OutputArea-output[data-mime-type$="stderr"]')
    for index in range(stderr.count()):  # a cell's error (a log line of its own is fine)
        assert "Traceback" not in stderr.nth(index).inner_text(), name
    assert "checked:" in text, name
    for index in range(page.locator(".floto-run-view").count()):
        box = page.locator(".floto-run-view").nth(index).bounding_box()
        assert box is None or box["height"] <= MAX_WIDGET_HEIGHT, (name, index, box)


def _shot(page, name: str) -> None:
    page.screenshot(path=str(OUT / f"{Path(name).stem}.png"), full_page=True)


def _widget_shot(page, name: str) -> None:
    """A picture of the notebook's first run widget (the page only shows the end)."""
    widget = page.locator(".floto-run-view").first
    if widget.count():
        widget.scroll_into_view_if_needed()
        widget.screenshot(path=str(OUT / f"{Path(name).stem}_widget.png"))


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS if p.name != REAL_SIZE])
def test_every_notebook_runs_in_jupyterlab_in_chromium(jupyter_lab, name):
    url, token, _ = jupyter_lab
    problems: list[str] = []
    with _browser(problems) as page:
        try:
            _run_all(page, url, token, name)
            _check_page(page, name)
            _widget_shot(page, name)
            if name.startswith("01"):
                bar = page.locator(".floto-run-view .widget-hprogress .progress-bar").first
                assert bar.evaluate("node => node.style.width") == "100%"
                assert "4/4 done" in page.inner_text(".floto-run-view .floto-counts")
                # The graph cell drew the workflow inline, before the run (graphviz's SVG).
                assert page.locator(".jp-OutputArea-output svg .node").count() >= 4
        finally:
            _shot(page, name)
    assert problems == [], problems


def _height(page) -> float:
    box = page.locator(".floto-run-view").first.bounding_box()
    assert box is not None
    return box["height"]


def _rows(page, status: str | None = None) -> int:
    rows = page.locator(".floto-run-view .floto-tasks tr[data-task-id]")
    if status is not None:
        rows = page.locator(f'.floto-run-view .floto-tasks tr[data-status="{status}"]')
    return rows.count()


def test_a_300_task_run_with_failures_is_clicked_through_and_saved(jupyter_lab):
    url, token, root = jupyter_lab
    problems: list[str] = []
    heights = []
    with _browser(problems) as page:
        view = ".floto-run-view"
        try:
            _run_all(page, url, token, REAL_SIZE)
            _check_page(page, REAL_SIZE)
            _widget_shot(page, REAL_SIZE)
            page.locator(view).first.scroll_into_view_if_needed()
            heights.append(_height(page))
            # Failures first: the Tasks tab on show, filtered to the 5 failures, one picked.
            current = page.locator(f"{view} .lm-TabBar-tab.lm-mod-current").first
            assert current.inner_text().strip() == "Tasks"
            assert _rows(page) == 5 == _rows(page, "failed")
            detail = page.locator(f"{view} .floto-task-detail").first
            assert "ingest_file[file=13]" in detail.inner_text()
            assert "row 7 has no id" in detail.inner_text()
            assert "reading file 13 from raw" in detail.inner_text()  # its output
            _shot(page, "05_failures_first")
            # The status filter: a click on the "completed" chip.
            page.locator(f'{view} .floto-chip[data-status="completed"]').first.click()
            page.wait_for_function(f"""() => document.querySelectorAll(
                '{view} .floto-tasks tr[data-status="completed"]').length === 50""")
            assert _rows(page) == 50 and "page 1 of 6" in page.inner_text(f"{view} .floto-pager")
            heights.append(_height(page))
            # The search, over every status.
            page.locator(f'{view} .floto-chip[data-status="all"]').first.click()
            page.locator(f"{view} .floto-search input").first.fill("file=150")
            page.wait_for_function(f"""() => document.querySelectorAll(
                '{view} .floto-tasks tr[data-task-id]').length === 1""")
            assert _rows(page, "failed") == 1
            page.locator(f"{view} .floto-search input").first.fill("")
            # A click on a graph node picks its task; on the group node, opens its members.
            page.locator(f"{view} .lm-TabBar-tab", has_text="Graph").first.click()
            page.locator(f"{view} svg g.node", has_text="summarize").first.click()
            page.wait_for_function(f"""() => document.querySelector(
                '{view} .floto-task-detail b').innerText === 'summarize'""")
            _shot(page, "05_node_picked")
            page.locator(f"{view} svg g.node", has_text="\u00d7300").first.click()
            page.wait_for_function(f"""() => document.querySelectorAll(
                '{view} .floto-grid .floto-cell').length === 300""")
            heights.append(_height(page))
            _shot(page, "05_group_opened")
            # A click on a cell of the status grid picks that task.
            page.locator(f'{view} .floto-grid .floto-cell[title$="failed"]').first.click()
            page.wait_for_function(f"""() => document.querySelector(
                '{view} .floto-task-detail b').innerText.startsWith('ingest_file[file=')""")
            # Saved, then opened again without its kernel: the static snapshot shows.
            page.evaluate("() => jupyterapp.commands.execute('docmanager:save')")
            page.wait_for_timeout(1500)
            page.evaluate("() => jupyterapp.shell.currentWidget.sessionContext.shutdown()")
            page.wait_for_timeout(1000)
            saved = json.loads((root / REAL_SIZE).read_text())
            assert "widgets" not in saved["metadata"]  # JupyterLab saves no widget state
            page.goto(f"{url}/lab/tree/{REAL_SIZE}?reset&token={token}")
            page.wait_for_selector(".floto-static .floto-report svg", state="visible")
            static = page.locator(".floto-static").first
            assert "5 failed task(s)" in static.inner_text()
            assert "ingest_file[file=13]" in static.inner_text()
            assert not page.get_by_text("Error displaying widget").first.is_visible()
            static.scroll_into_view_if_needed()
            _shot(page, "05_saved_without_kernel")
            static.screenshot(path=str(OUT / "05_saved_snapshot.png"))
        finally:
            _shot(page, REAL_SIZE)
    assert all(height <= MAX_WIDGET_HEIGHT for height in heights), heights
    problems = [p for p in problems if "model not found" not in p.lower()]
    assert problems == [], problems
