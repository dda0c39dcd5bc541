"""Hybrid search in PostgreSQL: keywords through tsvector/tsquery (English stemming; Chinese as
pre-segmented bigrams), meaning through pgvector, findings fused by the same reciprocal rank
fusion as the folder index, then records by their findings, their whole text's keywords and their
best sentence (kb.search.pg_records; kb.search.fusion.fuse_records, the folder's own), shaped
into the same SearchResponse.

The keyword arm follows kb.search.keyword: findings with every discriminating term first, then
those with some of the rarer ones, expressions matching too many findings left unranked. Filters
are SQL conditions inside every arm. User text only ever reaches SQL as parameters: query words
are turned into lexemes by PostgreSQL itself and quoted into a tsquery."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import psycopg
from psycopg import sql

from kb.search import pg_records
from kb.search.acronyms import Expansion, Glossary, expand_query, load_acronyms
from kb.search.arms import Arm, Ranking, meaning_arm
from kb.search.fusion import fuse, fuse_records
from kb.search.grouping import highlight_words
from kb.search.hybrid import CANDIDATES, _mostly_cjk, dense_query_text, start_response
from kb.search.keyword import CONTEXT_WEIGHT, POSTING_BUDGET, RANK_BUDGET, TEXT_WEIGHT
from kb.search.lexical import cjk_query_groups, has_cjk
from kb.search.lookup import TITLE_CANDIDATES, AuthorTable, match_records
from kb.search.pg_words import COUNT_SQL, Lexemes, alternatives, any_of, quote_lexeme
from kb.search.tuning import DEFAULT, Tuning
from kb.search.types import Mode, RecordMatch, SearchFilters, SearchResponse

if TYPE_CHECKING:
    from kb.search.pg_index import PgIndex, PgSpace

Key = tuple[str, str]
EF_SEARCH = 200  # HNSW candidates per query (above CANDIDATES, so the arm is not cut short)
RANK = f"ts_rank('{{0, 0, {CONTEXT_WEIGHT}, {TEXT_WEIGHT}}}', f.tsv, q.q, 1)"



# -- filters ---------------------------------------------------------------------------------
def _like(needle: str) -> str:
    return "%" + needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_sql(filters: SearchFilters) -> tuple[str, list]:
    """SQL conditions on findings f (and search_records s) for the filters, with parameters."""
    clauses: list[str] = []
    params: list = []
    if filters.kinds:
        clauses.append("f.kind = ANY(%s)")
        params.append(filters.kinds)
    if filters.themes:
        clauses.append("f.themes && %s::text[]")
        params.append(filters.themes)
    if filters.languages:
        clauses.append("f.languages && %s::text[]")
        params.append(filters.languages)
    if filters.year_from is not None:
        clauses.append("f.year >= %s")
        params.append(filters.year_from)
    if filters.year_to is not None:
        clauses.append("f.year <= %s")
        params.append(filters.year_to)
    if filters.resource_types:
        clauses.append("f.resource_type = ANY(%s)")
        params.append(filters.resource_types)
    for column, needles in (("designs", filters.designs), ("populations", filters.populations)):
        if needles:
            clauses.append(f"EXISTS (SELECT 1 FROM search_records s, unnest(s.{column}) v "
                           "WHERE s.rid = f.rid AND lower(v) LIKE ANY(%s))")
            params.append([_like(n) for n in needles])
    if filters.record_ids:
        clauses.append("f.record_id = ANY(%s)")
        params.append(filters.record_ids)
    return (" AND ".join(clauses) or "TRUE"), params


# -- what the index knows, cached until it changes ---------------------------------------------
def index_glossary(index: PgIndex) -> Glossary:
    if "glossary" not in index.cache:
        glossary = load_acronyms()
        with index.store.connection() as conn:
            for (entries,) in conn.execute("SELECT glossary FROM search_records WHERE glossary <> '{}'::jsonb"):
                for acronym, expansion in entries.items():
                    glossary.add(acronym, expansion)
        index.cache["glossary"] = glossary
    return index.cache["glossary"]


def index_authors(index: PgIndex) -> AuthorTable:
    if "authors" not in index.cache:
        with index.store.connection() as conn:
            index.cache["authors"] = AuthorTable.from_rows(conn.execute("SELECT rid, families FROM search_records"))
    return index.cache["authors"]


def _within(lex: Lexemes, terms: list[str], budget: int) -> list[str]:
    chosen, spent = [], 0
    for df, term in sorted((lex.df(lex.of(t)), t) for t in terms):
        if spent + df > budget:
            break
        chosen.append(term)
        spent += df
    return chosen


def english_exprs(lex: Lexemes, terms: list[str], expansions: list[Expansion]) -> tuple[str, str]:
    """(every discriminating term, any of the rarer terms) as tsquery text."""
    expandable = {e.acronym.lower() for e in expansions if e.direction == "acronym→words"}
    kept = [t for t in terms if lex.df(lex.of(t)) or t in expandable]
    strict = " & ".join(f"({any_of(alternatives(lex, t, expansions))})" for t in kept
                        if alternatives(lex, t, expansions))
    parts = [a for t in _within(lex, terms, POSTING_BUDGET) for a in alternatives(lex, t, expansions)]
    parts += [lex.of(e.acronym.lower()) for e in expansions if e.direction == "words→acronym"]
    parts += [a for e in expansions if e.direction == "acronym→words"
              for a in alternatives(lex, e.acronym.lower(), expansions)[1:]]
    return strict, any_of(parts)


def _ranked(conn: psycopg.Connection, tsq: str, where: str, params: list, *, column: str = "tsv",
            check: bool = False, rids: dict[int, int] | None = None) -> list[tuple[int, Key]]:
    """(fid, key) of the best CANDIDATES findings matching a tsquery and the filters (the arms
    are cut there: deeper rows would only be ranked and dropped); [] when `check` and the
    expression matches more than RANK_BUDGET findings (too common to rank; the count is the
    statement's own one-time condition, so it costs no round trip). `rids` is given each
    finding's record row id."""
    if not tsq:
        return []
    rank = RANK if column == "tsv" else "ts_rank(f.zh_tsv, q.q)"
    guard = (f" AND ({COUNT_SQL.format(table='findings', column=column, q='%s::tsquery', cap=RANK_BUDGET + 1)}) <= {RANK_BUDGET}"
             if check else "")
    rows = conn.execute(
        f"SELECT f.fid, f.record_id, f.finding_id, f.rid FROM findings f, (SELECT %s::tsquery AS q) q "
        f"WHERE f.{column} @@ q.q AND {where}{guard} ORDER BY {rank} DESC, f.record_id, f.finding_id LIMIT %s",
        [tsq, *params, *([tsq] if check else []), CANDIDATES]).fetchall()
    if rids is not None:
        rids.update((fid, rid) for fid, _, _, rid in rows)
    return [(fid, (rid, fnd)) for fid, rid, fnd, _ in rows]


def _after(strict: list[tuple[int, Key]], loose: list[tuple[int, Key]]) -> list[tuple[int, Key]]:
    seen = {f for f, _ in strict}
    return strict + [(f, k) for f, k in loose if f not in seen]


def lexical_ranking(index: PgIndex, conn: psycopg.Connection, query: str, terms: list[str],
                    expansions: list[Expansion], where: str, params: list, keys: dict[int, Key],
                    rids: dict[int, int] | None = None) -> list[int]:
    lex = Lexemes(conn, index.cache)
    lex.load(terms)
    arms: list[list[int]] = []
    if terms or expansions:
        strict_expr, loose_expr = english_exprs(lex, terms, expansions)
        needs_count = bool(terms) and min(lex.df(lex.of(t)) for t in terms) > RANK_BUDGET
        english = _ranked(conn, strict_expr, where, params, check=needs_count, rids=rids)
        if len(english) < CANDIDATES and not (len(terms) == 1 and not expansions) and loose_expr \
                and loose_expr != strict_expr:
            english = _after(english, _ranked(conn, loose_expr, where, params, rids=rids))
        arms.append([f for f, _ in english])
        keys.update(english)
    if has_cjk(query):
        grams = list(dict.fromkeys(g for run in cjk_query_groups(query) for g in run))
        strict = " & ".join(quote_lexeme(g) for g in grams)
        loose = " | ".join(quote_lexeme(g) for g in grams)
        chinese = _ranked(conn, strict, where, params, column="zh_tsv", check=True, rids=rids)
        if len(chinese) < CANDIDATES and loose != strict:
            chinese = _after(chinese, _ranked(conn, loose, where, params, column="zh_tsv", check=True, rids=rids))
        arms.append([f for f, _ in chinese])
        keys.update(chinese)
    arms = [a[:CANDIDATES] for a in arms if a]
    if len(arms) <= 1:
        return arms[0] if arms else []
    return [f for f, _ in fuse(arms, key=keys.get)][:CANDIDATES]


DenseRows = list[tuple[int, str, str, float]]


def dense_sql(space: PgSpace, where: str) -> str:
    """The nearest findings of a query vector by inner product (cosine: vectors are normalised)."""
    return (f"SELECT f.fid, f.record_id, f.finding_id, -({space.expr} <#> %s::vector({space.dim})), f.rid "
            f"FROM findings f WHERE f.{space.column} IS NOT NULL AND {where} "
            f"ORDER BY {space.expr} <#> %s::vector({space.dim}) LIMIT %s")


@dataclass
class MeaningRows:
    """What one space's query job read: the query vector, its nearest findings and (in the
    English space, when asked) its nearest sentences (sentence row id, record row id, cosine)."""

    vector: np.ndarray
    findings: DenseRows
    rids: dict[int, int]                                    # record row id by finding row id
    sentences: list[tuple[int, int, str, float]] | None = None  # (sid, rid, record id, cosine)


def _in_snapshot(conn: psycopg.Connection, snapshot_id: str, exact: bool) -> None:
    """Make `conn`'s transaction read the search's snapshot (imported), read-only."""
    setup = ("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT {}; "
             f"SET LOCAL hnsw.ef_search = {EF_SEARCH}" + ("; SET LOCAL enable_indexscan = off" if exact else ""))
    conn.execute(sql.SQL(setup).format(sql.Literal(snapshot_id)))


def _sentences_job(index: PgIndex, vec: np.ndarray, dim: int, tuning: Tuning, snapshot_id: str, where: str,
                   params: list, exact: bool) -> list[tuple[int, int, str, float]]:
    """The sentence arm on a connection of its own, in the search's snapshot."""
    with index.store.connection() as conn, conn.transaction():
        _in_snapshot(conn, snapshot_id, exact)
        return pg_records.nearest_sentences(conn, vec, dim, tuning, where, params)


def meaning_job(index: PgIndex, space: PgSpace, text: str, snapshot_id: str, where: str, params: list,
                exact: bool, tuning: Tuning | None = None) -> MeaningRows:
    """Embed the query in a space and read its nearest findings (and, given `tuning`, its
    nearest sentences, on a third connection beside it) on a second pooled connection, in the
    search's own snapshot (imported: it sees exactly what the keyword arms see), so it runs on
    the query thread while keyword search runs on the caller's."""
    vec = np.asarray(space.query_vector(text), dtype=np.float32)
    nearby = (index.beside(_sentences_job, index, vec, space.dim, tuning, snapshot_id, where, params, exact)
              if tuning is not None else None)
    with index.store.connection() as conn, conn.transaction():
        _in_snapshot(conn, snapshot_id, exact)
        rows = conn.execute(dense_sql(space, where), [vec, *params, vec, CANDIDATES]).fetchall()
    sentences = nearby.result() if nearby is not None else None
    return MeaningRows(vec, [(int(fid), rid, fnd, float(sim)) for fid, rid, fnd, sim, _ in rows],
                       {int(fid): int(rid) for fid, _, _, _, rid in rows}, sentences)


def dense_ranking(rows: DenseRows, keys: dict[int, Key]) -> tuple[list[int], dict[int, float]]:
    """Finding ids by cosine (best first, ties by record and finding id), with their cosines."""
    sims = {fid: sim for fid, _, _, sim in rows}
    keys.update({fid: (rid, fnd) for fid, rid, fnd, _ in rows})
    ranking = [fid for fid, _, _, _ in sorted(rows, key=lambda r: (-r[3], r[1], r[2]))]
    return ranking, sims


@contextmanager
def snapshot(conn: psycopg.Connection) -> Iterator[str]:
    """One read-only transaction at REPEATABLE READ: every statement of a search sees the same
    committed state, so a record re-indexed meanwhile is seen with its old findings or its new
    ones (in autocommit each statement saw the latest commit: a finding ranked by one arm could
    be gone when its row was read). Yields the snapshot's id, which other connections import
    to read the same state while this transaction is open."""
    with conn.transaction():
        cur = conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT pg_export_snapshot()")
        cur.nextset()
        row = cur.fetchone()
        yield str(row[0]) if row else ""


def search(index: PgIndex, query: str, *, filters: SearchFilters | None = None, k: int = 10,
           mode: Mode = "hybrid", tuning: Tuning = DEFAULT) -> SearchResponse:
    """The k best records for a query with their findings (as kb.search.hybrid.search): the
    finding arms (keywords, meaning) fused, then records ranked by their findings, their whole
    text's keywords and their best sentence together (kb.search.fusion.fuse_records). The
    meaning arms run on the query thread, each on its own connection in the search's snapshot,
    while the keyword arms run on this one."""
    started = time.perf_counter()
    response, terms = start_response(query, filters, mode)
    query, filters = response.query, response.filters
    if response.notice:
        return response
    expansions = expand_query(query, index_glossary(index))
    response.expansions = [e.note() for e in expansions]
    where, params = filter_sql(filters)
    spaces = [] if mode == "lexical" else [s for s in index.spaces if s.name != "main" or not _mostly_cjk(query)]
    text = dense_query_text(query, expansions)
    words = highlight_words(terms, expansions)
    keys: dict[int, Key] = {}
    rid_of: dict[int, int] = {}  # record row id by finding row id, from every finding arm
    with index.store.connection() as conn, snapshot(conn) as snapshot_id:
        pending = [(space, index.in_background(meaning_job, index, space, text, snapshot_id, where, params,
                                               filters.active(), tuning if space is index.main else None))
                   for space in spaces]
        out = Ranking()
        lexical = Arm("lexical", weight=tuning.lexical_weight)
        keywords: list[tuple[int, str, float]] = []
        if mode != "dense":
            lexical.ranking = lexical_ranking(index, conn, query, terms, expansions, where, params, keys,
                                              rid_of)
            keywords = pg_records.keyword_ranking(index, conn, query, terms, expansions, tuning, where, params)
        out.arms, english = _meaning_arms(lexical, pending, keys, rid_of, tuning)
        live = [a for a in out.arms if a.ranking]
        out.findings = fuse([a.ranking for a in live], k=tuning.rrf_k, weights=[a.weight for a in live],
                            key=keys.get)
        out.record_keywords = [rid for rid, _, _ in keywords]
        out.record_keyword_scores = {rid: score for rid, _, score in keywords}
        nearest = english.sentences if english is not None and english.sentences is not None else []
        ids = {rid: rid_id for _, rid, rid_id, _ in nearest}  # record ids: the tie-breaking order
        ids.update((rid, rid_id) for rid, rid_id, _ in keywords)
        ids.update((rid_of[f], k[0]) for f, k in keys.items() if f in rid_of)
        if english is not None:
            out.vector = english.vector
            out.best_sentences = pg_records.best_by_record(nearest, tuning, ids)
        by_findings = list(dict.fromkeys(rid_of[f] for f, _ in out.findings))
        best = out.best_sentences
        out.records = fuse_records(by_findings, out.record_keywords, out.record_keyword_scores, best.ranking,
                                   {r: best.best[r][1] for r in best.ranking}, tuning, key=lambda r: ids.get(r, ""))
        response.total_hits = len(out.findings)
        response.groups = pg_records.record_groups(conn, out, k, rid_of, index.main.dim, words, query, where,
                                                   params)
        response.record_matches = lookup_records(conn, index_authors(index), query)
    response.took_ms = (time.perf_counter() - started) * 1000
    return response


def _meaning_arms(lexical: Arm, pending: list[tuple[PgSpace, Future[MeaningRows]]], keys: dict[int, Key],
                  rid_of: dict[int, int], tuning: Tuning) -> tuple[list[Arm], MeaningRows | None]:
    """The keyword arm and the meaning arms (meaning-only hits below the floor dropped), and
    what the English space read."""
    keyword_set = set(lexical.ranking)
    arms, english = [lexical], None
    for space, job in pending:
        hits = job.result()
        english = hits if space.name == "main" else english
        rid_of.update(hits.rids)
        arms.append(meaning_arm(space.name, *dense_ranking(hits.findings, keys), keyword_set, tuning))
    return arms, english


def lookup_records(conn: psycopg.Connection, authors: AuthorTable, query: str, *,
                   limit: int = 5) -> list[RecordMatch]:
    """Records whose first authors or titles match the query (as kb.search.lookup)."""
    def titles(terms: list[str]) -> list[tuple[int, str]]:
        sql = ("SELECT rid, title FROM search_records, (SELECT {fn}('english', %s) AS q) q "
               f"WHERE title_tsv @@ q.q ORDER BY ts_rank(title_tsv, q.q) DESC, id LIMIT {TITLE_CANDIDATES}")
        return (conn.execute(sql.format(fn="plainto_tsquery"), (" ".join(terms),)).fetchall()
                or conn.execute(sql.format(fn="websearch_to_tsquery"), (" or ".join(terms),)).fetchall())

    def rows(rids: list[int]) -> list[tuple]:
        return conn.execute("SELECT rid, id, title, citation FROM search_records WHERE rid = ANY(%s)",
                            (rids,)).fetchall()

    return match_records(authors, query, titles, rows, limit=limit)
