"""Ingest in chunks (kb.ops.pipeline.CHUNK): records prepared together — extracted, their index
vectors embedded in one call per model — then stored one step each. The result is the same as
one record at a time on both backends, a record that fails leaves the rest of its chunk stored,
and a DOI another writer stored meanwhile merges without being extracted first."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from ingest.reader import Input
from kb.embed import FakeEmbedder
from kb.errors import RecordError
from kb.model.schema import Record
from kb.ops import pipeline
from kb.ops.enrich import Enricher
from kb.ops.pipeline import Batch, ingest_paths
from kb.store import RecordStore, open_store
from kb.store.postgres import PostgresStore

WORDS = ("housing", "care", "coordination", "funding", "outreach", "nutrition", "transport")


def _entry(n: int, *, abstract: str | None = None) -> str:
    a, b = WORDS[n % len(WORDS)], WORDS[(n * 3 + 1) % len(WORDS)]
    return "\n".join([
        "TY  - JOUR", f"TI  - {a.title()} and {b} programmes in region {n}", f"AU  - Author{n}, Ann",
        f"PY  - {2000 + n}", f"DO  - 10.5555/kb.batched.{n}",
        f"AB  - {abstract or _abstract(n, a, b)}",
        "ER  - "])


def _abstract(n: int, a: str, b: str) -> str:
    return (f"Staff turnover was a major barrier to sustaining {b} referrals in region {n}. "
            f"Health systems should fund {a} outreach.")


def _ris(path: Path, entries: list[str]) -> Path:
    path.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    return path


def _inputs(folder: Path) -> list[Path]:
    """Two files: ten entries (the seventh is the third again, with another abstract: a
    duplicate inside one chunk), then three that repeat stored DOIs with other text and one new."""
    folder.mkdir(parents=True, exist_ok=True)
    again = _entry(2, abstract="Health systems should fund care outreach in region 2.")
    first = [_entry(n) for n in range(6)] + [again] + [_entry(n) for n in range(7, 10)]
    second = [_entry(n, abstract=f"Shared leadership with managed care plans facilitated outreach in region {n}.")
              for n in (1, 4, 8)] + [_entry(10)]
    return [_ris(folder / "first.ris", first), _ris(folder / "second.ris", second)]


def _records(store: RecordStore) -> dict[str, str]:
    return {r.id: re.sub(r'"ingested_at":"[^"]+"', "", r.model_dump_json()) for r in store.load_all()}


def _index_rows(store: RecordStore) -> list[tuple]:
    """The database index: each finding's row, with its vectors rounded (as stored)."""
    assert isinstance(store, PostgresStore)
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT s.id, s.version IS NOT NULL, s.title, s.findings_digest, f.finding_id, f.kind, f.text, "
            "f.themes, f.emb, f.emb_ml FROM findings f JOIN search_records s ON s.rid = f.rid "
            "ORDER BY s.id, f.finding_id").fetchall()
    return [(*r[:8], np.round(r[8].to_numpy(), 4).tolist(), np.round(r[9].to_numpy(), 4).tolist())
            for r in rows]


def _wipe(store: RecordStore) -> None:
    for record_id in store.ids():
        store.delete(record_id)


def test_chunks_store_what_one_record_at_a_time_stores(backend_store: RecordStore, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _inputs(tmp_path / "in")
    seen: dict[int, tuple[dict[str, str], list[tuple], list[list[str]]]] = {}
    for chunk in (1, 4):  # one at a time; then chunks that split both files and the duplicate pair
        monkeypatch.setattr(pipeline, "CHUNK", chunk)
        _wipe(backend_store)
        store = open_store(backend_store.home)  # a fresh store object, as a new `kb ingest` has
        try:
            reports = ingest_paths(inputs, store)
            outcomes = [[f"{o.status} {o.record_id}" for o in r.outcomes] for r in reports]
            rows = _index_rows(store) if store.backend == "postgresql" else []
            seen[chunk] = (_records(store), rows, outcomes)
        finally:
            store.close()
    one, chunked = seen[1], seen[4]
    assert chunked[2] == one[2]
    assert [s.split()[0] for s in one[2][0]] == ["new"] * 6 + ["merged"] + ["new"] * 3
    assert [s.split()[0] for s in one[2][1]] == ["merged"] * 3 + ["new"]
    assert len(one[0]) == 10 and chunked[0] == one[0]
    if backend_store.backend == "postgresql":
        assert len(one[1]) >= 15 and chunked[1] == one[1]


class _Poisoned(Enricher):
    """Extraction that fails on one record (its title names the poison)."""

    def __init__(self, home: Path) -> None:
        super().__init__(home)
        self.failures = 0

    def __call__(self, record: Record) -> Record:
        if "region 5 " in f"{record.title} ":
            self.failures += 1
            raise RecordError("its abstract could not be extracted")
        return super().__call__(record)


def test_a_failing_record_leaves_the_rest_of_its_chunk_stored(backend_store: RecordStore, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "CHUNK", 4)
    path = _ris(tmp_path / "in.ris", [_entry(n) for n in range(4)] + ["TY  - JOUR\nER  - "]
                + [_entry(n) for n in range(4, 8)])
    enrich = _Poisoned(backend_store.home)
    [report] = ingest_paths([path], backend_store, enrich=enrich)
    statuses = [o.status for o in report.outcomes]
    assert statuses == ["new"] * 4 + ["failed", "new", "failed", "new", "new"]  # in input order
    failed = report.outcomes[6].message
    assert failed == "Nutrition and coordination programmes in region 5: its abstract could not be extracted"
    assert enrich.failures == 1  # extracted ahead once, its error reported when it was stored
    assert len(backend_store.ids()) == 7
    assert not any("region 5" in (r.title or "") for r in backend_store.load_all())


class _Counting(Enricher):
    def __init__(self, home: Path) -> None:
        super().__init__(home)
        self.titles: list[str] = []

    def __call__(self, record: Record) -> Record:
        self.titles.append(record.title or "")
        return super().__call__(record)


def test_a_doi_stored_meanwhile_merges_without_extracting(pg_url: str, kb_home: Path, tmp_path: Path) -> None:
    store = PostgresStore(pg_url, kb_home)
    other = PostgresStore(pg_url, kb_home)  # another writer
    try:
        enrich = _Counting(kb_home)
        batch = Batch(store, enrich)
        assert len(batch.index) == 0  # the batch has read the (empty) store
        elsewhere = _ris(tmp_path / "other.ris", [_entry(3)])
        [stored] = ingest_paths([elsewhere], other)  # the other writer stores the same publication
        stored_id = stored.outcomes[0].record_id
        path = _ris(tmp_path / "in.ris", [_entry(n) for n in range(2, 5)])
        report = batch.run(Input(source=str(path), path=path))
        assert [o.status for o in report.outcomes] == ["new", "merged", "new"]
        assert report.outcomes[1].record_id == stored_id
        assert [t.split()[-1] for t in enrich.titles] == ["2", "4"]  # the duplicate was never extracted
        merged = store.load(str(stored_id))
        assert sorted(s.sha256 for s in merged.sources) == sorted([_sha(elsewhere), _sha(path)])
    finally:
        other.close()
        store.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Recording(FakeEmbedder):
    """The fake embedder, noting how many texts each call asked for."""

    def __init__(self, dim: int) -> None:
        super().__init__(dim)
        self.calls: list[int] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return super().encode(texts)


def test_a_chunks_index_vectors_are_embedded_in_one_call_per_model(pg_url: str, kb_home: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.search.pg_index import PgIndex

    monkeypatch.setattr(pipeline, "CHUNK", 4)
    store = PostgresStore(pg_url, kb_home)
    try:
        main, multilingual = _Recording(256), _Recording(128)
        index = PgIndex.open(store, main, multilingual=multilingual)  # attached: each write indexes
        path = _ris(tmp_path / "in.ris", [_entry(n) for n in range(8)])
        [report] = ingest_paths([path], store, enrich=Enricher(kb_home, use_embeddings=False))
        assert [o.status for o in report.outcomes] == ["new"] * 8
        with store.connection() as conn:
            findings = conn.execute("SELECT count(*) FROM findings WHERE emb IS NOT NULL "
                                    "AND emb_ml IS NOT NULL").fetchone()
        assert findings is not None and findings[0] >= 8
        per_chunk = [n for n in multilingual.calls if n > 1]
        assert len(per_chunk) == 2 and sum(per_chunk) == findings[0]  # two chunks, one call each
        # the English model embeds a chunk's findings and its records' sentences in one call too
        main_chunks = [n for n in main.calls if n > 1]
        assert len(main_chunks) == 2 and all(m > n for m, n in zip(main_chunks, per_chunk, strict=True))
        index.close()
    finally:
        store.close()
