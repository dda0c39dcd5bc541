"""Concurrent writers on both backends, as real processes: three `kb ingest` runs whose inputs
share their DOIs, and an editor changing every record it sees, all at once. Nothing is lost
(every input's source reaches its record, every edit stays) and no DOI is ever stored twice —
on PostgreSQL through the unique constraint and row locks, on a folder through its lock file."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from kb.store import RecordStore
from tests.backends.writers import MARK

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
RECORDS = 30
WORDS = ("housing", "care", "coordination", "funding", "outreach", "nutrition", "transport",
         "screening", "navigation", "literacy")


def _title(i: int) -> str:
    """A distinct, readable title per publication."""
    a, b, c = WORDS[i % 10], WORDS[(i // 10) % 10], WORDS[(i * 7 + 3) % 10]
    return f"Effects of {a} and {b} programs on {c} outcomes: study {i}"


def _input(path: Path, writer: int) -> Path:
    """RECORDS publications (the same DOIs for every writer, in another order, each writer's
    own abstract) as one RIS file."""
    order = list(range(RECORDS))
    order = order[writer:] + order[:writer] if writer % 2 == 0 else order[::-1]
    entries = []
    for i in order:
        entries.append("\n".join([
            "TY  - JOUR", f"TI  - {_title(i)}", f"AU  - Writer{i}, Ann", f"PY  - {2000 + i % 20}",
            f"DO  - 10.5555/kb.concurrency.{i}",
            f"AB  - Writer {writer} reports that the program reached {100 + i} adults and "
            f"improved {WORDS[i % 10]} outcomes by {writer + 5}% within one year.",
            "ER  - "]))
    path.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    return path


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_three_ingests_and_an_editor_at_once(backend_store: RecordStore, tmp_path: Path) -> None:
    env = {**os.environ, "KB_HOME": str(backend_store.home), "KB_EMBEDDER": "fake", "HF_HUB_OFFLINE": "1"}
    inputs = [_input(tmp_path / f"writer{w}.ris", w) for w in range(WRITERS)]
    editor = _start(["-m", "tests.backends.writers", "edit", str(RECORDS), "2"], env)
    ingests = [_start(["-c", "from kb.cli import main; main()", "ingest", "--no-progress", str(p)], env)
               for p in inputs]
    results = [(p.wait(timeout=600), *p.communicate()) for p in [*ingests, editor]]
    for code, out, err in results:
        assert code == 0, out + err
    edited = set(results[-1][1].split())
    print(f"{backend_store.backend}: {results[-1][2].strip()}")

    records = backend_store.load_all()
    dois = Counter(r.identifiers.doi for r in records)
    assert len(records) == RECORDS and len(dois) == RECORDS
    assert max(dois.values()) == 1
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes() for p in inputs}
    for record in records:  # every writer's input reached every record: nothing lost
        assert {s.sha256 for s in record.sources} == set(hashes), record.id
    assert {sha: backend_store.source_bytes(sha) for sha in hashes} == hashes
    assert len(edited) == RECORDS  # its last passes saw every record
    by_id = {r.id: r for r in records}
    for record_id in edited:  # every edit survived the merges that came after it
        assert MARK in (by_id[record_id].review.notes or ""), record_id
