"""The stable tie-breaking order: findings by (record id, finding id), records by id, whatever
row ids SQLite assigned; rows it has not seen sort after the ones it knows."""

from __future__ import annotations

import random
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search.order import StableOrder

_IDS = st.text(alphabet="ab-zé09", min_size=1, max_size=6)


def _db(records: list[str], findings: list[tuple[int, str]], seed: int) -> sqlite3.Connection:
    """Records and findings inserted in a shuffled order, so row ids say nothing of ids."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE records (rid INTEGER PRIMARY KEY, id TEXT)")
    db.execute("CREATE TABLE findings (fid INTEGER PRIMARY KEY, rid INTEGER, finding_id TEXT)")
    rows = list(enumerate(records, start=1))
    random.Random(seed).shuffle(rows)
    db.executemany("INSERT INTO records VALUES (?, ?)", [(rid * 3, rec) for rid, rec in rows])
    shuffled = list(findings)
    random.Random(seed + 1).shuffle(shuffled)
    db.executemany("INSERT INTO findings (rid, finding_id) VALUES (?, ?)",
                   [(rec * 3, fid) for rec, fid in shuffled])
    return db


@settings(max_examples=60, deadline=None)
@given(records=st.lists(_IDS, min_size=1, max_size=8, unique=True),
       data=st.data(), seed=st.integers(0, 1000))
def test_keys_sort_as_the_ids_do(records: list[str], data: st.DataObject, seed: int) -> None:
    findings = data.draw(st.lists(st.tuples(st.integers(1, len(records)), _IDS), max_size=20,
                                  unique=True))
    db = _db(records, findings, seed)
    order = StableOrder(db)
    rows = db.execute("SELECT f.fid, r.id, f.finding_id FROM findings f "
                      "JOIN records r ON r.rid = f.rid").fetchall()
    keys = order.finding_keys(f for f, _, _ in rows)
    assert sorted(rows, key=lambda r: keys[r[0]]) == sorted(rows, key=lambda r: (r[1], r[2]))
    rids = [r for r, _ in db.execute("SELECT rid, id FROM records")]
    record_keys = order.record_keys(rids)
    ids = dict(db.execute("SELECT rid, id FROM records").fetchall())
    assert sorted(rids, key=record_keys.__getitem__) == sorted(rids, key=ids.__getitem__)


def test_rows_added_later_sort_after_known_ones_by_row_id() -> None:
    db = _db(["b", "a"], [(1, "f1"), (2, "f1")], seed=0)
    order = StableOrder(db)
    db.execute("INSERT INTO records VALUES (100, 'aa')")
    db.execute("INSERT INTO findings VALUES (50, 100, 'f0')")
    keys = order.finding_keys([50, 1, 2, 51])
    assert max(keys[1], keys[2]) < keys[50] < keys[51]
    assert order.record_keys([100, 3, 6])[100] > max(order.record_keys([3, 6]).values())
    assert order.finding_keys([]) == {}


def test_an_empty_index_has_an_order() -> None:
    order = StableOrder(_db(["a"], [], seed=0))
    assert order.finding_keys([7]) == {7: 7}
