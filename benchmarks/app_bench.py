"""App benchmark: start `streamlit run app.py` with the real embedding model on a copy of the
shipped records (and, with --findings N, on a synthetic knowledge base of N findings), drive it
in headless Chromium and print a table of what a user waits for:

- server start: process start until Streamlit answers its health check;
- first paint: page load until the Search page's query box is visible (first session, and a
  fresh session once the model is loaded — the target is 3 s);
- first search: Enter until results show, loading the model and opening the index;
- search: Enter until the new results show (browser round trip), and the search itself as the
  page reports it;
- Record and Compare pages: link until the page's content shows.

    python benchmarks/app_bench.py                    # shipped records
    python benchmarks/app_bench.py --findings 10000   # plus 10k synthetic findings
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
SHIPPED_QUERIES = ["barriers to sustaining whole person care pilots", "braided funding",
                   "data sharing between health plans and counties", "WPC", "数据共享",
                   "housing services providers", "leadership and contracting with managed care"]
CHANGED = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || main.querySelector('[data-stale="true"]')) return false;
  const caps = [...main.querySelectorAll('[data-testid="stCaptionContainer"]')]
      .map(c => c.innerText).filter(t => t.includes('matching finding'));
  return caps.length > 0 && caps[0] !== window.__lastCaption;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(home: Path) -> Iterator[tuple[str, float]]:
    """The app on `home` with the real model; yields its URL and seconds until healthy."""
    port = _free_port()
    env = dict(os.environ, KB_HOME=str(home), HF_HUB_OFFLINE="1")
    env.pop("KB_EMBEDDER", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 120:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.05)
        yield url, time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def first_paint(browser, url: str) -> tuple[float, object]:
    """A new session: seconds from navigation until the query box is visible."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(300_000)
    seconds = timed(lambda: (page.goto(url, wait_until="commit"),
                             page.get_by_placeholder(re.compile("Ask a question")).wait_for()))
    return seconds, page


def search(page, query: str) -> tuple[float, float]:
    """(browser round trip s, search ms as reported) of one query typed and Entered."""
    page.evaluate("""() => { const c = [...document.querySelectorAll(
        '[data-testid="stCaptionContainer"]')].map(c => c.innerText)
        .filter(t => t.includes('matching finding')); window.__lastCaption = c[0] || null; }""")
    box = page.get_by_placeholder(re.compile("Ask a question"))
    box.fill(query)
    seconds = timed(lambda: (box.press("Enter"), page.wait_for_function(CHANGED, polling=20)))
    caption = page.get_by_text(re.compile(r"matching findings? · best")).first.inner_text()
    return seconds, float(re.search(r"· (\d+) ms", caption).group(1))


def measure(home: Path, queries: list[str], label: str) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, str]] = []
    with serve(home) as (url, start_s), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        rows.append((f"{label}: server start", f"{start_s:.2f} s"))
        cold, page = first_paint(browser, url)
        rows.append((f"{label}: first paint, first session", f"{cold:.2f} s"))
        first, _ = search(page, queries[0])
        rows.append((f"{label}: first search (loads model, opens index)", f"{first:.2f} s"))
        trips, inner = zip(*(search(page, q) for q in queries[1:]), strict=True)
        rows.append((f"{label}: search round trip, median / max of {len(trips)}",
                     f"{statistics.median(trips):.2f} / {max(trips):.2f} s"))
        rows.append((f"{label}: search as reported, median / max",
                     f"{statistics.median(inner):.0f} / {max(inner):.0f} ms"))
        warm = [first_paint(browser, url)[0] for _ in range(3)]
        rows.append((f"{label}: first paint, fresh session (model loaded), median of 3",
                     f"{statistics.median(warm):.2f} s"))
        page.get_by_role("link", name="Open record").first.click()
        rows.append((f"{label}: Record page", f"{timed(lambda: page.get_by_role('tab', name='Abstract').wait_for()):.2f} s"))
        browser.close()
    return rows


def synthetic_kb(workdir: Path, n_findings: int) -> tuple[Path, float]:
    """Synthetic records (benchmarks/search_bench.py) indexed with the real model."""
    from search_bench import pool_sentences, write_kb

    from kb.search.index import Index

    home = workdir / f"app-kb-{n_findings}"
    shutil.rmtree(home, ignore_errors=True)
    write_kb(home, n_findings, pool_sentences(random.Random(42)))
    started = time.perf_counter()
    Index.open(home).close()
    return home, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=0,
                        help="also measure a synthetic knowledge base of this many findings")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.pop("KB_EMBEDDER", None)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        shipped = Path(tmp) / "shipped"
        shutil.copytree(ROOT / "records", shipped / "records", ignore=shutil.ignore_patterns(".lock"))
        rows += measure(shipped, SHIPPED_QUERIES, "shipped (4 records)")
        if args.findings:
            from search_bench import queries

            home, build = synthetic_kb(Path(tmp), args.findings)
            rows.append((f"{args.findings:,} findings: index build with the model (before start)",
                         f"{build:.1f} s"))
            rows += measure(home, queries(8), f"{args.findings:,} findings")
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
