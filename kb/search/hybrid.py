"""Hybrid search: findings by meaning (faiss) and keywords (FTS5, bm25) fused by reciprocal rank,
then records ranked by their findings, their whole text's keywords and their best sentence
together; with acronym expansion, Chinese queries through aligned translations, and filters."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from kb.model.present import LibraryRow
from kb.search.acronyms import Expansion, Glossary, expand_query, load_acronyms
from kb.search.arms import Arm, Ranking, meaning_arm
from kb.search.catalog import ThemeSupport, folder_catalog, folder_theme_support
from kb.search.derived import Derived
from kb.search.facets import Facets, folder_facets
from kb.search.filters import allowed_by_fid, finding_mask
from kb.search.fusion import fuse, fuse_records
from kb.search.grouping import highlight_words, record_groups
from kb.search.index import Index
from kb.search.keyword import Vocabulary, keyword_hits
from kb.search.lexical import (
    MAX_QUERY_CHARS,
    cjk_query_groups,
    has_cjk,
    query_terms,
)
from kb.search.lookup import AuthorTable, lookup_records
from kb.search.order import StableOrder
from kb.search.records import (
    RecordVocabulary,
    SentenceTable,
    best_sentences,
    record_keyword_ranking,
    search_sentences,
    sentence_filter,
)
from kb.search.spaces import Space
from kb.search.tuning import DEFAULT, Tuning
from kb.search.types import Mode, RecordMatch, SearchFilters, SearchResponse
from kb.search.vectors import id_bitmap
from kb.text.normalize import cjk_count

log = logging.getLogger(__name__)
T = TypeVar("T")
RRF_K = DEFAULT.rrf_k
# the defaults by their old names, for the PostgreSQL backend (kb.search.pg_search)
CANDIDATES, DENSE_FLOOR = DEFAULT.candidates, DEFAULT.dense_floor
DENSE_WEIGHT, LEXICAL_WEIGHT = DEFAULT.dense_weight, DEFAULT.lexical_weight
__all__ = ["CANDIDATES", "DENSE_FLOOR", "DENSE_WEIGHT", "LEXICAL_WEIGHT", "Arm",
           "dense_query_text", "fuse", "rank", "rank_records", "search"]


def _ranked(scored: list[tuple[int, float]], keys: dict[int, int]) -> list[int]:
    """Ids by ascending score, ties by stable key (kb.search.order)."""
    return [f for f, _ in sorted(scored, key=lambda fs: (fs[1], keys[fs[0]]))]


def _derived(index: Index, key: str, build: Callable[[sqlite3.Connection], T],
             db: sqlite3.Connection | None = None) -> T:
    """A thing derived from the index, kept until it changes (kb.search.derived); a database
    index keeps a plain dict."""
    cache, db = index.cache, db or index.require_db()
    if isinstance(cache, Derived):
        return cache.get_or_build(key, build, db)
    if key not in cache:
        cache[key] = build(db)
    return cache[key]


def _glossary(db: sqlite3.Connection) -> Glossary:
    glossary = load_acronyms()
    for (entries,) in db.execute("SELECT glossary FROM records"):
        for acronym, expansion in json.loads(entries).items():
            glossary.add(acronym, expansion)
    return glossary


def index_facets(index: Index) -> Facets:
    """Counts and the values in use, by facet (kb.search.facets)."""
    return _derived(index, "facets", folder_facets)


def index_catalog(index: Index) -> list[LibraryRow]:
    """Every record's library row (kb.search.catalog)."""
    return _derived(index, "catalog", folder_catalog)


def index_theme_support(index: Index) -> ThemeSupport:
    """Which records and how many findings have each theme (kb.search.catalog)."""
    return _derived(index, "theme_support", folder_theme_support)


def index_order(index: Index) -> StableOrder:
    """The tie-breaking order of findings and records."""
    return _derived(index, "order", StableOrder)


def index_glossary(index: Index) -> Glossary:
    """The shipped acronyms plus every record's glossary."""
    return _derived(index, "glossary", _glossary)


def index_vocabulary(index: Index) -> Vocabulary:
    """Document frequencies of terms in the findings."""
    return _derived(index, "vocabulary", Vocabulary)


def index_record_vocabulary(index: Index, db: sqlite3.Connection | None = None) -> RecordVocabulary:
    """Document frequencies of terms over whole records (first read through `db`, default the
    index's connection)."""
    return _derived(index, "record_vocabulary", RecordVocabulary, db)


def index_sentences(index: Index) -> SentenceTable:
    """Sentence id → record, finding."""
    return _derived(index, "sentences", SentenceTable.load)


def record_ids(db: sqlite3.Connection, rids: list[int]) -> dict[int, str]:
    """Record ids of record rows."""
    out: dict[int, str] = {}
    for start in range(0, len(rids), 900):
        chunk = rids[start:start + 900]
        out.update(db.execute(f"SELECT rid, id FROM records WHERE rid IN ({','.join('?' * len(chunk))})",
                              chunk).fetchall())
    return out


def index_authors(index: Index, db: sqlite3.Connection | None = None) -> AuthorTable:
    """First authors for fuzzy lookup."""
    return _derived(index, "authors", AuthorTable.from_db, db)


def _record_keywords(db: sqlite3.Connection, index: Index, terms: list[str],
                     expansions: list[Expansion], tuning: Tuning,
                     allowed: np.ndarray | None) -> list[tuple[int, float]]:
    """The whole-record keyword arm through `db` (run on the index's reading thread)."""
    return record_keyword_ranking(index_record_vocabulary(index, db), terms, expansions, tuning,
                                  allowed)


def _lookup(db: sqlite3.Connection, index: Index, query: str) -> list[RecordMatch]:
    """Records named by the query's author or title words (run on the reading thread)."""
    return lookup_records(db, index_authors(index, db), query)


# -- the two arms ----------------------------------------------------------------------------
def lexical_ranking(index: Index, query: str, terms: list[str], expansions: list[Expansion],
                    allowed: np.ndarray | None, tuning: Tuning = DEFAULT) -> list[int]:
    """Finding ids by keywords (English and Chinese arms fused), filtered."""
    english, chinese = keyword_hits(index_vocabulary(index), query, terms, expansions, allowed,
                                    enough=tuning.candidates)
    keys = index_order(index).finding_keys(f for f, _ in english + chinese)
    arms = [_ranked(arm, keys)[:tuning.candidates] for arm in (english, chinese) if arm]
    if len(arms) == 1:
        return arms[0]
    return [f for f, _ in fuse(arms, k=tuning.rrf_k, key=keys.get)][:tuning.candidates]


def dense_query_text(query: str, expansions: list[Expansion]) -> str:
    """The query as embedded: acronyms followed by their long forms."""
    extra = [e.expansions[0] for e in expansions if e.direction == "acronym→words"]
    return f"{query} ({'; '.join(extra)})" if extra else query


@dataclass
class MeaningHits:
    """What one space's query job found: the query vector, its nearest findings and (in the
    English space) its nearest sentences, as (ids, cosines)."""

    vector: np.ndarray
    findings: tuple[np.ndarray, np.ndarray]
    sentences: tuple[np.ndarray, np.ndarray] | None = None


def _meaning_job(space: Space, text: str, finding_filter: tuple[np.ndarray | None, float],
                 sentences: Space | None, sentence_allowed: tuple[np.ndarray | None, float],
                 tuning: Tuning) -> MeaningHits:
    """Embed the query in a space and search its vectors: no SQLite, so it runs on the query
    thread while keyword search runs on the caller's."""
    vector = space.query_vector(text)
    found = space.vectors.search(vector, tuning.candidates, *finding_filter)
    near = (search_sentences(sentences, vector, tuning, sentence_allowed) if sentences is not None
            else None)
    return MeaningHits(vector, found, near)


def dense_ranking(index: Index, found: tuple[np.ndarray, np.ndarray]
                  ) -> tuple[list[int], dict[int, float]]:
    """Finding ids by cosine similarity (best first, ties by stable key), with their
    similarities, from a space's nearest findings."""
    sims = {int(i): float(s) for i, s in zip(*found, strict=True)}
    keys = index_order(index).finding_keys(sims)
    return _ranked([(f, -s) for f, s in sims.items()], keys), sims


# -- the search ------------------------------------------------------------------------------
def rank(index: Index, query: str, terms: list[str], expansions: list[Expansion],
         filters: SearchFilters, mode: Mode, tuning: Tuning = DEFAULT) -> Ranking:
    """Run the arms of a (normalised) query and fuse them at finding and at record level: the
    query is embedded and its vectors searched on the query thread while both keyword arms run."""
    db = index.require_db()
    mask = finding_mask(db, index.arrays, filters)
    allowed = allowed_by_fid(index.arrays, mask) if mask is not None else None
    share = float(mask.mean()) if mask is not None and len(mask) else 1.0
    allowed_records = _allowed_records(index, mask)
    out = Ranking(allowed=allowed)
    pending = _start_meaning(index, query, expansions, mode, allowed, share, allowed_records, tuning)
    lexical = Arm("lexical", weight=tuning.lexical_weight)
    if mode != "dense":
        # a record's whole text holds an acronym's definition beside its long form, so expanding
        # acronyms there counts the same concept twice (measured on SciFact's train claims)
        records = index.read_in_background(_record_keywords, index, terms,
                                           expansions if tuning.record_expansions else [], tuning,
                                           allowed_records)
        lexical.ranking = lexical_ranking(index, query, terms, expansions, allowed, tuning)
        rows = records.result()
        ids = index_order(index).record_keys(r for r, _ in rows)
        out.record_keywords = [r for r, _ in sorted(rows, key=lambda rs: (rs[1], ids[rs[0]]))]
        out.record_keyword_scores = {r: -s for r, s in rows}
    out.arms, english = _meaning_arms(index, lexical, pending, tuning)
    for arm in out.arms:  # findings a concurrent writer committed after this index loaded
        arm.ranking = index.arrays.known(arm.ranking)
    live = [arm for arm in out.arms if arm.ranking]
    keys = index_order(index).finding_keys({f for arm in live for f in arm.ranking})
    out.findings = fuse([a.ranking for a in live], k=tuning.rrf_k, weights=[a.weight for a in live],
                        key=keys.get)
    if english is not None and english.sentences is not None:
        out.vector = english.vector
        best = best_sentences(index_sentences(index), *english.sentences, tuning)
        ids = index_order(index).record_keys(best.ranking)
        best.ranking.sort(key=lambda r: (-best.best[r][1], ids[r]))
        out.best_sentences = best
    out.records = _fuse_records(index, out, tuning)
    return out


def _allowed_records(index: Index, mask: np.ndarray | None) -> np.ndarray | None:
    """Flags by record row id: records with at least one finding that passes the filters."""
    if mask is None:
        return None
    rids = index.arrays.rid[mask]
    flags = np.zeros(int(index.arrays.rid.max()) + 1 if len(index.arrays.rid) else 1, dtype=bool)
    flags[rids] = True
    return flags


def _fuse_records(index: Index, ranking: Ranking, tuning: Tuning) -> list[tuple[int, float]]:
    """Records by their whole text's keywords, their best sentence's meaning and their best
    finding (kb.search.fusion.fuse_records); ties by record id."""
    by_findings = list(dict.fromkeys(index.arrays.rids_of([f for f, _ in ranking.findings])))
    best = ranking.best_sentences
    rids = set(by_findings) | set(ranking.record_keywords) | set(best.ranking)
    keys = index_order(index).record_keys(rids)
    return fuse_records(by_findings, ranking.record_keywords, ranking.record_keyword_scores,
                        best.ranking, {r: best.best[r][1] for r in best.ranking}, tuning, key=keys.get)


def rank_records(index: Index, query: str, *, filters: SearchFilters | None = None,
                 k: int = 100, mode: Mode = "hybrid", tuning: Tuning = DEFAULT) -> list[str]:
    """The ids of the k best records for a query: the order of search()'s groups, without
    building them (what a record-level benchmark scores)."""
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    terms = query_terms(query)
    if not terms and not has_cjk(query):
        return []
    expansions = expand_query(query, index_glossary(index))
    ranking = rank(index, query, terms, expansions, filters or SearchFilters(), mode, tuning)
    top = [rid for rid, _ in ranking.records[:k]]
    ids = record_ids(index.require_db(), top)
    return [ids[rid] for rid in top]


def start_response(query: str, filters: SearchFilters | None, mode: Mode) -> tuple[SearchResponse, list[str]]:
    """The response every backend starts from: the query with its spaces closed up and cut to
    MAX_QUERY_CHARS, and its words; a notice (and nothing to search) when it has no words."""
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    response = SearchResponse(query=query, mode=mode, filters=filters or SearchFilters())
    terms = query_terms(query)
    if not terms and not has_cjk(query):
        response.notice = "Type a few words to search for (the query had no searchable words)."
    return response, terms


def search(index: Index, query: str, *, filters: SearchFilters | None = None, k: int = 10,
           mode: Mode = "hybrid", tuning: Tuning = DEFAULT) -> SearchResponse:
    """The k best findings grouped by record, and further records that matched through their
    other text (up to k records in all, in record order), each with the sentence that matched
    but is not a finding shown as context."""
    started = time.perf_counter()
    response, terms = start_response(query, filters, mode)
    query, filters = response.query, response.filters
    if response.notice:
        return response
    index.require_db()  # fails early when the index is closed
    expansions = expand_query(query, index_glossary(index))
    response.expansions = [e.note() for e in expansions]
    ranking = rank(index, query, terms, expansions, filters, mode, tuning)
    response.total_hits = len(ranking.findings)
    words = highlight_words(terms, expansions)
    lookup = index.read_in_background(_lookup, index, query)
    response.groups = record_groups(index, ranking, k, words, cjk_query_groups(query))
    response.record_matches = lookup.result()
    response.took_ms = (time.perf_counter() - started) * 1000
    return response


def _mostly_cjk(query: str) -> bool:
    """The English-only embedding model cannot read a query that is mostly Chinese."""
    cjk = cjk_count(query)
    return cjk > 0 and cjk >= len(query.replace(" ", "")) / 2


def _start_meaning(index: Index, query: str, expansions: list[Expansion], mode: Mode,
                   allowed: np.ndarray | None, share: float, allowed_records: np.ndarray | None,
                   tuning: Tuning) -> list[tuple[Space, Future[MeaningHits]]]:
    """Start each meaning space's query job (none in keyword-only mode; the English space is
    left out for a mostly Chinese query)."""
    spaces = [] if mode == "lexical" else [
        s for s in index.finding_spaces if s.name != "main" or not _mostly_cjk(query)]
    if not spaces:
        return []
    finding_filter = (id_bitmap(np.flatnonzero(allowed), len(allowed)) if allowed is not None
                      else None, share)
    sentence_allowed = (sentence_filter(index_sentences(index), allowed_records)
                        if any(s.name == "main" for s in spaces) else (None, 1.0))
    text = dense_query_text(query, expansions)
    return [(space, index.in_background(_meaning_job, space, text, finding_filter,
                                        index.sentences if space.name == "main" else None,
                                        sentence_allowed, tuning)) for space in spaces]


def _meaning_arms(index: Index, lexical: Arm, pending: list[tuple[Space, Future[MeaningHits]]],
                  tuning: Tuning) -> tuple[list[Arm], MeaningHits | None]:
    """The keyword arm and the meaning arms (meaning-only hits below the floor dropped), and
    what the English space found."""
    keyword_set = set(lexical.ranking)
    arms, english = [lexical], None
    for space, future in pending:
        hits = future.result()
        english = hits if space.name == "main" else english
        arms.append(meaning_arm(space.name, *dense_ranking(index, hits.findings), keyword_set, tuning))
    return arms, english
