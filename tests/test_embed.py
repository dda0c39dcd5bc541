"""Embedders: the fake is deterministic, the cache re-encodes only new text, the real model loads
offline from the packaged weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb.embed import CachedEmbedder, FakeEmbedder, SentenceTransformerEmbedder


class Counting(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.extend(texts)
        return super().encode(texts)


def test_fake_is_deterministic_and_normalised() -> None:
    a, b = FakeEmbedder().encode(["used braided funds", "used braided funds"])
    assert np.allclose(a, b) and abs(np.linalg.norm(a) - 1) < 1e-5


def test_cache_encodes_each_text_once(tmp_path: Path) -> None:
    inner = Counting()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    first = cached.encode(["a text here", "another text", "a text here"])
    again = CachedEmbedder(inner, tmp_path / "cache.sqlite").encode(["another text", "new one"])
    assert sorted(inner.calls) == ["a text here", "another text", "new one"]
    assert np.allclose(first[1], again[0])
    assert cached.encode([]).shape == (0, inner.dim)


@pytest.mark.model
def test_real_model_loads_offline_and_ranks_sensibly() -> None:
    model = SentenceTransformerEmbedder()
    assert model.model_id == "all-MiniLM-L6-v2:384"
    q, near, far = model.encode(["braided funding for integrated care", "pilots used braided funds",
                                 "the telescope observed a distant galaxy"])
    assert float(q @ near) > float(q @ far) + 0.2
