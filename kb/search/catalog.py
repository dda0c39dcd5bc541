"""What the app lists without reading every record: each record's library row and the support of
each theme (how many records and findings have it, and which records), read from the search
index — the folder's SQLite (kept until the index changes) or a database's tables. At 100,000
records reading every record file took minutes; these are one query each."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from typing import Any

from pydantic import BaseModel, Field

from kb.model.present import LibraryRow, library_order


class ThemeSupport(BaseModel):
    """Every theme some finding has: the records that have it (in index order) and its number
    of findings."""

    records: dict[str, list[str]] = Field(default_factory=dict)
    findings: dict[str, int] = Field(default_factory=dict)


def _rows(listings: Any) -> list[LibraryRow]:
    return library_order([LibraryRow.model_validate_json(text) for (text,) in listings if text])


def folder_catalog(db: sqlite3.Connection) -> list[LibraryRow]:
    """Every indexed record's library row, newest first then by id (kb.search.index_db)."""
    return _rows(db.execute("SELECT listing FROM records"))


def pg_catalog(conn: Any) -> list[LibraryRow]:
    """The same from a database index (search_records.listing). `conn`: a psycopg connection."""
    return _rows(conn.execute("SELECT listing FROM search_records"))


def _support(pairs: Any, decode: Any) -> ThemeSupport:
    records: dict[str, dict[str, None]] = defaultdict(dict)
    findings: Counter[str] = Counter()
    for record_id, themes in pairs:
        for theme in dict.fromkeys(decode(themes)):
            records[theme][record_id] = None
            findings[theme] += 1
    return ThemeSupport(records={t: list(ids) for t, ids in records.items()}, findings=dict(findings))


def folder_theme_support(db: sqlite3.Connection) -> ThemeSupport:
    """Theme support from a folder's index (findings.themes is JSON text)."""
    return _support(db.execute("SELECT r.id, f.themes FROM findings f JOIN records r ON r.rid = f.rid "
                               "ORDER BY f.fid"), json.loads)


def pg_theme_support(conn: Any) -> ThemeSupport:
    """Theme support from a database index (findings.themes is an array)."""
    return _support(conn.execute("SELECT record_id, themes FROM findings ORDER BY fid"), list)
