"""Find records by author or title with fuzzy matching: 'the paper by Chuang', a half-remembered title."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kb.search.lexical import all_of, any_of, fold, query_terms, quote_fts
from kb.search.types import RecordMatch

AUTHOR_THRESHOLD = 88.0
TITLE_THRESHOLD = 85.0
MIN_TITLE_WORDS = 3
AUTHORS_CONSIDERED = 3  # a query names a paper by one of its first authors
TITLE_CANDIDATES = 50


@dataclass
class AuthorTable:
    """First authors' family names → record row ids, bucketed by their first two letters
    (a misspelt name rarely gets those wrong, and buckets keep fuzzy matching fast)."""

    buckets: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    @classmethod
    def from_db(cls, db: sqlite3.Connection) -> AuthorTable:
        return cls.from_rows(db.execute("SELECT rid, families FROM records"))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str]]) -> AuthorTable:
        """From (record row id, space-separated family names) rows of any index backend."""
        table = cls()
        for rid, families in rows:
            for family in families.split()[:AUTHORS_CONSIDERED]:
                if len(family) >= 3:
                    table.buckets.setdefault(family[:2], {}).setdefault(family, []).append(rid)
        return table

    def matches(self, term: str) -> list[tuple[int, float]]:
        """(record row id, score) of records with a first author named like `term`."""
        bucket = self.buckets.get(term[:2], {})
        out = []
        for family, score, _ in process.extract(term, list(bucket), scorer=fuzz.ratio,
                                                score_cutoff=AUTHOR_THRESHOLD, limit=10):
            out += [(rid, score) for rid in bucket[family]]
        return out


def _title_candidates(db: sqlite3.Connection, terms: list[str]) -> list[tuple[int, str]]:
    sql = ("SELECT rowid, title FROM titles_fts WHERE titles_fts MATCH ? ORDER BY rank "
           f"LIMIT {TITLE_CANDIDATES}")
    quoted = [quote_fts(t) for t in terms]
    return (db.execute(sql, (all_of(quoted),)).fetchall()
            or db.execute(sql, (any_of(quoted),)).fetchall())


def lookup_records(db: sqlite3.Connection, authors: AuthorTable, query: str, *,
                   limit: int = 5) -> list[RecordMatch]:
    """Records whose first authors' family names or whose titles match the query."""
    def rows(rids: list[int]) -> Iterable[tuple]:
        marks = ",".join("?" * len(rids))
        return db.execute(f"SELECT rid, id, title, citation FROM records WHERE rid IN ({marks})", rids)

    return match_records(authors, query, lambda terms: _title_candidates(db, terms), rows, limit=limit)


TitleCandidates = Callable[[list[str]], Iterable[tuple[int, str]]]
RecordRows = Callable[[list[int]], Iterable[tuple]]


def match_records(authors: AuthorTable, query: str, title_candidates: TitleCandidates,
                  record_rows: RecordRows, *, limit: int = 5) -> list[RecordMatch]:
    """The lookup itself, for any index backend: authors by fuzzy family name, then titles among
    the backend's keyword candidates; `record_rows` gives (rid, id, title, citation) rows."""
    terms = [t for t in query_terms(query) if len(t) >= 3 and not t.isdigit()]
    if not terms:
        return []
    found: dict[int, tuple[float, str]] = {}
    for term in terms:
        for rid, score in authors.matches(term):
            if score > found.get(rid, (0.0, ""))[0]:
                found[rid] = (score, "author")
    if len(terms) >= MIN_TITLE_WORDS:
        folded = fold(query)
        for rid, title in title_candidates(terms):
            score = fuzz.token_set_ratio(folded, fold(title))
            if score >= TITLE_THRESHOLD and rid not in found:
                found[rid] = (score, "title")
    if not found:
        return []
    matches = [RecordMatch(record_id=r[1], title=r[2], citation=r[3], score=found[r[0]][0],
                           matched=found[r[0]][1]) for r in record_rows(list(found))]
    return sorted(matches, key=lambda m: (-m.score, m.record_id))[:limit]
