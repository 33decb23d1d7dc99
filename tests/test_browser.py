"""Real-browser tests: the Voilà dashboard and a notebook run in JupyterLab, driven by Debian's
Chromium through Playwright. Servers listen on 127.0.0.1 only; the browser cannot resolve any
other host. Skips when /usr/bin/chromium (or the playwright package) is missing.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import _no_network
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
START_TIMEOUT = 90  # seconds for a server to answer
RUN_TIMEOUT = 120_000  # ms for a dashboard or a notebook to finish
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front


def test_browser_present_when_required():
    """In CI (.ci/run sets SOSLOKAL_REQUIRE_BROWSER=1) a missing Chromium is a failure, not a skip."""
    if os.environ.get("SOSLOKAL_REQUIRE_BROWSER") == "1":
        assert CHROMIUM.exists(), "CI must install Debian's chromium before the tests"


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists() and os.environ.get("SOSLOKAL_REQUIRE_BROWSER") != "1",
                       reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install "
                              "chromium); browser downloads are not used"),
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def jupyter_env(home: Path) -> dict[str, str]:
    """An environment whose Jupyter state (runtime, settings, workspaces) lives in ``home``."""
    settings = home / "lab-settings"
    for plugin, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                        "checkForUpdates": False},
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    config = home / "cfg"
    config.mkdir(parents=True, exist_ok=True)
    (config / "jupyter_lab_config.json").write_text(json.dumps(
        {"LabApp": {"news_url": None, "extension_manager": "readonly"}}), encoding="utf-8")
    _no_network.write_kernel_startup(home / "ipython")  # the kernels reach only 127.0.0.1
    env = {**os.environ,
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_CONFIG_DIR": str(config),
           "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "IPYTHONDIR": str(home / "ipython"), "PYTHONUNBUFFERED": "1"}
    env.pop("JUPYTER_TOKEN", None)
    return env


class Server:
    """A Jupyter/Voilà server process in its own process group, with its log."""

    def __init__(self, cmd: list[str], url: str, probe: str, env: dict[str, str],
                 log: Path, cwd: Path) -> None:
        self.url, self.log = url, log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"{cmd[0]} exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                urllib.request.urlopen(probe, timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # it answers (a 404 for the probe path is fine)
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"{cmd[0]} did not answer in {START_TIMEOUT} s:\n{self.tail()}")
                time.sleep(0.5)

    def tail(self, lines: int = 40) -> str:
        if not self._out.closed:
            self._out.flush()
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the server's process group (the server and its kernels), then SIGKILL."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        if not self._out.closed:
            self._out.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect.set_options(timeout=60_000)  # redraws are slow on a busy machine
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("voila")
    port = free_port()
    cmd = [str(BIN / "voila"), str(ROOT / "dashboard" / "utforsker.ipynb"), "--no-browser",
           f"--port={port}", "--Voila.ip=127.0.0.1", "--VoilaConfiguration.show_tracebacks=True"]
    server = Server(cmd, f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/voila/ready",
                    jupyter_env(home), home / "voila.log", ROOT)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    home = tmp_path_factory.mktemp("lab")
    notebooks = home / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.html"))
    shutil.copy(ROOT / "dashboard" / "utforsker.ipynb", notebooks / "utforsker.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    cmd = [str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}",
           f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1", "--allow-root",
           f"--notebook-dir={notebooks}", "--ServerApp.port_retries=0"]
    server = Server(cmd, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/api/status"
                    f"?token={token}", jupyter_env(home), home / "lab.log", notebooks)
    yield server, token
    server.stop()


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:,\d+)?", text)


def test_voila_dashboard_follows_the_selection(browser, voila: Server) -> None:
    from playwright.sync_api import expect

    started = time.monotonic()
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.set_default_timeout(RUN_TIMEOUT)
    page.goto(voila.url, wait_until="domcontentloaded")
    compass = page.locator(".soslokal-compass img")
    table = page.locator(".soslokal-table table")
    try:
        expect(compass).to_have_attribute("alt", "Stedskompasset: Havna", timeout=RUN_TIMEOUT)
    except AssertionError:
        pytest.fail(f"dashboard did not render:\n{page.inner_text('body')[-2000:]}\n"
                    f"{voila.tail()}")
    assert "Syntetiske data" in page.inner_text(".soslokal-explorer")
    expect(page.locator(".soslokal-map img")).to_have_attribute(
        "alt", re.compile("^Trygghet: median per nabolag"))
    src_before = compass.get_attribute("src")
    assert src_before.startswith("data:image/png;base64,")
    text_before = table.inner_text()
    assert "Havna: antall svar" in text_before

    page.locator(".soslokal-area select").select_option(label="Sentrum")
    expect(compass).to_have_attribute("alt", "Stedskompasset: Sentrum")
    expect(table).to_contain_text("Sentrum: antall svar")
    text_after = table.inner_text()
    assert "Havna" not in text_after
    assert compass.get_attribute("src") != src_before
    assert numbers(text_after) != numbers(text_before)

    page.locator(".soslokal-group button", has_text="Alder").click()
    expect(compass).to_have_attribute("alt", "Stedskompasset etter aldersgruppe: Sentrum")
    expect(table).to_contain_text("Alle i Sentrum")
    for band in ("15–29", "30–44", "45–64", "65+"):
        expect(table).to_contain_text(band)

    before_weighting = table.inner_text()
    page.locator(".soslokal-weighted input[type=checkbox]").check()
    expect(page.locator(".soslokal-map img")).to_have_attribute("alt", re.compile(r"\(vektet\)"))
    # the table is redrawn right after the map: wait for it rather than race it
    expect(table).not_to_have_text(before_weighting)
    assert "Traceback" not in page.inner_text("body")
    page.close()
    print(f"voila dashboard: {time.monotonic() - started:.1f} s in the browser")


def open_and_run_all(page, server: Server, token: str, notebook: str) -> None:
    """Open ``notebook`` in JupyterLab, Run All Cells, wait until done (or a cell failed) and
    the kernel is idle."""
    from playwright.sync_api import expect

    page.goto(f"{server.url}/lab/tree/{notebook}?token={token}&reset",
              wait_until="domcontentloaded")
    indicator = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator")
    expect(page.locator(f"{PANEL} .jp-Cell").first).to_be_visible()
    # The indicator says «idle» before a kernel is attached; wait for the kernel's name too.
    expect(page.locator(f"{PANEL} .jp-KernelName")).to_contain_text("Python")
    expect(indicator).to_have_attribute("data-status", "idle")
    prompts = page.locator(f"{PANEL} .jp-CodeCell .jp-InputArea-prompt")
    for attempt in range(3):
        page.locator(f"{PANEL} .jp-Cell").first.click()  # the notebook must have focus
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        try:
            expect(prompts.first).not_to_have_text("[ ]:", timeout=20_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    # Done when every code cell has an execution count, or when a cell failed (Run All stops).
    page.wait_for_function(
        """panel => {
            const failed = document.querySelector(panel + ' .jp-OutputArea-output'
              + '[data-mime-type="application/vnd.jupyter.stderr"]');
            if (failed && failed.textContent.includes('Traceback')) return true;
            const prompts = [...document.querySelectorAll(
              panel + ' .jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p));
        }""", arg=PANEL, timeout=RUN_TIMEOUT, polling=500)
    expect(indicator).to_have_attribute("data-status", "idle")


def error_texts(page) -> list[str]:
    """Texts of error outputs (tracebacks, stderr errors) in the open notebook."""
    errors = page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    found = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
    rendered = page.locator(".jp-OutputArea-output .jp-RenderedText").all_inner_texts()
    return found + [t for t in rendered if "Traceback" in t or re.search(r"\w+Error\b", t)]


def test_notebook_runs_in_jupyterlab(browser, lab: tuple[Server, str]) -> None:
    from playwright.sync_api import expect

    server, token = lab
    started = time.monotonic()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(RUN_TIMEOUT)
    open_and_run_all(page, server, token, "01_stedskompasset.ipynb")
    assert page.locator(f"{PANEL} .jp-CodeCell").count() >= 8
    problems = error_texts(page)
    assert not problems, "\n---\n".join(problems)[:3000]
    images = page.locator(".jp-OutputArea-output img")
    assert images.count() >= 5
    assert page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output img')]
                            .every(img => img.complete && img.naturalWidth > 100)""")
    expect(page.locator(".jp-OutputArea-output table").first).to_contain_text("Trygghet")
    page.close()
    print(f"jupyterlab notebook: {time.monotonic() - started:.1f} s in the browser")


def test_explorer_widget_works_in_jupyterlab(browser, lab: tuple[Server, str]) -> None:
    from playwright.sync_api import expect

    server, token = lab
    started = time.monotonic()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(RUN_TIMEOUT)
    open_and_run_all(page, server, token, "utforsker.ipynb")
    problems = error_texts(page)
    assert not problems, "\n---\n".join(problems)[:3000]
    compass = page.locator(".soslokal-compass img")
    expect(compass).to_have_attribute("alt", "Stedskompasset: Havna")
    page.locator(".soslokal-theme select").select_option(label="13. Vedlikehold og stell")
    expect(page.locator(".soslokal-map img")).to_have_attribute(
        "alt", re.compile("^Vedlikehold og stell: median per nabolag"))
    expect(page.locator(".soslokal-table tr", has_text="Vedlikehold og stell")).to_have_css(
        "font-weight", "700")
    page.close()
    print(f"jupyterlab explorer: {time.monotonic() - started:.1f} s in the browser")
