"""Turn SearchFilters into a mask over the index's in-memory finding columns."""

from __future__ import annotations

import sqlite3

import numpy as np

from kb.model.schema import FINDING_KINDS
from kb.search.columns import FilterArrays
from kb.search.types import SearchFilters


def _codes(db: sqlite3.Connection, kind: str) -> dict[str, int]:
    return dict(db.execute("SELECT name, bit FROM codes WHERE kind = ?", (kind,)))


def _bits(db: sqlite3.Connection, kind: str, names: list[str]) -> int:
    codes = _codes(db, kind)
    out = 0
    for name in names:
        if name in codes:
            out |= 1 << codes[name]
    return out


def _record_rids(db: sqlite3.Connection, column: str, needles: list[str]) -> np.ndarray:
    """Record row ids whose JSON list column contains any needle (case-insensitive)."""
    clause = " OR ".join(f"lower({column}) LIKE ? ESCAPE '\\'" for _ in needles)
    args = ["%" + n.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for n in needles]
    rows = db.execute(f"SELECT rid FROM records WHERE {clause}", args).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def finding_mask(db: sqlite3.Connection, arrays: FilterArrays, filters: SearchFilters
                 ) -> np.ndarray | None:
    """A boolean mask over `arrays` positions, or None when nothing is filtered."""
    if not filters.active():
        return None
    mask = np.ones(len(arrays.fid), dtype=bool)
    if filters.kinds:
        wanted = np.zeros(len(FINDING_KINDS) + 1, dtype=bool)  # index -1 (unknown) stays False
        wanted[[FINDING_KINDS.index(k) for k in filters.kinds]] = True
        mask &= wanted[arrays.kind]
    if filters.themes:
        mask &= (arrays.themes & _bits(db, "theme", filters.themes)) != 0
    if filters.languages:
        mask &= (arrays.langs & _bits(db, "language", filters.languages)) != 0
    if filters.year_from is not None:
        mask &= arrays.year >= filters.year_from
    if filters.year_to is not None:
        mask &= (arrays.year <= filters.year_to) & (arrays.year >= 0)
    if filters.resource_types:
        codes = [arrays.rtype_codes[t] for t in filters.resource_types if t in arrays.rtype_codes]
        mask &= np.isin(arrays.rtype, codes)
    if filters.designs:
        mask &= np.isin(arrays.rid, _record_rids(db, "designs", filters.designs))
    if filters.populations:
        mask &= np.isin(arrays.rid, _record_rids(db, "populations", filters.populations))
    if filters.record_ids:
        marks = ",".join("?" * len(filters.record_ids))
        rids = [r[0] for r in db.execute(f"SELECT rid FROM records WHERE id IN ({marks})",
                                         filters.record_ids)]
        mask &= np.isin(arrays.rid, rids)
    return mask


def allowed_by_fid(arrays: FilterArrays, mask: np.ndarray) -> np.ndarray:
    """A boolean array indexed by finding id: True where the finding passes the filters."""
    out = np.zeros(arrays.upper, dtype=bool)
    out[arrays.fid[mask]] = True
    return out
