"""The groups of a search response: records ranked by their best hit (strong before weak, fused
order within), each with its matched findings strong first then by fused score (or, when only its
other text matched, its findings closest to the query), and the sentence that matched but is not
a finding shown as context."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np

from kb.model.schema import Effect
from kb.search.acronyms import Expansion
from kb.search.arms import Arm, Ranking
from kb.search.index import Index
from kb.search.index_db import TITLE_SECTION
from kb.search.lexical import highlight_spans, query_terms
from kb.search.types import ContextHit, FindingHit, RecordGroup
from kb.search.vectors import id_bitmap

BEST_FINDINGS = 2  # findings shown for a record that matched through its other text only
HIT_SQL = ("SELECT f.fid, r.id, f.finding_id, f.kind, f.text, f.section, f.span_start, f.span_end, "
           "f.themes, f.effects, f.zh, r.rid, f.context FROM findings f "
           "JOIN records r ON r.rid = f.rid WHERE f.fid IN ({marks})")
GROUP_SQL = ("SELECT rid, id, title, authors, year, venue, resource_type, citation, designs "
             "FROM records WHERE rid IN ({marks})")
SENTENCE_SQL = ("SELECT sid, section, span_start, span_end, text FROM sentences "
                "WHERE rid = ? AND fid = 0 AND section > ? ORDER BY sid")


Chosen = list[tuple[int, float, list[int], bool]]  # (rid, record score, finding ids, matched)


def record_groups(index: Index, ranking: Ranking, k: int, words: list[str],
                  cjk_groups: list[list[str]]) -> list[RecordGroup]:
    """The k best records in record order (rank_records; then strong before weak, strong_first),
    each with its matched findings in fused order (at most k), or, when only its other text
    matched, its findings closest to the query. Records used to be the records of the k best
    findings first: on SciFact that hid the best record of most claims (displayed nDCG@10 0.70
    against 0.75 for the record order)."""
    db = index.require_db()
    fused = [f for f, _ in ranking.findings]
    chosen, closest = choose_records(ranking, k, index.arrays.rids_of(fused),
                                     lambda rid: best_findings(index, ranking, rid, words))
    if not chosen:
        return []
    all_fids = [f for _, _, fids, _ in chosen for f in fids]
    rows = {r[0]: (*r[:8], json.loads(r[8]), json.loads(r[9]), *r[10:]) for r in db.execute(
        HIT_SQL.format(marks=",".join("?" * len(all_fids))), all_fids)} if all_fids else {}
    rids = [rid for rid, _, _, _ in chosen]
    meta = {r[0]: (*r[:8], json.loads(r[8])) for r in db.execute(
        GROUP_SQL.format(marks=",".join("?" * len(rids))), rids)}
    return assemble(ranking, chosen, closest, rows, meta, words, cjk_groups,
                    lambda rid: db.execute(SENTENCE_SQL, (rid, TITLE_SECTION)).fetchall())


def choose_records(ranking: Ranking, k: int, fused_rids: list[int],
                   best: Callable[[int], list[tuple[int, float | None]]]) -> tuple[Chosen, dict[int, float]]:
    """The k best records of ranking.records with their findings: those matched, in fused order
    (at most k; `fused_rids`: the record row id of each of ranking.findings), or, for a record
    only its other text matched, `best(rid)` (finding row id, cosine or None); and the cosines
    of those best findings."""
    matched: dict[int, list[int]] = {}
    for (fid, _), rid in zip(ranking.findings, fused_rids, strict=True):
        if len(matched.setdefault(rid, [])) < k:
            matched[rid].append(fid)
    chosen: Chosen = []
    closest: dict[int, float] = {}
    for rid, score in ranking.records[:k]:
        fids, found = matched.get(rid, []), True
        if not fids:
            nearest = best(rid)
            fids, found = [f for f, _ in nearest], False
            closest.update((f, s) for f, s in nearest if s is not None)
        chosen.append((rid, score, fids, found))
    return chosen, closest


def strong_first(groups: list[RecordGroup]) -> list[RecordGroup]:
    """Groups ordered by the strength of their best hit, each group's hits strong first; ties
    keep the fused order, so a weak title-only hit never outranks a strong one of the next record."""
    for group in groups:
        group.hits = sorted(group.hits, key=lambda h: -h.strength)
    return sorted(groups, key=lambda g: -g.strength)


def highlight_words(terms: list[str], expansions: list[Expansion]) -> list[str]:
    """The words a response highlights: the query's terms and its acronyms' other forms."""
    return terms + [w for e in expansions for x in (e.expansions if e.direction == "acronym→words"
                                                    else [e.acronym]) for w in query_terms(x)]


def best_findings(index: Index, ranking: Ranking, rid: int, words: list[str]
                  ) -> list[tuple[int, float | None]]:
    """A record's findings (those passing the filters) closest to the query: by cosine when
    the query was embedded, else by how many query words they hold."""
    rows = index.require_db().execute("SELECT fid, text FROM findings WHERE rid = ? ORDER BY fid",
                                      (rid,)).fetchall()
    allowed = ranking.allowed
    rows = [(f, t) for f, t in rows if allowed is None or (f < len(allowed) and allowed[f])]
    if not rows:
        return []
    if ranking.vector is not None and index.vectors.size:
        closest = _closest(index, [f for f, _ in rows], ranking.vector)
        if closest:
            return closest
    return by_words(rows, words)


def by_words(rows: list[tuple[int, str]], words: list[str]) -> list[tuple[int, float | None]]:
    """The BEST_FINDINGS of (finding row id, text) holding the most query words (ties by id)."""
    counts = [(-len(highlight_spans(t, words)), f) for f, t in rows]
    return [(f, None) for _, f in sorted(counts)[:BEST_FINDINGS]]


def _closest(index: Index, fids: list[int], vector: np.ndarray) -> list[tuple[int, float | None]]:
    """The BEST_FINDINGS of these findings closest to the query vector, from their stored
    vectors (a few dot products, not a search of the whole index); ties by finding row id."""
    ids = np.array(fids, dtype=np.int64)
    try:
        sims = index.vectors.vectors_of(ids) @ np.asarray(vector, dtype=np.float32).reshape(-1)
    except RuntimeError:  # a finding a concurrent writer added has no vector here yet
        bitmap = id_bitmap(ids, int(ids.max()) + 1)  # ids past its end are not members
        found, scores = index.vectors.search(vector, BEST_FINDINGS, bitmap,
                                             len(ids) / max(index.vectors.size, 1))
        return [(int(i), float(s)) for i, s in zip(found, scores, strict=True)]
    best = sorted(zip(sims.tolist(), fids, strict=True), key=lambda sf: (-sf[0], sf[1]))
    return [(f, float(s)) for s, f in best[:BEST_FINDINGS]]


def assemble(ranking: Ranking, chosen: Chosen, closest: dict[int, float], rows: dict[int, tuple],
             meta: dict[int, tuple], words: list[str], cjk_groups: list[list[str]],
             sentences: Callable[[int], list[tuple]]) -> list[RecordGroup]:
    """The groups of the chosen records from their HIT_SQL rows by finding row id and GROUP_SQL
    rows by record row id (JSON columns decoded), each with its context sentence (choose_context
    over `sentences(rid)`: its SENTENCE_SQL rows)."""
    arms = {a.name: a for a in ranking.arms}
    fused = dict(ranking.findings)
    cjk_words = [g for grams in cjk_groups for g in grams]
    groups = []
    for rid, score, fids, found in chosen:
        hits = [_hit(rows[f], fused.get(f, 0.0), arms, words, cjk_words, found) for f in fids]
        for hit, fid in zip(hits, fids, strict=True):
            hit.similarity = closest.get(fid, hit.similarity)
        m = meta[rid]
        groups.append(RecordGroup(
            record_id=m[1], title=m[2], authors=m[3], year=m[4], venue=m[5], resource_type=m[6],
            citation=m[7], designs=list(m[8]), score=score, hits=hits,
            context=choose_context(sentences(rid), ranking.best_sentences.best.get(rid), words, hits)))
    return strong_first(groups)


def _rank(arms: dict[str, Arm], name: str, fid: int) -> int | None:
    return arms[name].rank(fid) if name in arms else None


def _sim(arms: dict[str, Arm], name: str, fid: int) -> float | None:
    """The similarity of a hit in a meaning arm that ranked it (None otherwise)."""
    if name not in arms or arms[name].rank(fid) is None:
        return None
    return arms[name].sims.get(fid)


def _hit(row: tuple, score: float, arms: dict[str, Arm], words: list[str], cjk_words: list[str],
         found: bool) -> FindingHit:
    fid = row[0]
    hit = FindingHit(
        record_id=row[1], finding_id=row[2], kind=row[3], text=row[4], section=row[5],
        span=(row[6], row[7]), themes=list(row[8]),
        effects=[Effect(**e) for e in row[9]], translation_zh=row[10],
        score=score, similarity=_sim(arms, "dense", fid), dense_rank=_rank(arms, "dense", fid),
        lexical_rank=_rank(arms, "lexical", fid),
        similarity_multilingual=_sim(arms, "multilingual", fid),
        multilingual_rank=_rank(arms, "multilingual", fid), matched=found,
        highlights=highlight_spans(row[4], words),
        highlights_zh=highlight_spans(row[10], cjk_words) if cjk_words else [])
    hit.matched_terms = sorted({row[4][s:e].lower() for s, e in hit.highlights})[:8]
    if hit.lexical_rank is not None and not hit.matched_terms:
        hit.context_terms = sorted({row[12][s:e].lower()
                                    for s, e in highlight_spans(row[12], words)})[:8]
    return hit


def choose_context(rows: list[tuple], best: tuple[int, float] | None, words: list[str],
                   hits: list[FindingHit]) -> list[ContextHit]:
    """The record's sentence that matched best and is not a finding, from its SENTENCE_SQL
    rows (sid, section, span start, span end, text): its closest sentence by meaning (`best`:
    sid, cosine) when that holds no finding, else (when no shown finding holds a query word)
    the sentence holding the most query words."""
    if not rows:
        return []
    by_sid = {r[0]: r for r in rows}
    if best is not None and best[0] in by_sid:
        return [_context_hit(by_sid[best[0]], words, best[1])]
    if any(h.matched_terms for h in hits):
        return []
    counted = [(len({r[4][s:e].lower() for s, e in highlight_spans(r[4], words)}), -r[0], r)
               for r in rows if r[1] >= 0]
    count, _, row = max(counted, default=(0, 0, None))
    return [_context_hit(row, words, None)] if count and row is not None else []


def _context_hit(row: tuple, words: list[str], similarity: float | None) -> ContextHit:
    spans = highlight_spans(row[4], words)
    return ContextHit(text=row[4], section=row[1], span=(row[2], row[3]), similarity=similarity,
                      matched_terms=sorted({row[4][s:e].lower() for s, e in spans})[:8],
                      highlights=spans)
