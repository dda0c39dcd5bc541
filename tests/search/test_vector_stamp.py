"""The vector files are tied to the state of the SQLite index they were written for (finding ids
and a checksum of their texts): a crash between the index's COMMIT and the vector save, or a
damaged derived file, is noticed on open and rebuilt, naming the file (issue 17, items 2 and 6)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.config import DEDUP_KEYS, EMBED_CACHE, index_dir
from kb.dedup.cache import VERSION, KeyCache
from kb.embed import text_hash
from kb.model.schema import Record
from kb.search import index_db
from kb.search.hybrid import search
from kb.search.index import Index
from kb.search.index_db import vector_stamp
from kb.search.spaces import Space
from kb.store import Store

QUERY = "braided funding"


def _ranked(index: Index) -> list[tuple[str, str]]:
    return [(h.record_id, h.finding_id) for h in search(index, QUERY, k=8).hits()]


def _crash_before_vector_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SQLite COMMIT happens, the vector files are not written (as after kill -9)."""
    monkeypatch.setattr(Space, "save", lambda self, db, *, full=False: None)


def test_a_crash_between_commit_and_vector_save_is_repaired(shipped_copy: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    Index.open(shipped_copy).close()
    store = Store(shipped_copy)
    gone = store.load("john-snow-discussion-paper")
    store.delete(gone.id)
    record = store.load("chuang-2025-collaboration-strategies")
    store.save(record.model_copy(update={"id": "chuang-copy"}))
    with monkeypatch.context() as patch:
        _crash_before_vector_save(patch)
        Index.open(shipped_copy).close()  # e.g. a re-import killed right after the COMMIT
    reopened = Index.open(shipped_copy)
    assert "vectors.faiss was written for another state of the index" in reopened.last_report.rebuilt
    ranked = _ranked(reopened)  # raised KeyError/TypeError before
    assert ranked and gone.id not in {r for r, _ in ranked}
    assert reopened.vectors.size == reopened.db.execute("SELECT count(*) FROM findings").fetchone()[0]
    reopened.close()
    fresh = Index.open(shipped_copy, full=True)
    assert _ranked(fresh) == ranked


def test_reused_finding_ids_are_not_mistaken_for_current_vectors(shipped_copy: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The same number of findings with the same ids but other texts: a count or id check
    would accept the stale vectors, the checksum does not."""
    Index.open(shipped_copy).close()
    store = Store(shipped_copy)
    record = store.load("chuang-2025-collaboration-strategies")
    record.findings = [f.model_copy(update={"text": f.text + " (revised)"}) for f in record.findings]
    store.save(record)
    with monkeypatch.context() as patch:
        _crash_before_vector_save(patch)
        Index.open(shipped_copy).close()
    reopened = Index.open(shipped_copy)
    assert "written for another state" in (reopened.last_report.rebuilt or "")


def test_a_side_file_older_than_the_vector_file_is_ignored(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy)
    store = Store(shipped_copy)
    record = store.load("john-snow-discussion-paper")
    store.save(record.model_copy(update={"id": "temporary"}))
    index.update()
    delta = shipped_copy / ".kb" / "vectors.delta.npz"
    stale = delta.read_bytes()
    index.main.save(index.require_db(), full=True)  # the side file is folded into the main file
    delta.write_bytes(stale)  # as if a crash came before the old side file was removed
    index.close()
    again = Index.open(shipped_copy)
    assert not again.last_report.rebuilt
    assert again.vectors.size == again.db.execute("SELECT count(*) FROM findings").fetchone()[0]


def test_the_stamp_is_written_into_the_vector_file(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy)
    head = (shipped_copy / ".kb" / "vectors.faiss").read_bytes().split(b"\n", 1)[0].decode()
    assert head == f"KB-VECTORS 1 {vector_stamp(index.require_db())}"
    assert head.split()[-1].startswith("36:") and len(head.split()[-1]) == len("36:") + 16


def test_a_damaged_side_file_is_rebuilt_naming_it(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy)
    store = Store(shipped_copy)
    store.save(store.load("john-snow-discussion-paper").model_copy(update={"id": "temporary"}))
    index.update()
    index.close()
    (shipped_copy / ".kb" / "vectors.delta.npz").write_bytes(b"PK\x03\x04 garbage" * 50)
    repaired = Index.open(shipped_copy)
    assert "vectors.delta.npz is damaged" in (repaired.last_report.rebuilt or "")
    assert _ranked(repaired)


def test_a_damaged_embedding_cache_is_rebuilt_naming_it(shipped_copy: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    Index.open(shipped_copy).close()
    cache = index_dir(shipped_copy) / EMBED_CACHE
    cache.write_bytes(b"this is not an SQLite database" * 100)
    with caplog.at_level(logging.WARNING):
        full = Index.open(shipped_copy, full=True)  # `kb reindex --full` failed before
    assert any(EMBED_CACHE in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert _ranked(full)


def test_a_wrongly_shaped_dedup_cache_is_rebuilt_naming_it(shipped_copy: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    store = Store(shipped_copy)
    path = index_dir(shipped_copy) / DEDUP_KEYS
    path.parent.mkdir(parents=True, exist_ok=True)
    expected = dict(KeyCache(store).index().keys)
    damage = ("UPDATE entries SET key = '[1, 2]'",                       # a key that is not one
              "UPDATE entries SET key = '{\"id\": \"x\"}'",            # a key missing fields
              "DROP TABLE blocks",                                      # a table gone
              f"UPDATE meta SET value = '{VERSION + 1}'")                # another version
    for statement in damage:
        with sqlite3.connect(path) as db:
            db.execute(statement)
        with caplog.at_level(logging.WARNING):
            keys = dict(KeyCache(store).index().keys)
        assert keys == expected
        assert any(DEDUP_KEYS in r.getMessage() for r in caplog.records), statement
        caplog.clear()


# -- the running stamp (issue 19: a save costs the same however large the index) ----------

def _insert(db: sqlite3.Connection, rid: int, fids: list[int], sids: list[int], text: str) -> None:
    codes = index_db.Codes(db)
    record = Record(id=f"r{rid}", title=f"title {rid}")
    rec_row = index_db.record_row(rid, record, "0:0", "d", codes)
    findings = [(fid, rid, f"f{fid}", "result", "results", 0, 0, len(text), text, "", "", "", "[]",
                 "[]", text_hash(f"{text} {fid}"), 0) for fid in fids]
    sentences = [(sid, rid, 0, 0, len(text), f"{text} {sid}", 0) for sid in sids]
    index_db.insert_record(db, rec_row, findings, sentences,
                           ("", "", "\n".join(s[5] for s in sentences)))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 7), st.integers(0, 3),
                          st.sampled_from(["a", "b", "a"])), max_size=30))
def test_the_running_stamp_equals_the_stamp_computed_from_every_row(steps: list) -> None:
    """Random adds and deletes (ids reused, texts repeated): after every step the stamp kept in
    the meta table equals the one computed from the rows, and two states with the same rows
    have the same stamp whatever order they were reached in."""
    db = index_db.connect(":memory:")
    live: dict[int, tuple[list[int], list[int]]] = {}
    next_id = 1
    for add, rid, width, text in steps:
        if add and rid not in live:
            ids = list(range(next_id, next_id + width))
            next_id += width
            live[rid] = (ids, [i + 1000 for i in ids])
            _insert(db, rid, *live[rid], text)
        elif not add and rid in live:
            assert index_db.delete_record(db, rid) == live.pop(rid)
            next_id = min(next_id, 1 + max([i for f, _ in live.values() for i in f], default=0))
        for table in ("findings", "sentences"):
            assert index_db.vector_stamp(db, table) == index_db.computed_vector_stamp(db, table)
    assert index_db.vector_stamp(db).startswith(f"{sum(len(f) for f, _ in live.values())}:")


def test_the_running_stamp_changes_with_a_text_under_the_same_ids() -> None:
    db = index_db.connect(":memory:")
    _insert(db, 1, [1, 2], [1, 2], "first")
    before = index_db.vector_stamp(db)
    index_db.delete_record(db, 1)
    _insert(db, 1, [1, 2], [1, 2], "second")
    assert index_db.vector_stamp(db) != before
    assert index_db.vector_stamp(db).startswith("2:")


def test_a_save_does_not_read_every_row(shipped_copy: Path) -> None:
    """The stamp is read from the meta table, not recomputed from the findings."""
    index = Index.open(shipped_copy)
    db = index.require_db()
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    store = Store(shipped_copy)
    store.save(store.load("john-snow-discussion-paper").model_copy(update={"id": "temporary"}))
    index.update()
    db.set_trace_callback(None)
    assert not [s for s in statements if s.startswith(tuple(index_db.STAMP_SQL.values()))]
    assert index_db.vector_stamp(db) == index_db.computed_vector_stamp(db)
    assert index_db.vector_stamp(db, "sentences") == index_db.computed_vector_stamp(db, "sentences")


def test_an_index_written_before_the_running_stamp_opens_without_a_rebuild(shipped_copy: Path) -> None:
    """Vector files stamped the old way (a sha256 over every row) and a meta table without the
    running stamp: the stamp is computed once and stored, the vectors are kept and restamped."""
    index = Index.open(shipped_copy)
    db = index.require_db()
    for space in index.spaces:
        space.vectors.save(space.path, index_db.legacy_vector_stamp(db, space.table))
        space.delta_path.unlink(missing_ok=True)
    db.execute("DELETE FROM meta WHERE key LIKE 'stamp-%'")
    ranked = _ranked(index)
    index.close()
    old = Index.open(shipped_copy)
    assert not old.last_report.rebuilt
    assert _ranked(old) == ranked
    db = old.require_db()
    assert index_db.get_meta(db, "stamp-findings") == index_db.computed_vector_stamp(db)
    old.close()
    again = Index.open(shipped_copy)  # restamped: opens as a current index
    assert not again.last_report.rebuilt
    assert _ranked(again) == ranked
