"""The keyword arm of search: FTS5 over finding text (bm25) and over Chinese translation bigrams.

Cost is kept bounded at any size. Matching costs in proportion to the postings read and bm25
ranking in proportion to the matches, so, using document frequencies from the FTS5 vocabulary:
findings with all the query's discriminating terms come first (the most common terms are left
out of that AND once it would read more than AND_BUDGET postings); an OR over the rarer terms
(within POSTING_BUDGET) widens the net; and an expression matching more than RANK_BUDGET
findings is not ranked at all — words that common say little the meaning arms do not."""

from __future__ import annotations

import logging
import sqlite3

import numpy as np

from kb.search.acronyms import Expansion
from kb.search.lexical import (
    all_of,
    any_of,
    cjk_query_groups,
    has_cjk,
    phrase,
    query_terms,
    quote_fts,
)

log = logging.getLogger(__name__)
POOL = 1000              # keyword matches read per query, before filtering
AND_BUDGET = 200_000     # postings the all-terms query may read (about 25 ms)
POSTING_BUDGET = 8_000   # postings the OR query may read (about 8 ms at 100k findings; 15,000 gave the
                         # same SciFact train nDCG@10, 0.7485, at twice the cost)
RANK_BUDGET = 15_000     # matches an expression may have and still be ranked (about 15 ms)
TEXT_WEIGHT, CONTEXT_WEIGHT = 1.0, 0.35
TOKENIZER = "porter unicode61 remove_diacritics 2"  # the index's tokenizer (kb/index_db.py)
BM25 = f"bm25(findings_fts, {TEXT_WEIGHT}, {CONTEXT_WEIGHT})"
ENGLISH_SQL = (f"SELECT rowid, {BM25} AS s FROM findings_fts WHERE findings_fts MATCH ? "
               "ORDER BY s LIMIT ?")
CHINESE_SQL = ("SELECT rowid, rank FROM findings_zh WHERE findings_zh MATCH ? "
               "ORDER BY rank LIMIT ?")


class Vocabulary:
    """Document frequencies of query terms, read from the FTS5 vocabulary and remembered.

    Terms are stemmed by SQLite's own porter tokenizer (an in-memory FTS5 table), so they are
    looked up exactly as the index stored them."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.size = db.execute("SELECT count(*) FROM findings").fetchone()[0]
        self.zh_size = db.execute("SELECT count(*) FROM findings WHERE zh_grams != ''").fetchone()[0]
        self._df: dict[str, int] = {}
        self._stemmer = sqlite3.connect(":memory:", check_same_thread=False)
        self._stemmer.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{TOKENIZER}')")
        self._stemmer.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")

    def stems(self, term: str) -> list[str]:
        self._stemmer.execute("DELETE FROM t")
        self._stemmer.execute("INSERT INTO t VALUES (?)", (term,))
        return [row[0] for row in self._stemmer.execute("SELECT term FROM v")]

    def df(self, term: str) -> int:
        """How many findings contain `term` (an upper bound when it has several tokens)."""
        if term not in self._df:
            self._df[term] = max((self._stem_df(s) for s in self.stems(term)), default=0)
        return self._df[term]

    def _stem_df(self, stem: str) -> int:
        row = self.db.execute("SELECT doc FROM findings_vocab WHERE term = ?", (stem,)).fetchone()
        return int(row[0]) if row else 0


def alternatives(term: str, expansions: list[Expansion]) -> list[str]:
    """A term and, when it is an acronym, its long forms as phrases."""
    out = [quote_fts(term)]
    for exp in expansions:
        if exp.direction == "acronym→words" and exp.acronym.lower() == term:
            out += [phrase(query_terms(e, keep_stopwords=True)) for e in exp.expansions]
    return out


def _within(vocab: Vocabulary, terms: list[str], budget: int) -> list[str]:
    """The rarest terms whose document frequencies add up to at most `budget`."""
    chosen, spent = [], 0
    for df, term in sorted((vocab.df(t), t) for t in terms):
        if spent + df > budget:
            break
        chosen.append(term)
        spent += df
    return chosen


def all_terms_expr(vocab: Vocabulary, terms: list[str], expansions: list[Expansion]) -> str:
    """Every discriminating term (or one of its alternatives) must occur; terms that occur
    nowhere (and have no alternatives) cannot help and are left out."""
    expandable = {e.acronym.lower() for e in expansions if e.direction == "acronym→words"}
    within = _within(vocab, terms, AND_BUDGET)
    kept = [t for t in within if vocab.df(t) or t in expandable]
    absent = [t for t in within if t not in kept]
    common = [t for t in terms if t not in within]
    if absent:
        log.info("keyword search: left out of the AND as in no finding: %s", ", ".join(absent))
    if common:
        log.info("keyword search: left out of the AND as too common: %s", ", ".join(common))
    return all_of([f"({any_of(alternatives(t, expansions))})" for t in kept])


def rare_terms_expr(vocab: Vocabulary, terms: list[str], expansions: list[Expansion]) -> str:
    """Any of the rarer terms within the posting budget, plus every acronym alternative."""
    parts = [alt for t in _within(vocab, terms, POSTING_BUDGET) for alt in alternatives(t, expansions)]
    parts += [quote_fts(e.acronym.lower()) for e in expansions if e.direction == "words→acronym"]
    parts += [alt for e in expansions if e.direction == "acronym→words"
              for alt in alternatives(e.acronym.lower(), expansions)[1:]]
    return any_of(list(dict.fromkeys(parts)))


def chinese_exprs(query: str) -> tuple[str, str]:
    """(every bigram of every Chinese run, any bigram) as FTS5 expressions."""
    grams = list(dict.fromkeys(g for run in cjk_query_groups(query) for g in run))
    quoted = [quote_fts(g) for g in grams]
    return all_of(quoted), any_of(quoted)


def run_fts(db: sqlite3.Connection, sql: str, expr: str, *, table: str = "",
            size: int = 0, limit: int = POOL) -> list[tuple[int, float]]:
    """(finding id, score) rows of an FTS5 query, lower scores better; [] when the expression
    matches more than RANK_BUDGET rows of a `table` of `size` rows (checked only when given)."""
    if not expr:
        return []
    try:
        if table and size > RANK_BUDGET:
            count = db.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?",
                               (expr,)).fetchone()[0]
            if count > RANK_BUDGET:
                log.info("keyword search: %r matches %d findings, too common to rank", expr, count)
                return []
        return db.execute(sql, (expr, limit)).fetchall()
    except sqlite3.OperationalError as err:  # quoting makes this unreachable; never crash a search
        log.warning("keyword search failed for %r: %s", expr, err)
        return []


def after(strict: list[tuple[int, float]], loose: list[tuple[int, float]]
          ) -> list[tuple[int, float]]:
    """Strict matches, then the loose ones not already there (scores shifted behind)."""
    seen = {f for f, _ in strict}
    loose = [(f, s) for f, s in loose if f not in seen]
    if not loose:
        return strict
    # scores are negative, lower is better: move the loose ones after every strict one
    shift = max((s for _, s in strict), default=0.0) + 1.0 - min(s for _, s in loose)
    return strict + [(f, s + shift) for f, s in loose]


def english_hits(vocab: Vocabulary, terms: list[str], expansions: list[Expansion],
                 allowed: np.ndarray | None = None, enough: int = POOL) -> list[tuple[int, float]]:
    """Findings with all discriminating terms first (by bm25), then some of the rarer terms;
    only `allowed` ones when given. The looser query is not run when the strict one already
    found `enough` findings: its matches all rank behind the strict ones, so a ranking cut at
    `enough` would never reach them."""
    if not terms and not expansions:
        return []
    strict_expr = all_terms_expr(vocab, terms, expansions) if terms else ""
    needs_count = bool(terms) and min(vocab.df(t) for t in terms) > RANK_BUDGET
    found = run_fts(vocab.db, ENGLISH_SQL, strict_expr, table="findings_fts" if needs_count else "",
                    size=vocab.size)
    strict = _only(found, allowed)
    if len(found) >= POOL or len(strict) >= enough or (len(terms) == 1 and not expansions):
        return strict
    loose_expr = rare_terms_expr(vocab, terms, expansions)
    if not loose_expr or loose_expr == strict_expr:
        return strict
    return after(strict, _only(run_fts(vocab.db, ENGLISH_SQL, loose_expr), allowed))


def _only(hits: list[tuple[int, float]], allowed: np.ndarray | None) -> list[tuple[int, float]]:
    """The hits whose finding ids the `allowed` flags let through (all when None)."""
    if allowed is None:
        return hits
    return [(f, s) for f, s in hits if f < len(allowed) and allowed[f]]


def chinese_hits(vocab: Vocabulary, query: str) -> list[tuple[int, float]]:
    """Translations with every bigram of the query first, then those with some of them."""
    if not has_cjk(query):
        return []
    strict_expr, loose_expr = chinese_exprs(query)
    strict = run_fts(vocab.db, CHINESE_SQL, strict_expr, table="findings_zh", size=vocab.zh_size)
    if len(strict) >= POOL or loose_expr == strict_expr:
        return strict
    return after(strict, run_fts(vocab.db, CHINESE_SQL, loose_expr, table="findings_zh",
                                 size=vocab.zh_size))


def keyword_hits(vocab: Vocabulary, query: str, terms: list[str],
                 expansions: list[Expansion], allowed: np.ndarray | None, enough: int = POOL
                 ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """(English hits, Chinese hits), each filtered by the `allowed` finding-id flags; `enough`
    is how deep the caller's ranking reads (see english_hits)."""
    english = english_hits(vocab, terms, expansions, allowed, enough)
    return english, _only(chinese_hits(vocab, query), allowed)
