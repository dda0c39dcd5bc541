"""The shipped linear-model format: JSON + npz round trip, softmax, n-gram features."""

from __future__ import annotations

import numpy as np

from kb.text.linear import LEXICAL, Variant, load_model, ngrams, save_model, tokens


def test_tokens_fold_numbers_and_keep_signs() -> None:
    assert tokens("ED visits fell 30.5% (p<0.01)") == ["ed", "visits", "fell", "0", "%", "p", "<", "0"]
    assert {"^ed", "ed visits", "0 %"} <= ngrams("ED visits fell 30.5% (p<0.01)")


def test_save_and_load_round_trip(tmp_path) -> None:
    rng = np.random.default_rng(0)
    var = Variant(LEXICAL, ("a", "b", "c"), rng.normal(size=(3, 4)), rng.normal(size=3),
                  np.zeros(4), np.ones(4))
    save_model(tmp_path / "m", {"what": "test"}, ["w", "x", "y", "z"], [var])
    model = load_model(tmp_path / "m")
    assert model.meta["what"] == "test" and model.vocabulary == {"w": 0, "x": 1, "y": 2, "z": 3}
    got = model.variant(None)
    assert got.classes == ("a", "b", "c")
    x = model.bag(["w z", "nothing"])
    assert x.tolist() == [[1, 0, 0, 1], [0, 0, 0, 0]]
    p = got.proba(x)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p, var.proba(x), atol=1e-6)  # float32 storage, same decisions
    assert b"pickle" not in (tmp_path / "m.npz").read_bytes()
