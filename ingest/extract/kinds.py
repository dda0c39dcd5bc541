"""The kind of a finding, learned: a softmax over the words and word pairs of its text, the cue
phrases of `ingest.extract.lexicon` (as features, not as the decision), its section role, and whether
it carries numbers, effect sizes or an intervention contrast. Trained by
`benchmarks/train_models.py` on the tune split of tests/gold/kinds; the model is
`kind_model.json` (classes, vocabulary, training data hash, scores) + `kind_model.npz` (weights)
beside this file. Its classes are the seven finding kinds and `none` (not a finding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.extract import lexicon as lx
from kb.text.linear import LEXICAL, ModelFile, load_model

MODEL_STEM = Path(__file__).with_name("kind_model")
NONE = "none"
WINDOW = 256
#: section roles the model tells apart; any other role counts as "other"
ROLES = ("results", "conclusions")
_CUES = (lx.RECOMMENDATION, lx.BARRIER, lx.STRATEGY, lx.FACILITATOR, lx.OUTCOME, lx.RESULT,
         lx.NOT_A_FINDING)
_SHAPES = tuple(re.compile(p, re.I) for p in (
    r"\d", r"\d\s?%", r"\bp\s?[<=>]", r"\b(?:95|99|90)\s?%|\bci\b|confidence interval",
    r"(?-i:\b(?:a?[OHI]RR?|RD|MD|SMD)\b)|odds ratio|hazard ratio|relative risk",
    r"\b(?:intervention|control|placebo|usual care|arms?|randomi[sz]ed|treatment) (?:group|arm)s?\b",
    r"\b(?:compared (?:with|to)|versus|vs\.?|than|relative to)\b",
    r"\b(?:after|before|following|pre|post)[- ](?:the )?(?:intervention|program|implementation|enrol)",
    r"\b(?:no|not) (?:significant(?:ly)?|statistically) ?(?:differ|difference|change|effect)?",
    r"\b(?:should|must|need(?:s|ed)? to|warrant|recommend)", r"\b(?:may|might|could|suggest)",
    r"\b(?:we|our)\b", r"^\W*[A-Z][^.!?]{0,80}$",
))


@dataclass(frozen=True)
class KindInput:
    """What the kind model reads of one finding candidate."""

    text: str
    role: str
    bullet: bool = False
    has_effects: bool = False


def _dense(item: KindInput) -> list[float]:
    text = " ".join(item.text.split())
    role = item.role if item.role in ROLES else "other"
    return [
        *(1.0 if rx.search(text) else 0.0 for rx in _CUES),
        *(1.0 if rx.search(text) else 0.0 for rx in _SHAPES),
        *(1.0 if role == r else 0.0 for r in (*ROLES, "other")),
        float(item.bullet), float(item.has_effects), min(len(text.split()), 80) / 40.0,
    ]


DENSE_SIZE = len(_dense(KindInput("x", "results")))


def kind_features(model: ModelFile, items: list[KindInput]) -> np.ndarray:
    """Feature rows: the n-gram bag over the model's vocabulary, then the dense features."""
    dense = np.array([_dense(i) for i in items], dtype=np.float32).reshape(len(items), DENSE_SIZE)
    return np.hstack([model.bag([i.text for i in items]), dense])


def kind_model() -> ModelFile:
    """The shipped kind model."""
    return load_model(MODEL_STEM)


def kind_proba(items: list[KindInput]) -> tuple[tuple[str, ...], np.ndarray]:
    """The model's classes and, per item, the probability of each."""
    model = kind_model()
    variant = model.variant(None)
    proba = np.zeros((len(items), len(variant.classes)))
    for a in range(0, len(items), WINDOW):  # bounded memory, time linear in the number of items
        proba[a:a + WINDOW] = variant.proba(kind_features(model, items[a:a + WINDOW]))
    return variant.classes, proba


def classify_kinds(items: list[KindInput]) -> list[tuple[str, float, float]]:
    """Per item: the most probable finding kind, its probability among the finding kinds, and
    the probability that the item is not a finding at all."""
    classes, proba = kind_proba(items)
    none = classes.index(NONE)
    kinds = [c for c in range(len(classes)) if c != none]
    out = []
    for row in proba:
        best = max(kinds, key=lambda c: row[c])
        rest = float(row[kinds].sum())
        out.append((classes[best], float(row[best] / rest) if rest else 0.0, float(row[none])))
    return out


def none_threshold() -> float:
    """p(none) at or above which a candidate is dropped (chosen on tune by the trainer)."""
    return float(kind_model().meta.get("none_threshold", 1.01))


__all__ = ["LEXICAL", "KindInput", "classify_kinds", "kind_features", "kind_model", "none_threshold"]
