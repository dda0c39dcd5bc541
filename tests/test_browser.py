"""The real app in Debian's Chromium: start `streamlit run app.py`, open the library and a record.

Screenshots go to tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    home = tmp_path_factory.mktemp("browser-kb")
    shutil.copytree(ROOT / "records", home / "records", ignore=shutil.ignore_patterns(".lock"))
    port = _free_port()
    env = dict(os.environ, KB_HOME=str(home), HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(app_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def test_library_then_record_then_chinese(app_url: str, page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(app_url, wait_until="networkidle")
    page.get_by_text("4 records").wait_for(timeout=30000)
    page.locator('[data-testid="stDataFrame"]').wait_for(timeout=30000)
    page.wait_for_timeout(1500)  # the grid paints on a canvas after it is attached
    page.screenshot(path=str(ARTIFACTS / "library.png"), full_page=True)

    page.get_by_role("link", name="Open record").click()
    page.get_by_text("DATA SOURCES AND STUDY SETTING").first.wait_for(timeout=30000)
    assert "record?id=chuang-2025-collaboration-strategies" in page.url
    page.screenshot(path=str(ARTIFACTS / "record.png"), full_page=True)

    page.get_by_text("Show zh side by side").click()
    page.get_by_text("数据共享对于系统整合是必要的", exact=False).first.wait_for(timeout=30000)
    page.screenshot(path=str(ARTIFACTS / "record-zh.png"), full_page=True)
