"""Tag findings with themes: keyword rules confirmed by embedding similarity to the theme
description, or a strong similarity alone."""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from kb.embed import Embedder
from kb.model.taxonomy import Taxonomy
from kb.text.prefilter import Prefiltered, lowered

# Calibrated on the tune half of tests/gold/findings (see `kb eval`); MiniLM cosine similarities.
KEYWORD_CONFIRM = 0.15
SIMILARITY_ALONE = 0.50
MAX_THEMES = 4


def _theme_text(theme_label: str, description: str) -> str:
    return f"{theme_label}. {description}"


@cache
def _keywords(pattern: re.Pattern[str]) -> Prefiltered:
    """A theme's keyword pattern with its literal prefilter (made once per taxonomy theme)."""
    return Prefiltered(pattern)


def similarities(texts: list[str], taxonomy: Taxonomy, embedder: Embedder) -> np.ndarray:
    """Cosine similarity of each text (rows) to each theme (columns)."""
    if not texts:
        return np.zeros((0, len(taxonomy.themes)), dtype=np.float32)
    themes = embedder.encode([_theme_text(t.label, t.description) for t in taxonomy.themes])
    return embedder.encode(texts) @ themes.T


def tag_themes(texts: list[str], taxonomy: Taxonomy, embedder: Embedder | None,
               *, keyword_confirm: float = KEYWORD_CONFIRM,
               similarity_alone: float = SIMILARITY_ALONE) -> list[list[str]]:
    """Theme ids per text, strongest first. Without an embedder, keyword rules alone decide."""
    sims = similarities(texts, taxonomy, embedder) if embedder else None
    out: list[list[str]] = []
    for row, text in enumerate(texts):
        scored: list[tuple[float, str]] = []
        low = lowered(text)
        for col, theme in enumerate(taxonomy.themes):
            sim = float(sims[row, col]) if sims is not None else None
            hit = theme.pattern is not None and _keywords(theme.pattern).test(text, low)  # keyword_hits non-empty
            if sim is None:
                keep, score = hit, 1.0
            else:
                keep = (hit and sim >= keyword_confirm) or sim >= similarity_alone
                score = sim + (0.2 if hit else 0.0)
            if keep:
                scored.append((score, theme.id))
        out.append([tid for _, tid in sorted(scored, key=lambda x: (-x[0], x[1]))[:MAX_THEMES]])
    return out
