"""Per-finding filter columns (kind, year, resource type, languages, themes) held in memory as
numpy arrays, so filters cost a few vector operations even over a million findings."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from kb.model.schema import FINDING_KINDS

COLUMNS_SQL = ("SELECT f.fid, f.rid, f.kind, coalesce(r.year, -1), coalesce(r.resource_type, ''), "
               "r.lang_bits, f.theme_bits FROM findings f JOIN records r ON r.rid = f.rid "
               "WHERE f.fid >= ? ORDER BY f.fid")
KIND_CODES = {k: i for i, k in enumerate(FINDING_KINDS)}


def _empty(dtype: type) -> np.ndarray:
    return np.zeros(0, dtype)


@dataclass
class FilterArrays:
    """Filter columns aligned by position; `fid` is sorted ascending."""

    fid: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    rid: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    kind: np.ndarray = field(default_factory=lambda: _empty(np.int8))
    year: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    rtype: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    langs: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    themes: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    rtype_codes: dict[str, int] = field(default_factory=dict)

    @property
    def upper(self) -> int:
        """One more than the largest finding id."""
        return int(self.fid[-1]) + 1 if len(self.fid) else 1

    def known(self, fids: list[int]) -> list[int]:
        """The finding ids these columns hold, in the given order. SQLite is read live while the
        columns are a snapshot taken when the index was opened or last updated: a writer may
        have committed findings since, which the finding arms then leave out until the index is
        updated (a record added meanwhile can still come up through its whole-record text, read
        complete from SQLite)."""
        if not fids or not len(self.fid):
            return []
        wanted = np.array(fids, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.fid, wanted), len(self.fid) - 1)
        held = self.fid[at] == wanted
        return [f for f, ok in zip(fids, held.tolist(), strict=True) if ok]

    def rids_of(self, fids: list[int]) -> list[int]:
        """The record row id of each (indexed) finding id."""
        if not fids:
            return []
        return self.rid[np.searchsorted(self.fid, np.array(fids, dtype=np.int64))].tolist()

    @classmethod
    def load(cls, db: sqlite3.Connection) -> FilterArrays:
        return cls().extended(db, since_fid=0)

    def extended(self, db: sqlite3.Connection, *, since_fid: int,
                 removed: list[int] | None = None) -> FilterArrays:
        """These columns without the `removed` findings, plus the rows from `since_fid` on."""
        keep = ~np.isin(self.fid, np.array(removed or [], np.int64)) & (self.fid < since_fid)
        rows = db.execute(COLUMNS_SQL, (since_fid,)).fetchall()
        codes = dict(self.rtype_codes)
        for name in sorted({r[4] for r in rows} - set(codes)):
            codes[name] = len(codes)
        cols: list[tuple] = list(zip(*rows, strict=True)) if rows else [() for _ in range(7)]
        new = {
            "fid": np.array(cols[0], np.int64), "rid": np.array(cols[1], np.int64),
            "kind": np.array([KIND_CODES.get(k, -1) for k in cols[2]], np.int8),
            "year": np.array(cols[3], np.int32),
            "rtype": np.array([codes[t] for t in cols[4]], np.int32),
            "langs": np.array(cols[5], np.int64), "themes": np.array(cols[6], np.int64)}
        merged = {name: np.concatenate([getattr(self, name)[keep], values])
                  for name, values in new.items()}
        return FilterArrays(**merged, rtype_codes=codes)
