"""Crash a real `kb` command at a named point and audit the knowledge base afterwards (shared by
tests/ops/test_faults.py and benchmarks/kill_bench.py).

A crash is `os._exit` (no cleanup, no flush: what kill -9 or a power cut leaves, short of the
disk cache) injected into a child process by wrapping one function of the real code; the
audit reads what is on disk with the real readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
CRASH_CODE = 70

# point -> (module, attribute, when): the child exits before or after the call of the wrapped
# function whose number is `nth` (counting from 1)
POINTS: dict[str, tuple[str, str, str]] = {
    "after-record-write": ("kb.store", "Store.save", "after"),
    "after-index-commit": ("kb.search.spaces", "Space.save", "before"),  # COMMIT done, vectors not
    "after-vector-save": ("kb.search.spaces", "Space.save", "after"),
    "inside-merge": ("kb.dedup.decisions", "save_decisions", "before"),
    "after-merge-decision": ("kb.dedup.decisions", "save_decisions", "after"),
}

_CHILD = """
import functools, importlib, os, sys
module_name, attr, when, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
module = importlib.import_module(module_name)
owner_name, _, name = attr.rpartition(".")
owner = getattr(module, owner_name) if owner_name else module
original = getattr(owner, name)
calls = [0]

@functools.wraps(original)
def crashing(*args, **kwargs):
    calls[0] += 1
    if when == "before" and calls[0] == nth:
        os._exit({code})
    result = original(*args, **kwargs)
    if when == "after" and calls[0] == nth:
        os._exit({code})
    return result

setattr(owner, name, crashing)
if not owner_name:  # modules that imported the function by name
    for other in list(sys.modules.values()):
        if getattr(other, name, None) is original:
            setattr(other, name, crashing)
from kb.cli import main
main(sys.argv[5:], prog_name="kb")
"""


def child_env(home: Path) -> dict[str, str]:
    """The environment of a child `kb`: the fake embedder, offline, this knowledge base."""
    env = {**os.environ, "KB_HOME": str(home), "KB_EMBEDDER": "fake", "KB_MULTILINGUAL": "0",
           "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return env


def run_kb(home: Path, *args: str, crash: str | None = None, nth: int = 1,
           timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `kb --kb HOME ARGS…` in a child, crashing at `crash` on its nth call when given."""
    point = POINTS[crash] if crash else ("kb.store", "Store.save", "never")
    code = textwrap.dedent(_CHILD).replace("{code}", str(CRASH_CODE))
    return subprocess.run([sys.executable, "-c", code, *point, str(nth), "--kb", str(home), *args],
                          env=child_env(home), capture_output=True, text=True, timeout=timeout)


def ris_export(path: Path, count: int, *, start: int = 0) -> Path:
    """An RIS file of `count` distinct records with abstracts that yield findings."""
    blocks = []
    for n in range(start, start + count):
        blocks.append("\n".join([
            "TY  - JOUR", f"TI  - Care coordination study number {n} in county {n % 17}",
            f"AU  - Author{n}, Alex", f"PY  - {2000 + n % 25}", f"DO  - 10.5555/kb.{n}",
            f"AB  - BACKGROUND: Counties tried care coordination model {n}. METHODS: We interviewed "
            f"{20 + n % 30} staff. RESULTS: Staff turnover slowed referral follow-up in site {n}. "
            "Shared leadership with managed care plans helped. CONCLUSIONS: Health systems should "
            "consider braided funding.", "ER  - ", ""]))
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


class Audit(BaseModel):
    """What a knowledge base holds after a crash (and, for `lost`, after the re-run)."""

    records: int = 0
    partial: int = 0  # record files that are not valid records
    lost: int = 0  # records a clean run has that this knowledge base lacks
    stale_index: int = 0  # 1 when the index, once opened, disagrees with records/ or search fails
    problems: list[str] = []


_AUDIT = """
import json, sys
from pathlib import Path
from kb.search.index import Index
from kb.store import Store
home = Path(sys.argv[1])
index = Index.open(home)
db = index.require_db()
indexed = {r for (r,) in db.execute("SELECT id FROM records")}
findings = db.execute("SELECT count(*) FROM findings").fetchone()[0]
problems = []
if indexed != set(Store(home).ids()):
    problems.append(f"index records {len(indexed)} != files {len(Store(home).ids())}")
if index.vectors.size != findings:
    problems.append(f"{index.vectors.size} vectors for {findings} findings")
try:
    hits = index.search("staff turnover referral", k=5).hits()
    if findings and not hits:
        problems.append("search found nothing")
    known = {f for (f,) in db.execute("SELECT finding_id FROM findings")}
    if any(h.finding_id not in known for h in hits):
        problems.append("search returned findings the index does not hold")
except Exception as err:  # noqa: BLE001 - the audit reports any failure of a search
    problems.append(f"search raised {type(err).__name__}: {err}")
print(json.dumps(problems))
"""


def audit(home: Path, expected_titles: set[str] | None = None) -> Audit:
    """Read every record file, then open the index in a fresh process and search it."""
    from kb.errors import RecordError
    from kb.store import Store

    store = Store(home)
    out = Audit()
    titles = set()
    for rid in store.ids():
        try:
            titles.add(store.load(rid).title)
            out.records += 1
        except RecordError as err:
            out.partial += 1
            out.problems.append(str(err))
    if expected_titles is not None:
        out.lost = len(expected_titles - titles)
    result = subprocess.run([sys.executable, "-c", _AUDIT, str(home)], env=child_env(home),
                            capture_output=True, text=True, timeout=600)
    problems = json.loads(result.stdout.strip().splitlines()[-1]) if result.returncode == 0 else [
        f"index audit failed: {result.stderr.strip().splitlines()[-1:]}"]
    out.stale_index = int(bool(problems))
    out.problems += problems
    return out
