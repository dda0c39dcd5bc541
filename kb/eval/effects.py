"""Score `parse_effects` against the hand-written findings gold (tests/gold/findings/*.json).

Each gold finding's text is parsed and its effects are matched to the gold effects as a multiset on
(measure, value, value_high, ci_low, ci_high). `effect_scores(split)` gives precision, recall and F1
over all findings of the files in that split ("tune" or "heldout"); `kb eval` prints them.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.extract.effects import parse_effects
from kb.eval.gold import FINDINGS_GOLD, findings_gold
from kb.eval.metrics import PRF

log = logging.getLogger(__name__)


EffectKey = tuple[str, float | None, float | None, float | None, float | None]


@dataclass
class FindingScore:
    """Matched, predicted and gold effect keys of one gold finding."""

    file: str
    text: str
    predicted: Counter
    gold: Counter

    @property
    def true_positives(self) -> int:
        return sum((self.predicted & self.gold).values())


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def effect_key(effect: dict) -> EffectKey:
    """The matching key of an effect given as a dict (gold JSON or `Effect.model_dump()`)."""
    return (
        str(effect.get("measure")),
        _round(effect.get("value")),
        _round(effect.get("value_high")),
        _round(effect.get("ci_low")),
        _round(effect.get("ci_high")),
    )


def finding_scores(split: str, gold_dir: Path = FINDINGS_GOLD) -> list[FindingScore]:
    """Per-finding predicted and gold effect keys for every finding of a split."""
    scores = []
    for path, data in findings_gold(split, gold_dir):
        for finding in data.get("findings", []):
            predicted = Counter(effect_key(e.model_dump()) for e in parse_effects(finding["text"]))
            gold = Counter(effect_key(e) for e in finding.get("effects", []))
            scores.append(FindingScore(path.stem, finding["text"], predicted, gold))
    return scores


def effect_scores(split: str, gold_dir: Path = FINDINGS_GOLD) -> tuple[float, float, float]:
    """(precision, recall, F1) of parse_effects on the gold findings of a split."""
    scores = finding_scores(split, gold_dir)
    if not scores:
        log.warning("no gold findings for split %r in %s", split, gold_dir)
        return 0.0, 0.0, 0.0
    tp = sum(s.true_positives for s in scores)
    n_pred = sum(sum(s.predicted.values()) for s in scores)
    n_gold = sum(sum(s.gold.values()) for s in scores)
    log.debug("effects %s: tp=%d predicted=%d gold=%d", split, tp, n_pred, n_gold)
    return PRF(tp, n_pred - tp, n_gold - tp).scores()
