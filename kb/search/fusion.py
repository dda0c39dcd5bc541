"""Fusion, pure and shared by both backends: weighted reciprocal rank fusion of rankings, and
record-level fusion (fuse_records) of a record's whole-text keyword score, its best sentence's
cosine and the rank of its best finding — by standardised scores (each arm's candidates as
z-scores, mixed by a share, plus a bonus by the rank of the record's best finding) or by
reciprocal rank.

Score fusion was chosen over reciprocal rank fusion on SciFact's train claims
(benchmarks/beir_tune.py): a rank throws away how far ahead the first keyword or meaning match
is, which a score keeps."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kb.search.tuning import Tuning


def fuse(rankings: list[list[int]], *, k: int = 60, weights: list[float] | None = None,
         key: Callable[[int], object] = lambda item: item) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: ids ordered by the sum of w/(k + rank) over the
    rankings (ties broken by `key`, so the order never depends on how ids were assigned)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], key(kv[0])))


def standardised(scores: dict[int, float]) -> dict[int, float]:
    """z-scores of one arm's candidate scores (higher is better); a single candidate or equal
    scores give 0 for every candidate."""
    if not scores:
        return {}
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    spread = float(values.std())
    if spread < 1e-12:
        return dict.fromkeys(scores, 0.0)
    mean = float(values.mean())
    return {item: (value - mean) / spread for item, value in scores.items()}


def score_fuse(keywords: dict[int, float], meaning: dict[int, float], findings: list[int], *,
               keyword_share: float, findings_bonus: float,
               key: Callable[[int], object] = lambda item: item) -> list[tuple[int, float]]:
    """Items by keyword_share·z(keyword) + (1 − keyword_share)·z(meaning) + findings_bonus/rank
    of the item in `findings` (best first). An item one arm did not return takes that arm's
    lowest standardised score among its candidates. Ties are broken by `key`."""
    z_keywords, z_meaning = standardised(keywords), standardised(meaning)
    floor_k = min(z_keywords.values(), default=0.0)
    floor_m = min(z_meaning.values(), default=0.0)
    ranks = {item: rank for rank, item in enumerate(dict.fromkeys(findings), start=1)}
    share_m = 1.0 - keyword_share
    fused = {}
    for item in set(z_keywords) | set(z_meaning) | set(ranks):
        score = keyword_share * z_keywords.get(item, floor_k) + share_m * z_meaning.get(item, floor_m)
        if item in ranks:
            score += findings_bonus / ranks[item]
        fused[item] = score
    return sorted(fused.items(), key=lambda kv: (-kv[1], key(kv[0])))


def fuse_records(by_findings: list[int], keywords: list[int], keyword_scores: dict[int, float],
                 meaning: list[int], meaning_scores: dict[int, float], tuning: Tuning, *,
                 key: Callable[[int], object]) -> list[tuple[int, float]]:
    """Records by their whole text's keywords (ranked, with scores: higher better), their best
    sentence's meaning (ranked, with cosines) and their best finding (records in the order of
    their best fused finding): by standardised scores (tuning.record_fusion "scores", the
    default) or by weighted reciprocal rank ("rrf"); ties by `key`."""
    if tuning.record_fusion == "scores":
        return score_fuse(keyword_scores, {r: meaning_scores[r] for r in meaning}, by_findings,
                          keyword_share=tuning.record_keyword_share,
                          findings_bonus=tuning.record_findings_bonus, key=key)
    lists = [(by_findings, tuning.record_findings_weight), (keywords, tuning.record_lexical_weight),
             (meaning, tuning.record_dense_weight)]
    lists = [(r, w) for r, w in lists if r]
    return fuse([r for r, _ in lists], k=tuning.record_rrf_k, weights=[w for _, w in lists], key=key)
