"""Things derived from the index: kept until it changes; on a large index the old ones answer
while fresh ones are built in the background."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from kb import config
from kb.search.derived import Derived
from kb.search.hybrid import index_sentences, search
from kb.search.index import Index
from kb.store import Store


def _db(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    return db


def _count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM t").fetchone()[0])


def test_kept_until_a_change_then_rebuilt_in_the_background(tmp_path: Path) -> None:
    db = _db(tmp_path / "d.sqlite")
    derived = Derived(lambda: _db(tmp_path / "d.sqlite"))
    assert derived.get_or_build("n", _count, db) == 0
    db.execute("INSERT INTO t VALUES (1)")
    assert derived.get_or_build("n", _count, db) == 0  # no change announced: kept
    gate = threading.Event()

    def slow_count(conn: sqlite3.Connection) -> int:
        gate.wait(5)
        return _count(conn)

    derived.changed(keep=True)
    assert derived.get_or_build("n", slow_count, db) == 0  # the old value, at once
    gate.set()
    derived.wait()
    assert derived.get_or_build("n", slow_count, db) == 1  # the fresh one, built meanwhile
    db.execute("INSERT INTO t VALUES (2)")
    derived.changed(keep=False)
    assert derived.get_or_build("n", _count, db) == 2  # dropped: built now
    derived.close()


def test_a_build_finished_after_another_change_is_not_kept(tmp_path: Path) -> None:
    db = _db(tmp_path / "d.sqlite")
    derived = Derived(lambda: _db(tmp_path / "d.sqlite"))
    derived.get_or_build("n", _count, db)
    gate = threading.Event()

    def slow_count(conn: sqlite3.Connection) -> int:
        gate.wait(5)
        return _count(conn)

    derived.changed(keep=True)
    derived.get_or_build("n", slow_count, db)
    db.execute("INSERT INTO t VALUES (1)")
    derived.changed(keep=True)  # while the first rebuild runs
    gate.set()
    derived.wait()
    assert "n" not in derived  # its result belonged to the state before
    derived.close()


def test_a_large_index_answers_at_once_after_adding_a_record(
        shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "STALE_DERIVED_FROM", 1)  # every index counts as large
    index = Index.open(shipped_copy, multilingual=False)
    search(index, "braided funding", k=5)
    before = index_sentences(index)
    store = Store(shipped_copy)
    copy = store.load("chuang-2025-collaboration-strategies").model_copy(update={"id": "chuang-copy"})
    store.save(copy)
    index.update(records=["chuang-copy"])
    assert index_sentences(index) is before  # the old table answers while a new one is built
    index.cache.wait()
    after = index_sentences(index)
    assert after is not before and len(after.rid) > len(before.rid)
    hits = {h.record_id for h in search(index, copy.findings[0].text, k=10).hits()}
    assert "chuang-copy" in hits
    index.close()


def test_a_small_index_drops_them_at_once(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy, multilingual=False)
    before = index_sentences(index)
    store = Store(shipped_copy)
    store.save(store.load("chuang-2025-collaboration-strategies").model_copy(update={"id": "chuang-copy"}))
    index.update(records=["chuang-copy"])
    assert len(index_sentences(index).rid) > len(before.rid)
    index.close()
