"""Hybrid search over findings: dense (faiss) + keywords (FTS5, bm25) fused by reciprocal rank,
with acronym expansion, Chinese queries through aligned translations, and filters."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kb.model.schema import Effect
from kb.search.acronyms import Expansion, Glossary, expand_query, load_acronyms
from kb.search.filters import allowed_by_fid, finding_mask
from kb.search.index import Index
from kb.search.keyword import Vocabulary, keyword_hits
from kb.search.lexical import (
    MAX_QUERY_CHARS,
    cjk_query_groups,
    has_cjk,
    highlight_spans,
    query_terms,
)
from kb.search.lookup import AuthorTable, lookup_records
from kb.search.spaces import Space
from kb.search.types import FindingHit, Mode, RecordGroup, SearchFilters, SearchResponse
from kb.search.vectors import id_bitmap
from kb.text.normalize import cjk_count

log = logging.getLogger(__name__)
RRF_K = 60
CANDIDATES = 100           # per arm, before fusion
DENSE_WEIGHT, LEXICAL_WEIGHT = 1.0, 1.0
DENSE_FLOOR = 0.2          # dense-only hits below this cosine similarity are dropped


def fuse(rankings: list[list[int]], *, k: int = RRF_K, weights: list[float] | None = None,
         key: Callable[[int], object] = lambda item: item) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: ids ordered by the sum of w/(k + rank) over the
    rankings (ties broken by `key`, so the order never depends on how ids were assigned)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], key(kv[0])))


def stable_keys(db: sqlite3.Connection, fids: list[int]) -> dict[int, tuple[str, str]]:
    """(record id, finding id) of finding rows: an order that survives re-indexing."""
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(fids), 900):
        chunk = fids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        out.update({f: (r, i) for f, r, i in db.execute(
            "SELECT f.fid, r.id, f.finding_id FROM findings f JOIN records r ON r.rid = f.rid "
            f"WHERE f.fid IN ({marks})", chunk)})
    return out


def _ranked(scored: list[tuple[int, float]], keys: dict[int, tuple[str, str]]) -> list[int]:
    """Ids by ascending score, ties by stable key."""
    return [f for f, _ in sorted(scored, key=lambda fs: (fs[1], keys.get(fs[0], ("", ""))))]


def index_glossary(index: Index) -> Glossary:
    """The shipped acronyms plus every record's glossary (cached until the index changes)."""
    if "glossary" not in index.cache:
        glossary = load_acronyms()
        for (entries,) in index.require_db().execute("SELECT glossary FROM records"):
            for acronym, expansion in json.loads(entries).items():
                glossary.add(acronym, expansion)
        index.cache["glossary"] = glossary
    return index.cache["glossary"]


def index_vocabulary(index: Index) -> Vocabulary:
    """Document frequencies of terms (cached until the index changes)."""
    if "vocabulary" not in index.cache:
        index.cache["vocabulary"] = Vocabulary(index.require_db())
    return index.cache["vocabulary"]


def index_authors(index: Index) -> AuthorTable:
    """First authors for fuzzy lookup (cached until the index changes)."""
    if "authors" not in index.cache:
        index.cache["authors"] = AuthorTable.from_db(index.require_db())
    return index.cache["authors"]


# -- the two arms ----------------------------------------------------------------------------
def lexical_ranking(index: Index, query: str, terms: list[str],
                    expansions: list[Expansion], allowed: np.ndarray | None) -> list[int]:
    """Finding ids by keywords (English and Chinese arms fused), filtered."""
    db = index.require_db()
    english, chinese = keyword_hits(index_vocabulary(index), query, terms, expansions, allowed)
    keys = stable_keys(db, [f for f, _ in english + chinese])
    arms = [_ranked(arm, keys)[:CANDIDATES] for arm in (english, chinese) if arm]
    if len(arms) == 1:
        return arms[0]
    return [f for f, _ in fuse(arms, key=keys.get)][:CANDIDATES]


def dense_query_text(query: str, expansions: list[Expansion]) -> str:
    """The query as embedded: acronyms followed by their long forms."""
    extra = [e.expansions[0] for e in expansions if e.direction == "acronym→words"]
    return f"{query} ({'; '.join(extra)})" if extra else query


def dense_ranking(index: Index, space: Space, vector: np.ndarray, allowed: np.ndarray | None,
                  share: float) -> tuple[list[int], dict[int, float]]:
    """Finding ids by cosine similarity to the query vector in a space, filtered, with their
    similarities."""
    if space.vectors.size == 0:
        return [], {}
    bitmap = id_bitmap(np.flatnonzero(allowed), len(allowed)) if allowed is not None else None
    ids, scores = space.vectors.search(vector, CANDIDATES, bitmap, share)
    sims = {int(i): float(s) for i, s in zip(ids, scores, strict=True)}
    keys = stable_keys(index.require_db(), list(sims))
    return _ranked([(f, -s) for f, s in sims.items()], keys), sims


# -- the search ------------------------------------------------------------------------------
def search(index: Index, query: str, *, filters: SearchFilters | None = None, k: int = 10,
           mode: Mode = "hybrid") -> SearchResponse:
    """The k best findings for a query, grouped by record."""
    started = time.perf_counter()
    filters = filters or SearchFilters()
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    response = SearchResponse(query=query, mode=mode, filters=filters)
    terms = query_terms(query)
    if not terms and not has_cjk(query):
        response.notice = "Type a few words to search for (the query had no searchable words)."
        return response
    db = index.require_db()
    expansions = expand_query(query, index_glossary(index))
    response.expansions = [e.note() for e in expansions]
    mask = finding_mask(db, index.arrays, filters)
    allowed = allowed_by_fid(index.arrays, mask) if mask is not None else None
    share = float(mask.mean()) if mask is not None and len(mask) else 1.0
    arms = _arms(index, query, terms, expansions, mode, allowed, share)
    candidates = list({f for arm in arms for f in arm.ranking})
    keys = stable_keys(db, candidates)
    live = [arm for arm in arms if arm.ranking]
    fused = fuse([a.ranking for a in live], weights=[a.weight for a in live], key=keys.get)[:k]
    response.total_hits = len(candidates)
    response.groups = _groups(db, fused, {a.name: a for a in arms}, terms, expansions, query)
    response.record_matches = lookup_records(db, index_authors(index), query)
    response.took_ms = (time.perf_counter() - started) * 1000
    return response


def _mostly_cjk(query: str) -> bool:
    """The English-only embedding model cannot read a query that is mostly Chinese."""
    cjk = cjk_count(query)
    return cjk > 0 and cjk >= len(query.replace(" ", "")) / 2


@dataclass
class Arm:
    """One retrieval arm's ranking (finding ids, best first) and, for meaning arms, similarities."""

    name: str
    ranking: list[int] = field(default_factory=list)
    sims: dict[int, float] = field(default_factory=dict)
    weight: float = 1.0

    def rank(self, fid: int) -> int | None:
        if not hasattr(self, "_ranks"):
            self._ranks = {f: i for i, f in enumerate(self.ranking, 1)}
        return self._ranks.get(fid)


def _arms(index: Index, query: str, terms: list[str], expansions: list[Expansion], mode: Mode,
          allowed: np.ndarray | None, share: float) -> list[Arm]:
    """Run the keyword arm while the query is encoded, then the meaning arms; meaning-only
    hits below DENSE_FLOOR are dropped."""
    index.require_db()  # fails early when the index is closed
    spaces = [] if mode == "lexical" else [
        s for s in index.spaces if s.name != "main" or not _mostly_cjk(query)]
    text = dense_query_text(query, expansions)
    pending = [(space, index.query_vector_soon(text, space)) for space in spaces]
    lexical = Arm("lexical", weight=LEXICAL_WEIGHT)
    if mode != "dense":
        lexical.ranking = lexical_ranking(index, query, terms, expansions, allowed)
    keyword_set = set(lexical.ranking)
    arms = [lexical]
    for space, vector in pending:
        ranking, sims = dense_ranking(index, space, vector.result(), allowed, share)
        ranking = [f for f in ranking if f in keyword_set or sims[f] >= DENSE_FLOOR]
        arms.append(Arm("dense" if space.name == "main" else space.name, ranking, sims,
                        DENSE_WEIGHT))
    return arms


def _rank(arms: dict[str, Arm], name: str, fid: int) -> int | None:
    return arms[name].rank(fid) if name in arms else None


def _sim(arms: dict[str, Arm], name: str, fid: int) -> float | None:
    """The similarity of a hit in a meaning arm that ranked it (None otherwise)."""
    if name not in arms or arms[name].rank(fid) is None:
        return None
    return arms[name].sims.get(fid)


HIT_SQL = ("SELECT f.fid, r.id, f.finding_id, f.kind, f.text, f.section, f.span_start, f.span_end, "
           "f.themes, f.effects, f.zh, r.rid, f.context FROM findings f "
           "JOIN records r ON r.rid = f.rid "
           "WHERE f.fid IN ({marks})")
GROUP_SQL = ("SELECT rid, id, title, authors, year, venue, resource_type, citation, designs "
             "FROM records WHERE rid IN ({marks})")


def _groups(db: sqlite3.Connection, fused: list[tuple[int, float]], arms: dict[str, Arm],
            terms: list[str], expansions: list[Expansion], query: str) -> list[RecordGroup]:
    if not fused:
        return []
    marks = ",".join("?" * len(fused))
    rows = {r[0]: (*r[:8], json.loads(r[8]), json.loads(r[9]), *r[10:])
            for r in db.execute(HIT_SQL.format(marks=marks), [f for f, _ in fused])}
    rids = list(dict.fromkeys(rows[f][11] for f, _ in fused))
    marks = ",".join("?" * len(rids))
    meta = {r[0]: (*r[:8], json.loads(r[8])) for r in db.execute(GROUP_SQL.format(marks=marks), rids)}
    return build_groups(fused, rows, meta, arms, terms, expansions, query)


def build_groups(fused: list[tuple[int, float]], rows: dict[int, tuple], meta: dict[int, tuple],
                 arms: dict[str, Arm], terms: list[str], expansions: list[Expansion],
                 query: str) -> list[RecordGroup]:
    """Hits grouped by record from HIT_SQL rows by finding id and GROUP_SQL rows by record row
    id (their JSON columns decoded); shared by every index backend."""
    words = terms + [w for e in expansions for x in (e.expansions if e.direction == "acronym→words"
                                                     else [e.acronym]) for w in query_terms(x)]
    cjk_words = [g for grams in cjk_query_groups(query) for g in grams]
    groups: OrderedDict[int, list[FindingHit]] = OrderedDict()
    for fid, score in fused:
        row = rows[fid]
        hit = FindingHit(
            record_id=row[1], finding_id=row[2], kind=row[3], text=row[4], section=row[5],
            span=(row[6], row[7]), themes=list(row[8]),
            effects=[Effect(**e) for e in row[9]], translation_zh=row[10],
            score=score, similarity=_sim(arms, "dense", fid), dense_rank=_rank(arms, "dense", fid),
            lexical_rank=_rank(arms, "lexical", fid),
            similarity_multilingual=_sim(arms, "multilingual", fid),
            multilingual_rank=_rank(arms, "multilingual", fid),
            highlights=highlight_spans(row[4], words),
            highlights_zh=highlight_spans(row[10], cjk_words) if cjk_words else [])
        hit.matched_terms = sorted({row[4][s:e].lower() for s, e in hit.highlights})[:8]
        if hit.lexical_rank is not None and not hit.matched_terms:
            hit.context_terms = sorted({row[12][s:e].lower()
                                        for s, e in highlight_spans(row[12], words)})[:8]
        groups.setdefault(row[11], []).append(hit)
    return [RecordGroup(record_id=meta[rid][1], title=meta[rid][2], authors=meta[rid][3],
                        year=meta[rid][4], venue=meta[rid][5], resource_type=meta[rid][6],
                        citation=meta[rid][7], designs=list(meta[rid][8]),
                        score=hits[0].score, hits=hits) for rid, hits in groups.items()]
