"""Find records by author or title with fuzzy matching: 'the paper by Chuang', a half-remembered title."""

from __future__ import annotations

import sqlite3

from rapidfuzz import fuzz

from kb.lexical import fold, query_terms
from kb.search_types import RecordMatch

AUTHOR_THRESHOLD = 88.0
TITLE_THRESHOLD = 85.0
MIN_TITLE_WORDS = 3


def lookup_records(db: sqlite3.Connection, query: str, *, limit: int = 5) -> list[RecordMatch]:
    """Records whose first authors' family names or whose titles match the query."""
    terms = [t for t in query_terms(query) if len(t) >= 3 and not t.isdigit()]
    if not terms:
        return []
    folded = fold(query)
    matches: dict[str, RecordMatch] = {}
    for record_id, title, families, citation in db.execute(
            "SELECT id, title, families, citation FROM records"):
        author = _author_score(terms, families.split())
        if author >= AUTHOR_THRESHOLD:
            matches[record_id] = RecordMatch(record_id=record_id, title=title, citation=citation,
                                             score=author, matched="author")
            continue
        if title and len(terms) >= MIN_TITLE_WORDS:
            score = fuzz.token_set_ratio(folded, fold(title))
            if score >= TITLE_THRESHOLD:
                matches[record_id] = RecordMatch(record_id=record_id, title=title,
                                                 citation=citation, score=score, matched="title")
    return sorted(matches.values(), key=lambda m: (-m.score, m.record_id))[:limit]


def _author_score(terms: list[str], families: list[str]) -> float:
    """Best similarity of a query word to one of the first three authors' family names."""
    best = 0.0
    for family in families[:3]:
        if len(family) < 3:
            continue
        for term in terms:
            best = max(best, fuzz.ratio(term, family))
    return best
