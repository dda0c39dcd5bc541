"""The derived index: build, incremental refresh, identical results, self-repair."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb.config import INDEX_DB as DB_NAME
from kb.config import MAIN_VECTORS as VECTORS_NAME
from kb.embed import FakeEmbedder
from kb.search.hybrid import search
from kb.search.index import Index
from kb.store import Store

QUERIES = ["braided funding", "barriers to sustaining pilots", "data sharing infrastructure",
           "SSO contracting with managed care", "leadership"]


def _results(index: Index) -> list[list[tuple[str, str, float]]]:
    out = []
    for query in QUERIES:
        response = search(index, query, k=8)
        out.append([(h.record_id, h.finding_id, round(h.score, 6)) for h in response.hits()])
    return out


def test_build_then_nothing_to_do(shipped_copy: Path) -> None:
    first = Index.open(shipped_copy)
    assert first.last_report.rebuilt == "no index yet"
    assert first.last_report.added == 4 and first.last_report.findings == 36
    first.close()
    again = Index.open(shipped_copy)
    assert not again.last_report.changed and again.last_report.unchanged == 4


def test_incremental_equals_full_rebuild(shipped_copy: Path, tmp_path: Path) -> None:
    store = Store(shipped_copy)
    index = Index.open(shipped_copy)
    # change one record (drop a finding), delete one, add one (a copy under a new id)
    record = store.load("chuang-2025-collaboration-strategies")
    record.findings = record.findings[1:]
    store.save(record)
    snow = store.load("john-snow-discussion-paper")
    store.delete("john-snow-discussion-paper")
    copy = snow.model_copy(update={"id": "snow-copy"})
    store.save(copy)
    report = index.refresh()
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    incremental = _results(index)
    fresh_home = tmp_path / "fresh"
    shutil.copytree(shipped_copy / "records", fresh_home / "records")
    fresh = Index.open(fresh_home)
    assert fresh.last_report.rebuilt
    assert incremental == _results(fresh)
    assert index.vectors.size == fresh.vectors.size == 35
    # small changes went to a side file; reopening replays it
    assert (shipped_copy / ".kb" / "vectors.delta.npz").exists()
    index.close()
    reopened = Index.open(shipped_copy)
    assert not reopened.last_report.rebuilt and _results(reopened) == incremental
    assert reopened.arrays.fid.tolist() == index.arrays.fid.tolist()


def test_damaged_or_missing_files_are_rebuilt(shipped_copy: Path) -> None:
    Index.open(shipped_copy).close()
    before = _results(Index.open(shipped_copy))
    kb_dir = shipped_copy / ".kb"
    (kb_dir / VECTORS_NAME).write_bytes(b"not a faiss file")
    repaired = Index.open(shipped_copy)
    assert "vectors.faiss is missing or damaged" in (repaired.last_report.rebuilt or "")
    assert _results(repaired) == before
    repaired.close()
    (kb_dir / DB_NAME).write_bytes(b"garbage" * 100)
    for extra in ("-wal", "-shm"):
        (kb_dir / f"{DB_NAME}{extra}").unlink(missing_ok=True)
    rebuilt = Index.open(shipped_copy)
    assert "damaged" in (rebuilt.last_report.rebuilt or "")
    assert _results(rebuilt) == before
    rebuilt.close()
    shutil.rmtree(kb_dir)
    assert _results(Index.open(shipped_copy)) == before


def test_model_change_rebuilds_vectors(shipped_copy: Path) -> None:
    Index.open(shipped_copy, FakeEmbedder(256)).close()
    other = Index.open(shipped_copy, FakeEmbedder(128))
    assert "main embedding model is now fake-hash:128" in (other.last_report.rebuilt or "")
    assert other.vectors.size == 36 and other.vectors.dim == 128


def test_invalid_record_file_is_reported_not_indexed(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy)
    bad = shipped_copy / "records" / "broken.json"
    bad.write_text(json.dumps({"id": "broken", "year": "soon"}))
    report = index.refresh()
    assert len(report.problems) == 1 and "broken.json" in report.problems[0]
    assert report.unchanged == 4 and index.vectors.size == 36


def test_index_lives_in_dot_kb_only(shipped_copy: Path) -> None:
    before = sorted(p.name for p in (shipped_copy / "records").iterdir())
    Index.open(shipped_copy).close()
    assert sorted(p.name for p in (shipped_copy / "records").iterdir()) == before
    assert (shipped_copy / ".kb" / DB_NAME).exists()


@pytest.mark.parametrize("name", [DB_NAME, VECTORS_NAME])
def test_deleted_file_rebuilds(shipped_copy: Path, name: str) -> None:
    Index.open(shipped_copy).close()
    (shipped_copy / ".kb" / name).unlink()
    index = Index.open(shipped_copy)
    assert index.last_report.rebuilt and index.vectors.size == 36


def test_update_picks_up_what_another_process_indexed(shipped_copy: Path) -> None:
    app = Index.open(shipped_copy)  # e.g. the app's long-lived index
    before = _results(app)
    store = Store(shipped_copy)
    record = store.load("chuang-2025-collaboration-strategies")
    store.save(record.model_copy(update={"id": "chuang-copy"}))
    Index.open(shipped_copy).close()  # e.g. `kb ingest` refreshing the index on disk
    report = app.update()
    assert not report.changed  # the other process already indexed the copy ...
    assert app.vectors.size == 36 + len(record.findings)  # ... and this one now sees it
    ids = {h[0] for hits in _results(app) for h in hits}
    assert "chuang-copy" in ids and _results(app) != before


def test_underscore_files_in_records_are_not_records(shipped_copy: Path) -> None:
    (shipped_copy / "records" / "_decisions.json").write_text('{"not": "a record"}')
    index = Index.open(shipped_copy)
    assert index.last_report.problems == [] and index.last_report.added == 4


def test_add_then_remove_leaves_consistent_files(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    index = Index.open(shipped_copy)
    record = store.load("john-snow-discussion-paper")
    store.save(record.model_copy(update={"id": "temporary"}))
    index.update()
    store.delete("temporary")
    index.update()
    index.close()
    again = Index.open(shipped_copy)
    assert not again.last_report.rebuilt and again.vectors.size == 36


def test_a_search_during_another_writers_refresh_answers_from_its_own_state(shipped_copy: Path) -> None:
    """A reader opened before a writer's refresh still searches instead of raising IndexError:
    its finding arms keep to the columns it loaded; a record the writer added may still come up
    through its whole-record text, read complete from SQLite."""
    store = Store(shipped_copy)
    reader = Index.open(shipped_copy)
    snow = store.load("john-snow-discussion-paper")
    store.save(snow.model_copy(update={"id": "snow-copy"}))
    writer = Index.open(shipped_copy)  # another process: refreshes SQLite with the copy's findings
    assert writer.arrays.upper > reader.arrays.upper
    for mode in ("lexical", "hybrid"):
        response = search(reader, "political will", k=10, mode=mode)
        assert "john-snow-discussion-paper" in {h.record_id for h in response.hits()}, mode
    reader.update()  # once it catches up, the new record is found too
    assert "snow-copy" in {h.record_id for h in search(reader, "political will", k=10, mode="lexical").hits()}
    reader.close(), writer.close()


def test_known_keeps_only_the_findings_the_columns_hold() -> None:
    import numpy as np

    from kb.search.columns import FilterArrays

    arrays = FilterArrays(fid=np.array([1, 4, 9], np.int64), rid=np.array([1, 1, 2], np.int64))
    assert arrays.known([9, 2, 4, 12, 1]) == [9, 4, 1]
    assert FilterArrays().known([1]) == []
