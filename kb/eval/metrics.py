"""The one precision / recall / F1 counter every evaluation uses, and the ranking metrics (DCG,
nDCG, reciprocal rank) of the search evaluations."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass


@dataclass
class PRF:
    """True positives, false positives and false negatives, summed over whatever is scored.
    An empty prediction of an empty gold scores 1.0; predicting nothing of something scores
    precision 1.0, recall 0.0."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def add_multisets(self, predicted: Counter, gold: Counter) -> None:
        """Add one comparison of two multisets (keys matched exactly)."""
        hit = sum((predicted & gold).values())
        self.add(hit, sum(predicted.values()) - hit, sum(gold.values()) - hit)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (0.0 if self.fn else 1.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def scores(self) -> tuple[float, float, float]:
        """(precision, recall, F1)."""
        return self.precision, self.recall, self.f1


def dcg(gains: list[float], k: int) -> float:
    """Discounted cumulative gain of the first k gains (rank 1 undiscounted)."""
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains[:k], 1))


def ndcg(gains: list[float], ideal: list[float], k: int) -> float:
    """nDCG@k of a ranked list's gains against the best possible order of the judged gains."""
    best = dcg(sorted(ideal, reverse=True), k)
    return dcg(gains, k) / best if best else 0.0


def reciprocal_rank(relevant: list[bool]) -> float:
    """1/rank of the first relevant item (0 when none is)."""
    return next((1.0 / rank for rank, r in enumerate(relevant, 1) if r), 0.0)
