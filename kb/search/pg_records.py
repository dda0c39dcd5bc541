"""The record-level arms of PostgreSQL search, as the folder's (kb.search.records): keywords over
the whole record (search_records.tsv: title A, keywords B, abstract C) and meaning over every
sentence (search_sentences; a record scores its best sentence); and the groups of the response,
built in record order from the same pure pieces as the folder's (kb.search.grouping).

The keyword score: PostgreSQL has no bm25, and ts_rank alone knows nothing of how rare a word
is, so a record scores the sum over the query's terms of the term's inverse document frequency
(FTS5's bm25 idf, from record counts) times ts_rank of that term alone (occurrences saturating,
the column weights of kb.search.tuning, divided by 1 + log of the record's length). As on a
folder, the terms are taken rarest first within a budget (kb.search.records' POSTING_BUDGET,
and RANK_RECORDS: PostgreSQL reads each match's tsvector to rank it), so a very common word
costs nothing; Chinese queries add their bigrams (the pre-segmentation of the
findings' zh_tsv)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import psycopg

from kb.search.acronyms import Expansion
from kb.search.arms import Ranking
from kb.search.grouping import SENTENCE_SQL, assemble, by_words, choose_records
from kb.search.index_db import TITLE_SECTION
from kb.search.lexical import cjk_query_groups, has_cjk
from kb.search.pg_words import Lexemes, alternatives, any_of, quote_lexeme
from kb.search.records import POSTING_BUDGET, BestSentences, best_of
from kb.search.tuning import Tuning
from kb.search.types import RecordGroup

if TYPE_CHECKING:
    from kb.search.pg_index import PgIndex

RANK_RECORDS = 1_000  # records the whole-record keyword arm may score (the sum of its terms' record
                     # counts, rarest terms first): each match's tsvector is read and ranked (about
                     # 20 us a record on a loaded machine at 100k findings: 'health | care | program',
                     # 6,178 matches, took 138 ms), where FTS5 reads only postings (POSTING_BUDGET)
SENTENCES = 200      # nearest sentences read (and hnsw.ef_search): an HNSW walk of 1,000 took 87-218 ms
                     # at 110k sentences on a loaded machine, of 200 14 ms, which still holds ~185 records
                     # (tuning.record_candidates is 100); the folder reads tuning.sentence_candidates
HIT_SQL = ("SELECT f.fid, f.record_id, f.finding_id, f.kind, f.text, f.section, f.span_start, "
           "f.span_end, f.themes, f.effects, f.zh, f.rid, f.context FROM findings f WHERE f.fid = ANY(%s)")
GROUP_SQL = ("SELECT rid, id, title, authors, year, venue, resource_type, citation, designs "
             "FROM search_records WHERE rid = ANY(%s)")
CONTEXT_SQL = ("SELECT rid, sid, section, span_start, span_end, text FROM search_sentences "
               f"WHERE rid = ANY(%s) AND NOT has_finding AND section > {TITLE_SECTION} ORDER BY sid")
assert "fid = 0" in SENTENCE_SQL  # CONTEXT_SQL is the folder's SENTENCE_SQL (fid = 0: no finding)


def allowed_sql(alias: str, where: str) -> str:
    """A condition on a row of `alias` (holding rid): its record has a finding passing the
    filters (the folder's _allowed_records); nothing when no filter is set."""
    return "" if where == "TRUE" else f" AND EXISTS (SELECT 1 FROM findings f WHERE f.rid = {alias}.rid AND {where})"


# -- whole-record keywords ---------------------------------------------------------------------
def idf(size: int, df: int) -> float:
    """FTS5's bm25 inverse document frequency (a floor of 1e-6 for a term in half the records)."""
    value = math.log((size - df + 0.5) / (df + 0.5))
    return value if value > 0 else 1e-6


def record_count(index: PgIndex, conn: psycopg.Connection) -> int:
    if "record_count" not in index.cache:
        row = conn.execute("SELECT count(*) FROM search_records").fetchone()
        index.cache["record_count"] = int(row[0]) if row else 0
    return int(index.cache["record_count"])


def record_terms(lex: Lexemes, query: str, terms: list[str], expansions: list[Expansion]) -> list[tuple[str, int]]:
    """(tsquery text, records holding it) of each scored part of the query: each term (with an
    acronym's long forms) rarest first within POSTING_BUDGET, as kb.search.records picks them,
    the acronyms of long forms, and for a Chinese query its bigrams."""
    lex.load(terms)
    chosen, spent = [], 0
    for df, term in sorted((lex.df(lex.of(t)), t) for t in terms):
        if df and spent + df > min(POSTING_BUDGET, RANK_RECORDS):
            continue
        chosen.append(term)
        spent += df
    parts = [any_of(alternatives(lex, t, expansions)) for t in chosen]
    parts += [lex.of(e.acronym.lower()) for e in expansions if e.direction == "words→acronym"]
    parts += [any_of(alternatives(lex, e.acronym.lower(), expansions)[1:]) for e in expansions
              if e.direction == "acronym→words"]
    if has_cjk(query):
        parts += [quote_lexeme(g) for g in dict.fromkeys(g for run in cjk_query_groups(query) for g in run)]
    parts = [p for p in dict.fromkeys(parts) if p]
    return [(p, lex.df(p)) for p in parts]


def keyword_ranking(index: PgIndex, conn: psycopg.Connection, query: str, terms: list[str],
                    expansions: list[Expansion], tuning: Tuning, where: str, params: list
                    ) -> list[tuple[int, str, float]]:
    """(record row id, record id, score) of the best records by their whole text's keywords,
    best first (ties by record id), among the records passing the filters."""
    lex = Lexemes(conn, index.cache, table="search_records", cap=min(POSTING_BUDGET, RANK_RECORDS) + 1)
    scored = record_terms(lex, query, terms, expansions if tuning.record_expansions else [])
    if not scored:
        return []
    size = record_count(index, conn)
    top = max(tuning.title_weight, tuning.keywords_weight, tuning.body_weight, 1e-9)
    weights = "{" + ", ".join(repr(float(w) / top) for w in (0.0, tuning.body_weight, tuning.keywords_weight,
                                                              tuning.title_weight)) + "}"
    score = " + ".join(f"%s * ts_rank('{weights}', s.tsv, %s::tsquery, 1)" for _ in scored)
    rows = conn.execute(
        f"SELECT s.rid, s.id, {score} AS score FROM search_records s WHERE s.tsv @@ %s::tsquery"
        f"{allowed_sql('s', where)} ORDER BY score DESC, s.id LIMIT %s",
        [*[x for part, df in scored for x in (idf(size, df), part)], any_of([p for p, _ in scored]),
         *params, tuning.record_candidates]).fetchall()
    return [(int(rid), rid_id, float(s)) for rid, rid_id, s in rows]


# -- every sentence by meaning -----------------------------------------------------------------
def nearest_sentences(conn: psycopg.Connection, vector: np.ndarray, dim: int, tuning: Tuning, where: str,
                      params: list) -> list[tuple[int, int, str, float]]:
    """(sentence row id, record row id, record id, cosine) of the sentences nearest the query vector among
    the records passing the filters, nearest first (inside the caller's transaction: the HNSW
    search is widened to the candidates wanted, up to pgvector's ceiling)."""
    limit = min(SENTENCES, tuning.sentence_candidates)
    conn.execute(f"SET LOCAL hnsw.ef_search = {max(limit, 40)}")
    expr = f"(t.emb::vector({dim}))"
    rows = conn.execute(  # the LIMIT keeps the HNSW scan a subquery of its own; the join reads ~200 rows
        f"SELECT n.sid, n.rid, s.id, n.sim FROM (SELECT t.sid, t.rid, -({expr} <#> %s::vector({dim})) AS sim, "
        f"{expr} <#> %s::vector({dim}) AS d FROM search_sentences t WHERE t.emb IS NOT NULL"
        f"{allowed_sql('t', where)} ORDER BY d LIMIT %s) n JOIN search_records s ON s.rid = n.rid ORDER BY n.d",
        [vector, vector, *params, limit]).fetchall()
    return [(int(sid), int(rid), rid_id, float(sim)) for sid, rid, rid_id, sim in rows]


def best_by_record(nearest: list[tuple[int, int, str, float]], tuning: Tuning, ids: dict[int, str]
                   ) -> BestSentences:
    """Records by their closest sentence (ties by record id), as the folder ranks them."""
    best = best_of([(sid, rid, sim) for sid, rid, _, sim in nearest], tuning)
    best.ranking.sort(key=lambda r: (-best.best[r][1], ids.get(r, "")))
    return best


# -- the groups of the response ----------------------------------------------------------------
def _best_findings(conn: psycopg.Connection, rids: list[int], vector: np.ndarray | None, dim: int,
                   words: list[str], where: str, params: list) -> dict[int, list[tuple[int, float | None]]]:
    """Each record's findings (those passing the filters) closest to the query: by cosine when
    the query was embedded, else by how many query words they hold (kb.search.grouping)."""
    out: dict[int, list[tuple[int, float | None]]] = {}
    if not rids:
        return out
    if vector is not None:
        expr = f"(f.emb::vector({dim})) <#> %s::vector({dim})"
        for fid, rid, sim in conn.execute(
                f"SELECT fid, rid, sim FROM (SELECT f.fid, f.rid, -({expr}) AS sim, row_number() OVER "
                f"(PARTITION BY f.rid ORDER BY {expr}, f.fid) AS n FROM findings f WHERE f.rid = ANY(%s) "
                f"AND f.emb IS NOT NULL AND {where}) x WHERE n <= 2 ORDER BY rid, n",
                [vector, vector, rids, *params]):
            out.setdefault(int(rid), []).append((int(fid), float(sim)))
    missing = [r for r in rids if r not in out]
    if missing:
        texts: dict[int, list[tuple[int, str]]] = {}
        for fid, rid, text in conn.execute(f"SELECT f.fid, f.rid, f.text FROM findings f WHERE f.rid = ANY(%s) "
                                           f"AND {where} ORDER BY f.fid", [missing, *params]):
            texts.setdefault(int(rid), []).append((int(fid), text))
        out.update({rid: by_words(rows, words) for rid, rows in texts.items()})
    return out


def record_groups(conn: psycopg.Connection, ranking: Ranking, k: int, rid_of: dict[int, int], dim: int,
                  words: list[str], query: str, where: str, params: list) -> list[RecordGroup]:
    """The k best records in record order, each with its matched findings or, when only its
    other text matched, its findings closest to the query, and its context sentence — the
    folder's kb.search.grouping.record_groups over the database's rows."""
    fused_rids = [rid_of[f] for f, _ in ranking.findings]
    top = [rid for rid, _ in ranking.records[:k]]
    unmatched = [rid for rid in top if rid not in set(fused_rids)]
    best = _best_findings(conn, unmatched, ranking.vector, dim, words, where, params)
    chosen, closest = choose_records(ranking, k, fused_rids, lambda rid: best.get(rid, []))
    if not chosen:
        return []
    fids = [f for _, _, found, _ in chosen for f in found]
    rows = {r[0]: r for r in conn.execute(HIT_SQL, (fids,))} if fids else {}
    meta = {r[0]: r for r in conn.execute(GROUP_SQL, (top,))}
    context: dict[int, list[tuple]] = {}
    for rid, *row in conn.execute(CONTEXT_SQL, (top,)):
        context.setdefault(rid, []).append(tuple(row))
    sentences: Callable[[int], list[tuple]] = lambda rid: context.get(rid, [])  # noqa: E731
    return assemble(ranking, chosen, closest, rows, meta, words, cjk_query_groups(query), sentences)
