"""The keyword arm of search: FTS5 over finding text (bm25) and over Chinese translation bigrams.

Cost is kept bounded at any size: every query term must match first (an AND query is cheap),
then an OR query widens the net with the rarer terms only, up to a budget of postings estimated
from the FTS5 vocabulary."""

from __future__ import annotations

import logging
import sqlite3

import numpy as np

from kb.acronyms import Expansion
from kb.lexical import (all_of, any_of, cjk_query_groups, has_cjk, phrase, query_terms,
                        quote_fts, stem_prefix)

log = logging.getLogger(__name__)
POOL = 1000              # keyword matches read per query, before filtering
POSTING_BUDGET = 30_000  # documents the OR query may touch (about 15 ms)
TEXT_WEIGHT, CONTEXT_WEIGHT = 1.0, 0.35
BM25 = f"bm25(findings_fts, {TEXT_WEIGHT}, {CONTEXT_WEIGHT})"
ENGLISH_SQL = (f"SELECT rowid, {BM25} AS s FROM findings_fts WHERE findings_fts MATCH ? "
               "ORDER BY s LIMIT ?")
CHINESE_SQL = ("SELECT rowid, rank FROM findings_zh WHERE findings_zh MATCH ? "
               "ORDER BY rank LIMIT ?")


def document_frequency(db: sqlite3.Connection, term: str) -> int:
    """About how many findings contain a word form of `term` (from the FTS5 vocabulary)."""
    prefix = stem_prefix(term)
    row = db.execute("SELECT sum(doc) FROM findings_vocab WHERE term >= ? AND term < ?",
                     (prefix, prefix + "\uffff")).fetchone()
    return int(row[0] or 0)


def alternatives(term: str, expansions: list[Expansion]) -> list[str]:
    """A term and, when it is an acronym, its long forms as phrases."""
    out = [quote_fts(term)]
    for exp in expansions:
        if exp.direction == "acronym→words" and exp.acronym.lower() == term:
            out += [phrase(query_terms(e, keep_stopwords=True)) for e in exp.expansions]
    return out


def all_terms_expr(terms: list[str], expansions: list[Expansion]) -> str:
    """Every term (or one of its alternatives) must occur."""
    return all_of([f"({any_of(alternatives(t, expansions))})" for t in terms])


def rare_terms_expr(db: sqlite3.Connection, terms: list[str], expansions: list[Expansion]) -> str:
    """Any of the rarer terms within the posting budget, plus every acronym alternative."""
    chosen, spent = [], 0
    for df, term in sorted((document_frequency(db, t), t) for t in terms):
        if chosen and spent + df > POSTING_BUDGET:
            break
        chosen.append(term)
        spent += df
    parts = [alt for t in chosen for alt in alternatives(t, expansions)]
    parts += [quote_fts(e.acronym.lower()) for e in expansions if e.direction == "words→acronym"]
    parts += [alt for e in expansions if e.direction == "acronym→words"
              for alt in alternatives(e.acronym.lower(), expansions)[1:]]
    return any_of(list(dict.fromkeys(parts)))


def chinese_exprs(query: str) -> tuple[str, str]:
    """(every bigram of every Chinese run, any bigram) as FTS5 expressions."""
    grams = list(dict.fromkeys(g for run in cjk_query_groups(query) for g in run))
    quoted = [quote_fts(g) for g in grams]
    return all_of(quoted), any_of(quoted)


def run_fts(db: sqlite3.Connection, sql: str, expr: str) -> list[tuple[int, float]]:
    """(finding id, score) rows of an FTS5 query; lower scores are better."""
    if not expr:
        return []
    try:
        return db.execute(sql, (expr, POOL)).fetchall()
    except sqlite3.OperationalError as err:  # quoting makes this unreachable; never crash a search
        log.warning("keyword search failed for %r: %s", expr, err)
        return []


def strict_then_loose(db: sqlite3.Connection, sql: str, strict_expr: str, loose_expr: str
                      ) -> list[tuple[int, float]]:
    """Matches of the strict expression (by score), then the loose one's other matches."""
    strict = run_fts(db, sql, strict_expr)
    if len(strict) >= POOL or not loose_expr or loose_expr == strict_expr:
        return strict
    seen = {f for f, _ in strict}
    loose = [(f, s) for f, s in run_fts(db, sql, loose_expr) if f not in seen]
    if not loose:
        return strict
    # scores are negative, lower is better: move the loose ones after every strict one
    shift = max((s for _, s in strict), default=0.0) + 1.0 - min(s for _, s in loose)
    return strict + [(f, s + shift) for f, s in loose]


def english_hits(db: sqlite3.Connection, terms: list[str], expansions: list[Expansion]
                 ) -> list[tuple[int, float]]:
    """Findings with all terms first (by bm25), then findings with some of the rarer terms."""
    if not terms and not expansions:
        return []
    strict = all_terms_expr(terms, expansions) if terms else ""
    loose = ("" if len(terms) == 1 and not expansions
             else rare_terms_expr(db, terms, expansions))
    return strict_then_loose(db, ENGLISH_SQL, strict, loose)


def chinese_hits(db: sqlite3.Connection, query: str) -> list[tuple[int, float]]:
    """Translations with every bigram of the query first, then those with some of them."""
    if not has_cjk(query):
        return []
    return strict_then_loose(db, CHINESE_SQL, *chinese_exprs(query))


def keyword_hits(db: sqlite3.Connection, query: str, terms: list[str],
                 expansions: list[Expansion], allowed: np.ndarray | None
                 ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """(English hits, Chinese hits), each filtered by the `allowed` finding-id flags."""
    english = english_hits(db, terms, expansions)
    chinese = chinese_hits(db, query)
    if allowed is not None:
        english, chinese = ([(f, s) for f, s in arm if f < len(allowed) and allowed[f]]
                            for arm in (english, chinese))
    return english, chinese
