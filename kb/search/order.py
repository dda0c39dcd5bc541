"""The stable order in which search breaks ties: findings by (record id, finding id), records
by record id — an order that survives re-indexing, unlike row ids. Held in memory as one
ordinal per row id, read once per index version, so a query's tie-breaks cost a few array reads
instead of SQL lookups of every candidate."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np

FINDINGS_SQL = ("SELECT f.fid FROM findings f JOIN records r ON r.rid = f.rid "
                "ORDER BY r.id, f.finding_id")
RECORDS_SQL = "SELECT rid FROM records ORDER BY id"


def _ordinals(rows: sqlite3.Cursor) -> np.ndarray:
    """Position of each row id in the cursor's order; -1 for ids it did not return."""
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64)
    out = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
    out[ids] = np.arange(len(ids), dtype=np.int64)
    return out


class StableOrder:
    """Sort keys of finding and record row ids (SQLite's binary collation orders UTF-8 text
    by code point, as Python compares str). A row committed after this was read (a concurrent
    writer's) sorts after every row it knows, by row id, until the index is next updated."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._findings = _ordinals(db.execute(FINDINGS_SQL))
        self._records = _ordinals(db.execute(RECORDS_SQL))

    def finding_keys(self, fids: Iterable[int]) -> dict[int, int]:
        """Sort key by finding row id."""
        return _keys(self._findings, fids)

    def record_keys(self, rids: Iterable[int]) -> dict[int, int]:
        """Sort key by record row id."""
        return _keys(self._records, rids)


def _keys(ordinals: np.ndarray, ids: Iterable[int]) -> dict[int, int]:
    wanted = np.fromiter(ids, dtype=np.int64)
    if not len(wanted):
        return {}
    known = np.zeros(len(wanted), dtype=np.int64) - 1
    inside = (wanted >= 0) & (wanted < len(ordinals))
    known[inside] = ordinals[wanted[inside]]
    late = known < 0
    known[late] = len(ordinals) + wanted[late]
    return dict(zip(wanted.tolist(), known.tolist(), strict=True))
