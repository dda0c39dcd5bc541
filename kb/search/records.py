"""The record-level arms of search: keywords over the whole record (title, keywords, every
abstract sentence; FTS5 bm25 with column weights) and meaning over every sentence (a record
scores its best sentence). They let a record be found through a background or methods sentence
that no finding holds."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from kb.search.acronyms import Expansion
from kb.search.keyword import POOL, Vocabulary, alternatives, run_fts
from kb.search.lexical import any_of, quote_fts
from kb.search.spaces import Space
from kb.search.tuning import Tuning
from kb.search.vectors import id_bitmap

log = logging.getLogger(__name__)
POSTING_BUDGET = 50_000  # postings the whole-record OR query may read (the rarest terms first):
                        # it bounds the cost at a million findings; 400,000 gave the same SciFact
                        # train nDCG@10 (0.7485)


class RecordVocabulary(Vocabulary):
    """Document frequencies of terms in the whole-record keyword index."""

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__(db)
        self.size = db.execute("SELECT count(*) FROM records").fetchone()[0]

    def _stem_df(self, stem: str) -> int:
        row = self.db.execute("SELECT doc FROM records_vocab WHERE term = ?", (stem,)).fetchone()
        return int(row[0]) if row else 0


def record_bm25(tuning: Tuning) -> str:
    """The ranking expression, with the column weights (numbers, never user text)."""
    weights = (float(tuning.title_weight), float(tuning.keywords_weight), float(tuning.body_weight))
    return f"bm25(records_fts, {weights[0]!r}, {weights[1]!r}, {weights[2]!r})"


def record_terms_expr(vocab: RecordVocabulary, terms: list[str],
                      expansions: list[Expansion]) -> str:
    """Any query term (or an acronym's long form), the rarest first within POSTING_BUDGET."""
    chosen, spent = [], 0
    for df, term in sorted((vocab.df(t), t) for t in terms):
        if df and spent + df > POSTING_BUDGET:
            log.info("record keywords: left out as too common: %s", term)
            continue
        chosen.append(term)
        spent += df
    parts = [alt for t in chosen for alt in alternatives(t, expansions)]
    parts += [quote_fts(e.acronym.lower()) for e in expansions if e.direction == "words→acronym"]
    parts += [alt for e in expansions if e.direction == "acronym→words"
              for alt in alternatives(e.acronym.lower(), expansions)[1:]]
    return any_of(list(dict.fromkeys(parts)))


def record_keyword_ranking(vocab: RecordVocabulary, terms: list[str], expansions: list[Expansion],
                           tuning: Tuning, allowed: np.ndarray | None) -> list[tuple[int, float]]:
    """(record row id, bm25) best first; `allowed` flags record row ids that pass the filters."""
    expr = record_terms_expr(vocab, terms, expansions) if terms or expansions else ""
    sql = (f"SELECT rowid, {record_bm25(tuning)} AS s FROM records_fts WHERE records_fts MATCH ? "
           "ORDER BY s, rowid LIMIT ?")
    rows = run_fts(vocab.db, sql, expr, limit=POOL if allowed is not None else tuning.record_candidates)
    if allowed is not None:
        rows = [(r, s) for r, s in rows if r < len(allowed) and allowed[r]]
    return rows[:tuning.record_candidates]


@dataclass
class SentenceTable:
    """Which record each sentence row belongs to and whether it holds a finding, by sentence id."""

    rid: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    fid: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @classmethod
    def load(cls, db: sqlite3.Connection) -> SentenceTable:
        rows = np.array(db.execute("SELECT sid, rid, fid FROM sentences ORDER BY sid").fetchall(),
                        dtype=np.int64).reshape(-1, 3)
        upper = int(rows[:, 0].max()) + 1 if len(rows) else 1
        rid, fid = np.full(upper, -1, np.int64), np.zeros(upper, np.int64)
        rid[rows[:, 0]], fid[rows[:, 0]] = rows[:, 1], rows[:, 2]
        return cls(rid, fid)


@dataclass
class BestSentences:
    """Records ranked by their best sentence, with that sentence and its cosine."""

    ranking: list[int] = field(default_factory=list)
    best: dict[int, tuple[int, float]] = field(default_factory=dict)   # rid → (sid, cosine)


def sentence_filter(table: SentenceTable, allowed: np.ndarray | None
                    ) -> tuple[np.ndarray | None, float]:
    """(bitmap of the sentence ids of records that pass the filters, their share); (None, 1)
    when nothing is filtered. `allowed` flags record row ids."""
    if allowed is None:
        return None, 1.0
    ok = (table.rid >= 0) & (table.rid < len(allowed))
    ok[ok] = allowed[table.rid[ok]]
    return id_bitmap(np.flatnonzero(ok), len(ok)), float(ok.mean()) if len(ok) else 1.0


def search_sentences(space: Space, vector: np.ndarray, tuning: Tuning,
                     allowed: tuple[np.ndarray | None, float]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence ids, cosines) nearest the query vector among the allowed sentences."""
    return space.vectors.search(vector, tuning.sentence_candidates, *allowed)


def best_sentences(table: SentenceTable, ids: np.ndarray, scores: np.ndarray,
                   tuning: Tuning) -> BestSentences:
    """Records by the cosine of their closest sentence, from the nearest sentences found."""
    rids = [int(table.rid[sid]) if sid < len(table.rid) else -1 for sid in ids.tolist()]
    return best_of(zip(ids.tolist(), rids, scores.tolist(), strict=True), tuning)


def best_of(nearest: Iterable[tuple[int, int, float]], tuning: Tuning) -> BestSentences:
    """Records by their first (closest) sentence among (sentence id, record row id, cosine)
    nearest first (a record row id below 0: a sentence no longer indexed), at most
    tuning.record_candidates records."""
    out = BestSentences()
    for sid, rid, score in nearest:
        if rid >= 0 and rid not in out.best:
            out.best[rid] = (sid, float(score))
            out.ranking.append(rid)
            if len(out.ranking) >= tuning.record_candidates:
                break
    return out
