"""Embedders: the fake is deterministic, the cache re-encodes only new text, the real model loads
offline from the packaged weights, its int8 ONNX build is picked for the CPU, cached and close
to the float32 vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kb.embed import (
    CachedEmbedder,
    FakeEmbedder,
    SentenceTransformerEmbedder,
    default_model_path,
    int8_embedder,
    model_embedder,
)
from kb.embed.build import build_folder, convertible
from kb.embed.cpu import cpu_family, cpu_flags, quant_config
from kb.errors import KBError


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


# --- the int8 ONNX build ------------------------------------------------------------------------

def test_cpu_flags_are_read_from_cpuinfo(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx2 fma\n\n"
                    "processor\t: 1\nflags\t\t: fpu\n", encoding="utf-8")
    assert cpu_flags(info) == {"fpu", "sse2", "avx2", "fma"}
    assert cpu_flags(tmp_path / "absent") == set()


@pytest.mark.parametrize(("machine", "flags", "family"), [
    ("x86_64", {"avx2", "avx512f", "avx512_vnni"}, "avx512_vnni"),
    ("x86_64", {"avx2", "avx_vnni"}, "avx512_vnni"),
    ("x86_64", {"sse2", "avx2", "fma"}, "avx2"),
    ("aarch64", set(), "arm64"),
    ("arm64", {"asimd"}, "arm64"),
])
def test_cpu_family_picks_the_int8_kernels(machine: str, flags: set[str], family: str) -> None:
    assert cpu_family(machine, flags) == family
    assert quant_config(family).name == family


def test_plain_avx2_quantises_with_reduced_range() -> None:
    assert quant_config("avx2").reduce_range and not quant_config("avx512_vnni").reduce_range


def test_a_model_with_a_dense_head_is_not_converted(tmp_path: Path) -> None:
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "modules.json").write_text(json.dumps([
        {"path": "", "type": "sentence_transformers.models.Transformer"},
        {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"path": "2_Dense", "type": "sentence_transformers.models.Dense"}]), encoding="utf-8")
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(
        {"pooling_mode_mean_tokens": True}), encoding="utf-8")
    assert "Dense" in (convertible(tmp_path) or "")
    with pytest.raises(KBError, match="KB_EMBED_BACKEND=torch"):
        int8_embedder(tmp_path)


def test_an_unknown_backend_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_EMBED_BACKEND", "gpu")
    with pytest.raises(KBError, match="KB_EMBED_BACKEND='gpu'"):
        model_embedder()


def test_the_packaged_model_is_convertible() -> None:
    assert convertible(default_model_path()) is None


@pytest.mark.model
def test_int8_build_matches_float32_and_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["braided funding for integrated care", "pilots used braided funds",
             "the telescope observed a distant galaxy",
             "Care coordinators reported that data sharing agreements took months to sign."]
    int8 = int8_embedder()
    assert int8.model_id == "all-MiniLM-L6-v2-qint8-b1:384"
    q, near, far, long = int8.encode(texts)
    assert float(q @ near) > float(q @ far) + 0.2
    reference = SentenceTransformerEmbedder().encode(texts)
    cosines = np.sum(reference * np.stack([q, near, far, long]), axis=1)
    assert cosines.min() > 0.97, cosines
    folder = build_folder(default_model_path())
    stamp = (folder / "build.json").stat().st_mtime_ns
    assert build_folder(default_model_path()) == folder  # a second call builds nothing
    assert (folder / "build.json").stat().st_mtime_ns == stamp


@pytest.mark.model
def test_batches_sorted_by_length_give_each_text_its_own_vector() -> None:
    int8 = int8_embedder()
    topics = ["housing navigation for people leaving hospital", "braided funding across agencies",
              "a telescope survey of distant galaxies", "staff turnover in rural clinics",
              "data sharing agreements between counties"]
    texts = [f"{topics[i % 5]} " + "with many more words added at the end " * (i % 7) for i in range(70)]
    together = int8.encode(texts)
    alone = np.stack([int8.encode([t])[0] for t in texts[:5]])
    # int8 activations are scaled per batch, so a vector moves a little with its batch-mates
    similarity = together[:5] @ alone.T
    assert np.all(np.diag(similarity) > 0.99), np.diag(similarity)
    assert np.all(np.argmax(similarity, axis=1) == np.arange(5))


def test_default_backend_and_ids_keep_float32_and_int8_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_EMBED_BACKEND", "torch")
    torch_id = model_embedder().model_id
    monkeypatch.setenv("KB_EMBED_BACKEND", "onnx-int8")
    assert torch_id == "all-MiniLM-L6-v2:384" and model_embedder().model_id == "all-MiniLM-L6-v2-qint8-b1:384"
