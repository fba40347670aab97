"""The explorer in a real JupyterLab, driven by headless Chromium.

Starts ``jupyter lab`` from the project's venv on 127.0.0.1 at a free port,
with a token and throw-away settings, workspaces and runtime folders; opens
``notebooks/explore.ipynb``, runs every cell, checks that the widgets and the
chart render, deselects a force and checks that the chart loses its bars, then
clicks a bar and checks that the quote appears right-to-left. Every request the
page makes is recorded: none may leave the machine. The server is shut down
whatever the outcome.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coalition_workbook.data import config, load_dataset
from coalition_workbook.pages.explorer import ExplorerState

pytestmark = pytest.mark.e2e

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
JUPYTER = Path(sys.executable).parent / "jupyter"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "file", "chrome-extension"}
START_TIMEOUT_S = 120     # a cold JupyterLab on a busy 2-core machine
UI_TIMEOUT_MS = 180_000   # first page load, kernel start and run-all together


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on the project; yields (base_url, token)."""
    if not JUPYTER.exists():
        pytest.fail(f"{JUPYTER} missing: run make setup")
    port, token = _free_port(), secrets.token_hex(16)
    dirs = {name: tmp_path / name for name in ("config", "data", "runtime", "settings",
                                               "workspaces")}
    for d in dirs.values():
        d.mkdir()
    # No news, no update check, no announcements: nothing to fetch from outside.
    _write_json(dirs["config"] / "labconfig" / "page_config.json", {
        "disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    _write_json(dirs["settings"] / "@jupyterlab" / "apputils-extension"
                / "notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})
    # Never write the run's outputs back into notebooks/explore.ipynb.
    _write_json(dirs["settings"] / "@jupyterlab" / "docmanager-extension"
                / "plugin.jupyterlab-settings", {"autosave": False})
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update({
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        # User data dir only: the venv's kernelspec and lab extensions stay
        # visible through the sys-prefix path (.venv/share/jupyter).
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "JUPYTER_PLATFORM_DIRS": "0",
    })
    cmd = [str(JUPYTER), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={config.ROOT}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.news_url=", "--LabApp.expose_app_in_browser=True",
           "--ServerApp.shutdown_no_activity_timeout=900",
           "--MappingKernelManager.cull_idle_timeout=0",
           "--LabApp.extension_manager=readonly"]  # no PyPI queries from the server
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=config.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}; see {tmp_path}/lab.log")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab not up after {START_TIMEOUT_S}s; see {tmp_path}/lab.log")
            time.sleep(0.5)  # polling interval, not an assertion about timing
        yield base, token
    finally:
        _stop(proc, base, token)
        log.close()


def _stop(proc: subprocess.Popen, base: str, token: str) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure."""
    if proc.poll() is None:
        try:
            req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=10).close()
        except (urllib.error.URLError, OSError):
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)
                    proc.wait(timeout=15)
                    break
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    continue


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


def test_explorer_runs_renders_and_reacts_in_jupyterlab(lab, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: run make chromium")
    base, token = lab

    # A force whose deselection must remove bars, read from the data.
    state = ExplorerState(load_dataset(), category="training")
    drawn = state.chart_data()
    figures = state.figures().set_index("id")
    force = next(figures.at[i, "force_id"] for i in drawn["id"] if figures.at[i, "force_id"])
    force_ids = list(state.ds.forces["force_id"])  # the widget lists them in this order
    name_en = state.ds.forces.set_index("force_id").at[force, "name_en"]
    keep = [i for i, f in enumerate(force_ids) if f != force]

    outside: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.set_default_timeout(UI_TIMEOUT_MS)

            def guard(route):
                if _is_local(route.request.url):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.on("websocket", lambda ws: None if _is_local(ws.url) else outside.append(ws.url))
            try:
                page.goto(f"{base}/lab/tree/notebooks/explore.ipynb?reset&token={token}",
                          wait_until="domcontentloaded")
                page.wait_for_function(
                    "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                    " && window.jupyterapp.shell.currentWidget.sessionContext")
                # Wait for the kernel, then Run > Run All Cells.
                page.evaluate("""async () => {
                    const nb = window.jupyterapp.shell.currentWidget;
                    await nb.sessionContext.ready;
                    await window.jupyterapp.commands.execute('notebook:run-all-cells');
                }""")
                select = page.locator(".jupyter-widgets.widget-select-multiple select")
                select.wait_for(state="visible")
                bars = page.locator(".vega-embed svg .mark-rect path")
                bars.first.wait_for(state="visible")
                assert page.locator(".jupyter-widgets:has-text('JavaScript Error')").count() == 0
                before = bars.count()
                assert before == len(drawn), "one bar per figure the library says is drawn"
                page.screenshot(path=str(tmp_path / "1-rendered.png"))

                # Deselect one force: the chart must lose that force's bars.
                options = [t.replace("\xa0", " ")
                           for t in select.locator("option").all_inner_texts()]
                assert options[force_ids.index(force)].startswith(name_en)
                select.select_option(index=keep)
                page.wait_for_function(
                    "n => document.querySelectorAll('.vega-embed svg .mark-rect path').length"
                    " < n", arg=before)
                page.screenshot(path=str(tmp_path / "2-force-deselected.png"))
                after = bars.count()
                assert 0 < after < before

                # Click a bar: its verbatim quote appears, right-to-left.
                widths = bars.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
                bars.nth(widths.index(max(widths))).click()  # the widest bar: easy to hit
                quote = page.locator('.explorer-detail blockquote[dir="rtl"][lang="ar"]')
                quote.wait_for(state="visible")
                shown_id = page.locator(".explorer-detail").get_attribute("data-figure-id")
                assert quote.inner_text().strip() == figures.at[shown_id, "quote"]
                page.screenshot(path=str(tmp_path / "3-bar-clicked.png"))
            except Exception:
                page.screenshot(path=str(tmp_path / "failure.png"))
                print(f"screenshots and lab.log in {tmp_path}")
                raise
        finally:
            browser.close()
    assert outside == [], f"requests left the machine: {outside}"
