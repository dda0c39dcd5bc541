"""Record-level score fusion: each record's whole-text keyword score (bm25) and its best
sentence's cosine, each standardised over the query's candidates (z-scores), mixed by a share,
plus a bonus by the rank of the record's best finding.

Chosen over reciprocal rank fusion on SciFact's train claims (benchmarks/beir_tune.py): a rank
throws away how far ahead the first keyword or meaning match is, which a score keeps."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


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
