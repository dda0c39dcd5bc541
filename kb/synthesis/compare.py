"""Side-by-side comparison of 2–5 records: aligned metadata, findings by kind, findings from
different sources that say similar things (embedding similarity), unique findings, themes, effects."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from kb.embed import Embedder
from kb.errors import KBError
from kb.model.present import citation_line, display_title
from kb.model.schema import FINDING_KINDS, Record
from kb.model.taxonomy import Taxonomy
from kb.synthesis.evidence import (
    EffectRow,
    FindingRef,
    Frozen,
    effect_rows,
    finding_refs,
)
from kb.synthesis.evidence_map import EvidenceMap, SourceInfo, evidence_map, source_info

MIN_SOURCES, MAX_SOURCES = 2, 5
# Cosine similarity (all-MiniLM-L6-v2) above which two findings that share a theme are aligned …
MIN_SIMILARITY = 0.25
# … and above which two findings are aligned whatever their themes.
MIN_SIMILARITY_ALONE = 0.65


class MetaRow(Frozen):
    """One metadata field across the sources ('' where a source does not say)."""

    field: str
    values: tuple[str, ...]


class KindRow(Frozen):
    """The findings of one kind, one cell (possibly empty) per source."""

    kind: str
    cells: tuple[tuple[FindingRef, ...], ...]


class AlignedPair(Frozen):
    """Two findings from different sources that say similar things."""

    left: FindingRef
    right: FindingRef
    score: float
    shared_themes: tuple[str, ...] = ()


class Comparison(Frozen):
    """Everything `kb compare` and the Compare page show."""

    sources: tuple[SourceInfo, ...]
    metadata: tuple[MetaRow, ...]
    by_kind: tuple[KindRow, ...]
    aligned: tuple[AlignedPair, ...]
    unique: tuple[FindingRef, ...]
    themes: EvidenceMap
    effects: tuple[EffectRow, ...]
    notes: tuple[str, ...] = ()
    model_id: str
    min_similarity: float
    min_similarity_alone: float

    @property
    def effect_sizes(self) -> tuple[EffectRow, ...]:
        """The ratios and differences with a CI (counts and percents stay with their finding)."""
        return tuple(e for e in self.effects if e.is_effect_size)


def check_selection(ids: list[str]) -> None:
    """Refuse fewer than 2, more than 5 or repeated records with one clear line."""
    if len(set(ids)) != len(ids):
        raise KBError("the same record was given twice; compare 2 to 5 different records")
    if not MIN_SOURCES <= len(ids) <= MAX_SOURCES:
        raise KBError(f"compare needs {MIN_SOURCES} to {MAX_SOURCES} records, got {len(ids)}")


def _join(values: list[str]) -> str:
    return "; ".join(v for v in values if v)


def metadata_rows(records: list[Record]) -> list[MetaRow]:
    """Title, citation, year, type, study facts and every facet, aligned across the records."""
    fields: list[tuple[str, list[str]]] = [
        ("Title", [display_title(r) for r in records]),
        ("Citation", [citation_line(r) for r in records]),
        ("Year", [str(r.year) if r.year else "" for r in records]),
        ("Resource type", [r.resource_type or "" for r in records]),
        ("Design", [_join(r.study.design) for r in records]),
        ("Setting", [_join(r.study.setting) for r in records]),
        ("Period", [_join(r.study.period) for r in records]),
        ("Population", [_join(r.study.population) for r in records]),
        ("Sample sizes", [_join([s.text for s in r.study.sample_sizes]) for r in records]),
    ]
    facets = list(dict.fromkeys(name for r in records for name in r.facets))
    fields += [(f"Facet: {name}", [_join(r.facets.get(name, [])) for r in records])
               for name in facets]
    return [MetaRow(field=name, values=tuple(values)) for name, values in fields]


def kind_rows(groups: list[list[FindingRef]]) -> list[KindRow]:
    """Findings by kind (only kinds some source has), one cell per source."""
    rows = []
    for kind in FINDING_KINDS:
        cells = tuple(tuple(r for r in refs if r.kind == kind) for refs in groups)
        if any(cells):
            rows.append(KindRow(kind=kind, cells=cells))
    return rows


def _eligible(sims: np.ndarray, left: list[FindingRef], right: list[FindingRef],
              min_similarity: float, min_alone: float) -> np.ndarray:
    shared = np.array([[bool(set(a.themes) & set(b.themes)) for b in right] for a in left],
                      dtype=bool).reshape(sims.shape)
    return (sims >= min_alone) | (shared & (sims >= min_similarity))


def _best_pairs(sims: np.ndarray, ok: np.ndarray) -> set[tuple[int, int]]:
    """Each finding's most similar eligible finding in the other source, in both directions."""
    pairs: set[tuple[int, int]] = set()
    masked = np.where(ok, sims, -np.inf)
    for i in range(masked.shape[0]):
        if np.isfinite(masked[i]).any():
            pairs.add((i, int(np.argmax(masked[i]))))
    for j in range(masked.shape[1]):
        if np.isfinite(masked[:, j]).any():
            pairs.add((int(np.argmax(masked[:, j])), j))
    return pairs


def align_findings(groups: list[list[FindingRef]], embedder: Embedder, *,
                   min_similarity: float = MIN_SIMILARITY,
                   min_similarity_alone: float = MIN_SIMILARITY_ALONE) -> list[AlignedPair]:
    """Pairs of findings from different sources that say similar things, best first.

    A pair qualifies when its cosine similarity reaches `min_similarity_alone`, or reaches
    `min_similarity` and both findings share a theme; each finding keeps only its most similar
    qualifying finding in every other source.
    """
    texts = [r.text for refs in groups for r in refs]
    vectors = embedder.encode(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    offsets = np.cumsum([0] + [len(g) for g in groups])
    out: list[AlignedPair] = []
    for a, b in combinations(range(len(groups)), 2):
        left, right = groups[a], groups[b]
        if not left or not right:
            continue
        sims = vectors[offsets[a]:offsets[a + 1]] @ vectors[offsets[b]:offsets[b + 1]].T
        ok = _eligible(sims, left, right, min_similarity, min_similarity_alone)
        for i, j in _best_pairs(sims, ok):
            shared = tuple(t for t in left[i].themes if t in right[j].themes)
            out.append(AlignedPair(left=left[i], right=right[j], score=round(float(sims[i, j]), 4),
                                   shared_themes=shared))
    order = {(r.record_id, r.finding_id): n for n, r in enumerate(r for g in groups for r in g)}
    return sorted(out, key=lambda p: (-p.score, order[(p.left.record_id, p.left.finding_id)],
                                      order[(p.right.record_id, p.right.finding_id)]))


def _notes(records: list[Record]) -> list[str]:
    notes = []
    for record in records:
        if not record.findings:
            notes.append(f"{record.id}: no findings were extracted from this record")
        elif not any(f.effects for f in record.findings):
            notes.append(f"{record.id}: no quantitative effects")
    return notes


def compare(records: list[Record], embedder: Embedder, taxonomy: Taxonomy, *,
            min_similarity: float = MIN_SIMILARITY,
            min_similarity_alone: float = MIN_SIMILARITY_ALONE) -> Comparison:
    """Compare 2–5 records side by side (see Comparison)."""
    check_selection([r.id for r in records])
    groups = [finding_refs(r) for r in records]
    aligned = align_findings(groups, embedder, min_similarity=min_similarity,
                             min_similarity_alone=min_similarity_alone)
    paired = {(r.record_id, r.finding_id) for p in aligned for r in (p.left, p.right)}
    unique = [r for refs in groups for r in refs if (r.record_id, r.finding_id) not in paired]
    return Comparison(
        sources=tuple(source_info(r) for r in records), metadata=tuple(metadata_rows(records)),
        by_kind=tuple(kind_rows(groups)), aligned=tuple(aligned), unique=tuple(unique),
        themes=evidence_map(records, taxonomy),
        effects=tuple(row for r in records for row in effect_rows(r)),
        notes=tuple(_notes(records)), model_id=embedder.model_id,
        min_similarity=min_similarity, min_similarity_alone=min_similarity_alone)
