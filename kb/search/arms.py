"""What the arms of one search found, handed from ranking (kb.search.hybrid) to the building of
the response (kb.search.grouping)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kb.search.records import BestSentences
from kb.search.tuning import Tuning


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


def meaning_arm(space: str, ranking: list[int], sims: dict[int, float], keyword: set[int],
                tuning: Tuning) -> Arm:
    """The meaning arm of space `space` (finding ids by cosine): hits the keyword arm did not
    also find are kept only at or above the meaning floor (both backends)."""
    kept = [f for f in ranking if f in keyword or sims[f] >= tuning.dense_floor]
    return Arm("dense" if space == "main" else space, kept, sims, tuning.dense_weight)


@dataclass
class Ranking:
    """Everything one query's arms found: the finding arms and their fusion, the record arms,
    and the records in fused order (what the groups of the response are made from)."""

    arms: list[Arm] = field(default_factory=list)
    findings: list[tuple[int, float]] = field(default_factory=list)       # (fid, fused score)
    record_keywords: list[int] = field(default_factory=list)               # record row ids
    record_keyword_scores: dict[int, float] = field(default_factory=dict)  # rid → −bm25 (higher better)
    best_sentences: BestSentences = field(default_factory=BestSentences)
    records: list[tuple[int, float]] = field(default_factory=list)        # (rid, fused score)
    vector: np.ndarray | None = None                                        # the English query vector
    allowed: np.ndarray | None = None                                       # allowed finding ids
