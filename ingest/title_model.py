"""The learned line-role model of page headers (`ingest/data/title_model.json`): a multinomial
logistic regression over ingest.header_features (a line's shape and its neighbours'), trained by
benchmarks/train_title_model.py on line roles derived from the tune captures' gold. The file holds
the weights, the training-data hash, the grouped-by-site cross-validation scores, and the
decision the cross-validation chose: "rules" (the model is not used), "veto" (a line the rules
accept is dropped when the model gives it a title probability under the threshold) or "model"
(the model picks the title among title-shaped lines). Run time needs only the standard library."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from ingest.header_features import Context, line_features

MODEL_FILE = Path(__file__).parent / "data" / "title_model.json"
Decision = Literal["rules", "veto", "model"]


class TitleModel(BaseModel):
    """Weights of one multinomial logistic regression over named features."""

    features: list[str]
    classes: list[str]
    weights: list[list[float]]  # one row per class
    bias: list[float]
    scale: list[float]  # each feature is divided by its scale before the dot product
    threshold: float
    decision: Decision
    training_hash: str
    cv: dict[str, dict[str, float]] = {}

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        x = [features.get(name, 0.0) / s for name, s in zip(self.features, self.scale, strict=True)]
        logits = [b + sum(w * v for w, v in zip(row, x, strict=True)) for row, b in zip(self.weights, self.bias, strict=True)]
        top = max(logits)
        exp = [math.exp(v - top) for v in logits]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}


@cache
def shipped() -> TitleModel | None:
    """The model the package ships, or None when the file is absent (rules only)."""
    if not MODEL_FILE.is_file():
        return None
    return TitleModel.model_validate(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


#: Set by a benchmark to compare decisions ('rules' ignores the model); None follows the file.
OVERRIDE: Decision | None = None


def decision() -> Decision:
    """How titles are decided: the override, else the shipped file's choice, else rules."""
    if OVERRIDE is not None:
        return OVERRIDE
    model = shipped()
    return model.decision if model is not None else "rules"


def title_probability(ctx: Context, n: int) -> float:
    """The shipped model's probability that line n of the header is the title (1.0 without a model)."""
    model = shipped()
    if model is None:
        return 1.0
    return model.probabilities(line_features(ctx, n)).get("title", 0.0)
