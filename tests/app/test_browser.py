"""The real app in Debian's Chromium: start `streamlit run app.py` on a temporary copy of the KB,
search, open a record, switch to Chinese, add two records to compare (kept over a reload), open Compare and download
the Word brief (read back with python-docx), paste a new abstract on Add publication, edit and
save it, find it in Search; and a librarian titling a stored record on the Record page, then
the forest plot on Compare and its PNG download. Screenshots go to tests/artifacts/ for a human to look at.

The app runs with the fake embedder (KB_EMBEDDER=fake) so the test takes seconds; the real
model's timings are measured by benchmarks/app_bench.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
NEW_ABSTRACT = ROOT / "tests" / "data" / "app" / "new_abstract.txt"
EDITED_TITLE = "Integrating health care and social needs in California's CalAIM"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
WAIT_MS = 30_000

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
def kb_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("browser-kb")
    shutil.copytree(ROOT / "records", home / "records", ignore=shutil.ignore_patterns(".lock"))
    return home


@pytest.fixture(scope="module")
def app_url(kb_copy: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    port = _free_port()
    env = dict(os.environ, KB_HOME=str(kb_copy), HF_HUB_OFFLINE="1", KB_EMBEDDER="fake")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


OUTSIDE: list[str] = []  # every request the pages made to anything but the app itself


def _note_outside(request) -> None:
    if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
        OUTSIDE.append(request.url)


@pytest.fixture(scope="module")
def page(app_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        context.set_default_timeout(WAIT_MS)
        context.on("request", _note_outside)
        yield context.new_page()
        browser.close()


def _shot(page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, so the window is
    made as tall as that area for the shot."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let the last rerun paint
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height, 8000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(size)


def _docx_text(path: str) -> str:
    """The paragraphs and table cells of a Word file, as python-docx reads them."""
    import docx

    document = docx.Document(path)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _idle(page) -> None:
    """Wait until Streamlit has finished the current run (no 'Running…' status widget)."""
    page.wait_for_timeout(200)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")


def test_search_record_chinese_compare_add(app_url: str, page, kb_copy: Path) -> None:
    page.goto(app_url, wait_until="networkidle")
    box = page.get_by_placeholder(re.compile("Ask a question"))
    box.fill("braided funding")
    box.press("Enter")
    page.get_by_text(re.compile(r"matching findings · best")).wait_for()
    _idle(page)
    assert "q=braided+funding" in page.url or "q=braided%20funding" in page.url
    _shot(page, "search")

    groups = page.locator('[class*="st-key-group_"]')
    first = groups.first
    first_id = re.search(r"st-key-group_([a-z0-9-]+)", first.get_attribute("class")).group(1)
    second = groups.nth(1)
    second_id = re.search(r"st-key-group_([a-z0-9-]+)", second.get_attribute("class")).group(1)
    second.get_by_role("button", name="Add to comparison").click()
    _idle(page)

    first.get_by_role("link", name="Open record").click()
    page.wait_for_url(re.compile(rf"record\?id={first_id}"))
    page.get_by_role("tab", name="Abstract").wait_for()
    _idle(page)
    _shot(page, "record")

    page.get_by_role("radio", name="中文", exact=True).click()
    page.get_by_text("Data sharing is necessary", exact=False).first.wait_for(state="hidden")
    _idle(page)
    assert page.get_by_text("数据共享对于系统整合是必要的", exact=False).first.is_visible()
    _shot(page, "record-zh")

    page.get_by_role("button", name="Add to comparison").click()
    _idle(page)
    page.reload(wait_until="networkidle")  # a reload starts a new session: the basket is in the URL
    page.get_by_role("link", name="2 records to compare").wait_for()
    _idle(page)
    page.get_by_role("link", name="2 records to compare").click()
    page.wait_for_url(re.compile(r"/compare"))
    page.get_by_text("Findings by kind").wait_for()
    _idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Brief (Word)").click()
    brief = _docx_text(download.value.path())
    assert "Chuang" in brief and "References" in brief, brief[:500]
    assert first_id in page.url and second_id in page.url  # the comparison is in the URL
    _shot(page, "compare")

    page.get_by_role("link", name="Evidence map").click()
    page.get_by_text("Number of findings per theme and source").wait_for()
    _idle(page)
    page.wait_for_timeout(1000)  # the chart's selection state settles
    _idle(page)
    theme = page.get_by_role("combobox", name="Theme")
    theme.click()
    theme.fill("Housing")
    page.get_by_role("option", name="Housing and homelessness").click()
    page.get_by_role("heading", name="Housing and homelessness").wait_for()
    _idle(page)
    assert "theme=Housing" in page.url, page.url
    _shot(page, "evidence-map")

    page.get_by_role("link", name="Add publication").first.click()
    page.get_by_role("tab", name="Paste text").wait_for()
    page.get_by_placeholder(re.compile("Paste a title and abstract")).fill(NEW_ABSTRACT.read_text())
    page.get_by_role("button", name="Preview", exact=True).click()
    page.get_by_text("Preview — nothing is saved yet").wait_for()
    _idle(page)
    page.get_by_label(re.compile(r"^Authors \(one per line")).fill("Rivera, Ana\nOkafor, Chidi")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Apply changes").click()
    page.get_by_text("Rivera A, Okafor C").first.wait_for()
    _idle(page)
    _shot(page, "add-preview")

    page.get_by_role("button", name="Save 1 record").click()
    page.get_by_text("pasted.txt: new rivera-2024-community-health").wait_for()
    _idle(page)
    _shot(page, "add-saved")
    saved = json.loads((kb_copy / "records" / "rivera-2024-community-health.json").read_text())
    assert [a["family"] for a in saved["authors"]] == ["Rivera", "Okafor"]
    assert saved["sources"][0]["path"] == "pasted.txt"

    page.get_by_role("link", name="Search").click()
    box = page.get_by_placeholder(re.compile("Ask a question"))
    # The page opens on the previous query's results (the box keeps "braided funding", whose
    # first record is Chuang's), so the new results are waited for by what they must show, not
    # by the summary line that the old results also have.
    box.fill("co-location of CHWs in shelters")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=co-location"))
    first_group = page.locator('[class*="st-key-group_"]').first
    expect(first_group).to_contain_text("Community health workers and housing navigation",
                                        timeout=WAIT_MS)
    _idle(page)
    assert "Community health workers and housing navigation" in first_group.inner_text()

    page.get_by_role("link", name="Library").click()
    page.get_by_text("5 of 5 records").wait_for()
    page.wait_for_timeout(1000)  # the grid paints on a canvas after it is attached
    _shot(page, "library")


def test_a_librarian_titles_a_stored_record_and_the_forest_plot_reads(app_url: str, page,
                                                                       kb_copy: Path) -> None:
    rid = "improve-integration-health"
    page.goto(f"{app_url}/record?id={rid}", wait_until="networkidle")
    page.get_by_role("tab", name="Abstract").wait_for()
    _idle(page)
    assert page.get_by_role("heading", name=re.compile(r"^\[no title\] To improve integration")).count()
    page.get_by_role("tab", name="Edit").click()
    page.get_by_label("Title", exact=True).fill(EDITED_TITLE)
    page.get_by_label("Your name").fill("Ana Librarian")
    _shot(page, "record-edit")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your changes are saved").wait_for()
    _idle(page)
    page.get_by_role("heading", name=EDITED_TITLE).wait_for()
    _shot(page, "record-edited")
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    assert picker.locator("input").input_value().startswith(EDITED_TITLE[:40])  # the picker too
    saved = json.loads((kb_copy / "records" / f"{rid}.json").read_text())
    assert saved["title"] == EDITED_TITLE
    assert saved["review"]["history"][-1]["by"] == "Ana Librarian"

    page.goto(f"{app_url}/compare?ids={rid}&ids=chuang-2025-collaboration-strategies",
              wait_until="networkidle")
    page.get_by_text("Findings by kind").wait_for()
    _idle(page)
    page.locator('[data-testid="stVegaLiteChart"]').last.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # vega draws after the element is attached
    _shot(page, "compare-forest")
    with page.expect_download() as download:
        page.get_by_role("button", name="Forest plot (PNG)").click()
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[20:24], "big") > 300


def test_a_librarian_reviews_a_possible_duplicate_with_one_key(app_url: str, page, kb_copy: Path) -> None:
    from kb.ops.pipeline import ingest_bytes
    from kb.store import Store
    from tests.ops.test_duplicates import RIS

    store = Store(kb_copy)
    ingest_bytes(RIS.encode(), "three.ris", store)
    page.goto(f"{app_url}/library?tab=Possible+duplicates", wait_until="networkidle")
    page.get_by_text(re.compile(r"Pair 1 of 1 · possible duplicate")).wait_for()
    _idle(page)
    page.wait_for_timeout(800)  # the table paints on a canvas after it is attached
    _shot(page, "dedup-review")
    page.locator("body").press("m")  # the one-key merge (Merge B into A)
    page.get_by_text("merged doe-2020-peer-navigation-2 into doe-2020-peer-navigation").wait_for()
    _idle(page)
    assert "doe-2020-peer-navigation-2" not in store.ids()
    page.locator("body").press("u")
    page.get_by_text(re.compile(r"restored doe-2020-peer-navigation-2")).wait_for()
    _idle(page)
    assert "doe-2020-peer-navigation-2" in store.ids()
    _shot(page, "dedup-undone")


def test_the_day_fetched_nothing_from_outside(page) -> None:
    """Every page above was served by the app alone (no icon or font from a CDN): the README
    promises nothing is downloaded at run time."""
    assert OUTSIDE == []
