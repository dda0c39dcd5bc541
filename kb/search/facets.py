"""What a knowledge base holds, by facet, read from its search index rather than from every
record: how many records and findings, the finding kinds and themes in use, the years, and the
study designs, populations, languages and resource types with how many records have each. The
search page builds its filters from it, so the first page of a knowledge base of 100,000 records
does not read 100,000 record files. The folder index answers from SQLite (kept until the index
changes); a database index from its tables."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import BaseModel, Field

from kb.model.schema import FINDING_KINDS


class Facets(BaseModel):
    """Counts and the values in use; `designs` and `populations` map each spelling found to the
    number of records that give it."""

    records: int = 0
    findings: int = 0
    kinds: list[str] = Field(default_factory=list)  # in FINDING_KINDS order
    themes: list[str] = Field(default_factory=list)  # theme ids, sorted
    year_min: int | None = None
    year_max: int | None = None
    designs: dict[str, int] = Field(default_factory=dict)
    populations: dict[str, int] = Field(default_factory=dict)
    languages: list[str] = Field(default_factory=list)
    resource_types: list[str] = Field(default_factory=list)


def _in_kind_order(kinds: set[str]) -> list[str]:
    return [k for k in FINDING_KINDS if k in kinds]


def folder_facets(db: sqlite3.Connection) -> Facets:
    """Facets of a folder's index (kb.search.index_db tables; list columns are JSON text)."""
    records, findings, year_min, year_max = db.execute(
        "SELECT count(*), coalesce(sum(n_findings), 0), min(year), max(year) FROM records").fetchone()
    kinds: set[str] = set()
    themes: set[str] = set()
    for kind, text in db.execute("SELECT DISTINCT kind, themes FROM findings"):  # one pass
        kinds.add(kind)
        themes.update(json.loads(text))

    def counted(column: str) -> dict[str, int]:
        rows = db.execute(f"SELECT j.value, count(*) FROM records, json_each(records.{column}) AS j "
                          "GROUP BY j.value")
        return {str(value): int(n) for value, n in rows}

    return Facets(
        records=records, findings=findings, year_min=year_min, year_max=year_max,
        kinds=_in_kind_order(kinds),
        themes=sorted(themes), designs=counted("designs"), populations=counted("populations"),
        languages=sorted({str(v) for (v,) in db.execute(
            "SELECT DISTINCT j.value FROM records, json_each(records.languages) AS j")}),
        resource_types=sorted(t for (t,) in db.execute(
            "SELECT DISTINCT resource_type FROM records WHERE resource_type <> ''") if t))


def pg_facets(conn: Any) -> Facets:
    """Facets of a database index (kb.store.pg_schema's search_records and findings; list
    columns are arrays). `conn`: a psycopg connection."""
    records, year_min, year_max = conn.execute(
        "SELECT count(*), min(year), max(year) FROM search_records").fetchone()

    def counted(column: str) -> dict[str, int]:
        rows = conn.execute(f"SELECT v, count(*) FROM search_records, unnest({column}) AS v GROUP BY v")
        return {str(value): int(n) for value, n in rows}

    def distinct(sql: str) -> list[str]:
        return sorted(str(v) for (v,) in conn.execute(sql) if v)

    return Facets(
        records=records, findings=conn.execute("SELECT count(*) FROM findings").fetchone()[0],
        year_min=year_min, year_max=year_max,
        kinds=_in_kind_order(set(distinct("SELECT DISTINCT kind FROM findings"))),
        themes=distinct("SELECT DISTINCT unnest(themes) FROM findings"),
        designs=counted("designs"), populations=counted("populations"),
        languages=distinct("SELECT DISTINCT unnest(languages) FROM search_records"),
        resource_types=distinct("SELECT DISTINCT resource_type FROM search_records"))
