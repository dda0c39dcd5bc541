"""App benchmark: first, the issue-19 figure — how long after `make run` prints the app's URL a
first search is answered: per run a fresh copy of the shipped records, `kb check`, then
`kb app --port P` (what `make run` does; this checkout's code), and the moment Streamlit prints its
`URL:` line on stdout; the browser (already running, as a user's is) then opens the page at once,
types a query, presses Enter and waits until results show. Printed: URL line → results shown, per
run and median / max, with where the time went (URL → query box, → results), plus the same
from `kb app`'s own earlier "app on …: http://…" line on stderr. A screenshot of the first
results is written next to the table (--screenshot).

Then: start `streamlit run app.py` with the real embedding model on a copy of the
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
    python benchmarks/app_bench.py --first-search-only [--runs 3] [--screenshot first.png]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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


FIRST_QUERY = SHIPPED_QUERIES[0]
KB_CLI = "from kb.cli import main; main()"  # the `kb` command of this checkout


def _kb(*args: str) -> list[str]:
    return [sys.executable, "-c", KB_CLI, *args]


class _Lines:
    """Reads a process's stream on a thread; the perf_counter moment the first line matching a
    pattern arrived."""

    def __init__(self, stream, pattern: str) -> None:
        self.pattern = re.compile(pattern)
        self.at: float | None = None
        self.line = ""
        self.seen = threading.Event()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            if self.at is None and self.pattern.search(line):
                self.at = time.perf_counter()
                self.line = line.strip()
                self.seen.set()
        self.seen.set()


def _kb_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, KB_HOME=str(home), HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    env.pop("KB_EMBEDDER", None)
    return env


def shipped_copy(workdir: Path, *, indexed: bool) -> Path:
    """A copy of the shipped records (a fresh clone); `indexed`: its .kb/ already built, as
    after an earlier start."""
    home = workdir / f"kb-{time.monotonic_ns()}"
    shutil.copytree(ROOT / "records", home / "records", ignore=shutil.ignore_patterns(".lock"))
    if indexed:
        subprocess.run(_kb("reindex"), cwd=ROOT, env=_kb_env(home), check=True, capture_output=True)
    return home


def first_results(browser, port: int, context, shot: Path | None) -> tuple[float, float]:
    """Open the page on `port` at once (in `context`, else a new one), type the first query
    and press Enter: the perf_counter moments the query box showed and the results did."""
    page = (context or browser.new_context(viewport={"width": 1400, "height": 1000})).new_page()
    page.set_default_timeout(120_000)
    page.goto(f"http://localhost:{port}", wait_until="commit")
    box = page.get_by_placeholder(re.compile("Ask a question"))
    box.wait_for()
    boxed = time.perf_counter()
    box.fill(FIRST_QUERY)
    box.press("Enter")
    page.wait_for_function(CHANGED, polling=20)
    shown = time.perf_counter()
    if shot:
        page.screenshot(path=str(shot), full_page=False)
    page.close() if context else page.context.close()
    return boxed, shown


def first_search_run(browser, home: Path, shot: Path | None, *, port: int | None = None,
                     context=None) -> dict[str, float]:
    """One `make run` on `home`: seconds from the URL lines to the first results shown in the
    browser. A `context` kept between runs (on one `port`) is a returning user's browser, whose
    cache holds the page's script files from an earlier visit; by default a new context, a
    first visit."""
    env = _kb_env(home)
    subprocess.run(_kb("check"), cwd=ROOT, env=env, check=True, capture_output=True)
    port = port or _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(_kb("app", "--port", str(port)), cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    out = _Lines(proc.stdout, r"URL: http")
    err = _Lines(proc.stderr, r"app on .*http://")
    try:
        if not out.seen.wait(120) or out.at is None:
            raise RuntimeError("`kb app` printed no URL line")
        boxed, shown = first_results(browser, port, context, shot)
    finally:  # Ctrl-C, as in the terminal of `make run`: to the whole process group, so no
        os.killpg(proc.pid, signal.SIGINT)  # Streamlit server outlives a `kb app` that runs it in a child
        proc.wait(timeout=30)
    return {"kb_line": (err.at or out.at) - started, "url_line": out.at - started,
            "to_box": boxed - out.at, "to_results": shown - out.at,
            "from_kb_line": shown - (err.at or out.at)}


FLOOR_APP = """import streamlit as st
query = st.text_input("Search", placeholder="Ask a question")
if query:
    st.caption(f"{len(query)} matching findings · best 1 in 1 records · 0 ms")
"""


def floor_run(browser, script: Path, *, port: int | None = None, context=None) -> dict[str, float]:
    """The same measure on a one-box Streamlit page that answers at once, served with the
    app's Streamlit options: what Streamlit itself costs on this machine and browser (the
    floor under any Streamlit app's first search)."""
    from kb.config import STREAMLIT_OPTIONS

    port = port or _free_port()
    options = [f"--{name}={value}" for name, value in {**STREAMLIT_OPTIONS, "server.port": str(port)}.items()]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), *options],
                            cwd=script.parent, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    out = _Lines(proc.stdout, r"URL: http")
    try:
        if not out.seen.wait(120) or out.at is None:
            raise RuntimeError("streamlit printed no URL line")
        boxed, shown = first_results(browser, port, context, None)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    return {"to_box": boxed - out.at, "to_results": shown - out.at}


def floor_rows(browser, workdir: Path, runs: int) -> list[tuple[str, str]]:
    """The floor, in a first-visit browser and in a returning one."""
    script = workdir / "floor_app.py"
    script.write_text(FLOOR_APP)
    rows = []
    for returning in (False, True):
        port = _free_port() if returning else None
        context = browser.new_context(viewport={"width": 1400, "height": 1000}) if returning else None
        if returning:
            floor_run(browser, script, port=port, context=context)
        results = [floor_run(browser, script, port=port, context=context) for _ in range(runs)]
        label = "one-box Streamlit page (floor)" + (", returning browser" if returning else "")
        rows.append((f"{label}: URL -> box; URL -> answer, medians of {runs}",
                     f"{statistics.median(r['to_box'] for r in results):.2f} s; "
                     f"{statistics.median(r['to_results'] for r in results):.2f} s"))
    return rows


def first_search_rows(runs: int, shot: Path | None) -> list[tuple[str, str]]:
    """The issue-19 figure: URL printed -> first results shown, `runs` fresh processes each on a
    fresh clone (no .kb/: the warm-up builds the index) and on one whose .kb/ was built before,
    each in a first-visit browser; then `runs` more on the built .kb/ in a returning user's
    browser (one kept context, one port, an unmeasured visit before the first run)."""
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, str]] = []
    cases = ((False, False, "fresh clone, no .kb/"), (True, False, ".kb/ built before"),
             (True, True, ".kb/ built before, returning browser"))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for indexed, returning, label in cases:
            results = []
            home = shipped_copy(Path(tmp), indexed=True) if indexed else None
            port = _free_port() if returning else None
            context = browser.new_context(viewport={"width": 1400, "height": 1000}) if returning else None
            if returning:
                first_search_run(browser, home, None, port=port, context=context)
            for i in range(runs):
                here = home or shipped_copy(Path(tmp), indexed=False)
                results.append(first_search_run(browser, here, shot if i == 0 and not indexed else None,
                                                port=port, context=context))
            rows += [(f"{label} #{i + 1}: kb line / URL line after start; URL -> query box; URL -> results",
                      f"{r['kb_line']:.2f} / {r['url_line']:.2f} s; {r['to_box']:.2f} s; {r['to_results']:.2f} s")
                     for i, r in enumerate(results)]
            to_results = [r["to_results"] for r in results]
            from_kb = [r["from_kb_line"] for r in results]
            rows.append((f"{label}: first search after the URL line, median / max of {runs} (target <= 1.5 s)",
                         f"{statistics.median(to_results):.2f} / {max(to_results):.2f} s"))
            rows.append((f"{label}: first search after kb's 'app on ...' line, median / max of {runs}",
                         f"{statistics.median(from_kb):.2f} / {max(from_kb):.2f} s"))
        rows += floor_rows(browser, Path(tmp), runs)
        browser.close()
    return rows


def print_rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for name, value in rows:
        print(f"{name:<{width}}  {value}", flush=True)


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
    parser.add_argument("--runs", type=int, default=3, help="`make run` starts for the first-search figure")
    parser.add_argument("--screenshot", type=Path, help="write the first run's first results here (PNG)")
    parser.add_argument("--first-search-only", action="store_true", help="only the first-search figure")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.pop("KB_EMBEDDER", None)
    rows = first_search_rows(args.runs, args.screenshot)
    if args.first_search_only:
        print_rows(rows)
        return
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
    print_rows(rows)


if __name__ == "__main__":
    main()
