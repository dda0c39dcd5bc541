"""Small linear classifiers shipped inside the package: softmax over standardised features, read
from a JSON file (classes, vocabulary, where it came from, its scores) and an npz file (weights),
never a pickle. The role model (kb.text.roles) and the finding-kind model (ingest.extract.kinds)
both use it; `benchmarks/train_models.py` writes them.

A model file holds several *variants* of one classifier: one whose features include the sentence
vectors of a named embedding model, and one without them. `ModelFile.variant(model_id)` picks the
embedding variant only when the embedder in use is the one it was trained with.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

LEXICAL = "lexical"  # the variant that needs no sentence vectors
_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?|[%<>=±]")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; every number becomes '0' (the value never matters, its shape may)."""
    return ["0" if tok[0].isdigit() else tok for tok in _TOKEN.findall(text.lower())]


def ngrams(text: str) -> set[str]:
    """Unigrams and bigrams of a text, plus its first word marked '^word'."""
    toks = tokens(text)
    grams = set(toks)
    grams.update(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    if toks:
        grams.add("^" + toks[0])
    return grams


@dataclass(frozen=True)
class Variant:
    """One trained softmax classifier: x -> softmax(((x - mean) / scale) @ W.T + b)."""

    name: str
    classes: tuple[str, ...]
    weights: np.ndarray  # (classes, features)
    bias: np.ndarray  # (classes,)
    mean: np.ndarray  # (features,)
    scale: np.ndarray  # (features,)
    embedder: str | None = None  # model_id of the sentence vectors among its features

    @property
    def uses_vectors(self) -> bool:
        return self.embedder is not None

    def log_proba(self, x: np.ndarray) -> np.ndarray:
        """Log class probabilities per row of x (float64, deterministic)."""
        z = ((x.astype(np.float64) - self.mean) / self.scale) @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def proba(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.log_proba(x))


@dataclass(frozen=True)
class ModelFile:
    """The variants of one classifier with the vocabulary and facts its JSON file records."""

    meta: dict[str, Any]
    vocabulary: dict[str, int]
    variants: dict[str, Variant] = field(default_factory=dict)

    def variant(self, model_id: str | None) -> Variant:
        """The embedding variant trained with this embedder, else the lexical one."""
        for var in self.variants.values():
            if var.embedder is not None and var.embedder == model_id:
                return var
        return self.variants[LEXICAL]

    def bag(self, texts: list[str]) -> np.ndarray:
        """Binary n-gram features of each text over the vocabulary."""
        out = np.zeros((len(texts), len(self.vocabulary)), dtype=np.float32)
        for row, text in enumerate(texts):
            cols = [self.vocabulary[g] for g in ngrams(text) if g in self.vocabulary]
            out[row, cols] = 1.0
        return out


def save_model(stem: Path, meta: dict[str, Any], vocabulary: list[str],
               variants: list[Variant]) -> None:
    """Write <stem>.json and <stem>.npz (sorted keys, no pickled objects)."""
    arrays: dict[str, np.ndarray] = {}
    described = []
    for var in variants:
        for key in ("weights", "bias", "mean", "scale"):
            arrays[f"{var.name}.{key}"] = np.asarray(getattr(var, key), dtype=np.float32)
        described.append({"name": var.name, "classes": list(var.classes), "embedder": var.embedder})
    doc = {**meta, "variants": described, "vocabulary": vocabulary}
    stem.with_suffix(".json").write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", "utf-8")
    with stem.with_suffix(".npz").open("wb") as handle:
        np.savez_compressed(handle, **dict(sorted(arrays.items())))  # type: ignore[arg-type]  # numpy stubs read **kwds as allow_pickle


@cache
def load_model(stem: Path) -> ModelFile:
    """Read a model written by save_model (cached per process)."""
    doc = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    vocabulary = {g: i for i, g in enumerate(doc.pop("vocabulary"))}
    described = doc.pop("variants")
    variants = {}
    with np.load(stem.with_suffix(".npz"), allow_pickle=False) as arrays:
        for var in described:
            name = var["name"]
            variants[name] = Variant(
                name=name, classes=tuple(var["classes"]), embedder=var["embedder"],
                **{key: arrays[f"{name}.{key}"].astype(np.float64)
                   for key in ("weights", "bias", "mean", "scale")})
    return ModelFile(meta=doc, vocabulary=vocabulary, variants=variants)
