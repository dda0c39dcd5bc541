"""The one precision / recall / F1 counter every evaluation uses."""

from __future__ import annotations

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
