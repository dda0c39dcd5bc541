"""The faiss wrapper: exact and IVF indexes, id bitmaps, removal, save/load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb import config
from kb.search.vectors import VectorIndex, id_bitmap


def _unit(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_exact_search_bitmap_remove_and_reload(tmp_path: Path) -> None:
    x = _unit(500)
    index = VectorIndex.build(16, np.arange(10, 510), x)
    ids, scores = index.search(x[3], 3)
    assert ids[0] == 13 and scores[0] == pytest.approx(1.0, abs=1e-3)  # stored as float16
    allowed = id_bitmap(np.array([100, 200]), 510)
    assert sorted(index.search(x[3], 5, allowed)[0].tolist()) == [100, 200]
    assert index.remove(np.array([13])) == 1
    assert 13 not in index.search(x[3], 3)[0]
    index.save(tmp_path / "v.faiss", "499:abc")
    again, stamp = VectorIndex.load(tmp_path / "v.faiss", 16)
    assert again.size == 499 and not again.approximate and stamp == "499:abc"
    with pytest.raises(RuntimeError):
        VectorIndex.load(tmp_path / "v.faiss", 32)


def test_a_bitmap_shorter_than_the_ids_selects_only_its_own() -> None:
    """A bitmap covering ids < 8 lets nothing past its end through (faiss reads its size in
    bytes)."""
    x = _unit(500)
    index = VectorIndex.build(16, np.arange(500), x)
    ids, _ = index.search(x[400], 5, id_bitmap(np.array([6]), 7))
    assert ids.tolist() == [6]


def test_ivf_above_threshold_finds_neighbours_and_respects_filters(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "APPROX_THRESHOLD", 2000)
    x = _unit(5000, seed=1)
    index = VectorIndex.build(16, np.arange(5000), x)
    assert index.approximate
    hits = sum(index.search(x[i], 1)[0][0] == i for i in range(0, 5000, 50))
    assert hits >= 95  # self-recall of the approximate index
    few = np.array([7, 4000, 4999])
    ids, _ = index.search(x[0], 10, id_bitmap(few, 5000), allowed_share=3 / 5000)
    assert sorted(ids.tolist()) == few.tolist()


def test_bitmap_bits_are_little_endian() -> None:
    assert id_bitmap(np.array([0, 9]), 16).tolist() == [1, 2]


def test_vectors_are_stored_as_float16_and_read_back(tmp_path: Path) -> None:
    x = _unit(400, dim=64, seed=3)
    half = VectorIndex.build(64, np.arange(400), x)
    full = VectorIndex.build(64, np.arange(400), x, codec="fp32")
    half.save(tmp_path / "half.faiss", "400:a")
    full.save(tmp_path / "full.faiss", "400:a")
    again, _ = VectorIndex.load(tmp_path / "half.faiss", 64)
    back = again.vectors_of(np.array([0, 399]))
    assert np.abs(back - x[[0, 399]]).max() < 1e-3
    assert np.array_equal(back, x[[0, 399]].astype(np.float16).astype(np.float32))
    # float16 codes take half the bytes of float32 ones (ids and the header are the same)
    codes = (tmp_path / "half.faiss").stat().st_size - 400 * 8
    assert codes < 0.55 * ((tmp_path / "full.faiss").stat().st_size - 400 * 8)
    assert again.search(x[5], 1)[0].tolist() == [5]


def test_an_exact_index_moves_to_ivf_with_the_same_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    x = _unit(3000, seed=4)
    exact = VectorIndex.build(16, np.arange(100, 3100), x)
    assert not exact.approximate
    ivf = exact.to_approximate()
    assert ivf.approximate and ivf.size == 3000 and exact.size == 0
    assert np.array_equal(ivf.vectors_of(np.array([100, 3099])),
                          x[[0, 2999]].astype(np.float16).astype(np.float32))


def test_the_approximate_index_stays_right_under_adds_and_deletes(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "APPROX_THRESHOLD", 2000)
    x = _unit(6000, seed=5)
    index = VectorIndex.build(16, np.arange(4000), x[:4000])
    assert index.approximate
    index.add(np.arange(4000, 6000), x[4000:])
    assert index.remove(np.arange(0, 4000, 2)) == 2000
    assert index.size == 4000
    index.save(tmp_path / "v.faiss", "4000:b")
    again, _ = VectorIndex.load(tmp_path / "v.faiss", 16)
    for i in (1, 3999, 4000, 5999):
        assert again.search(x[i], 1)[0].tolist() == [i]  # added ones are found, by their ids
    for i in (0, 2, 3998):
        assert i not in again.search(x[i], 10)[0]  # deleted ones never come back
    again.remove(np.array([4000]))
    again.add(np.array([4000]), x[[17]])  # an id reused for another vector
    assert again.search(x[17], 2)[0].tolist()[:2] in ([17, 4000], [4000, 17])


def test_an_ivf_file_keeps_no_id_map_and_loads_one(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "APPROX_THRESHOLD", 2000)
    x = _unit(3000, dim=32, seed=6)
    index = VectorIndex.build(32, np.arange(10, 3010), x)
    index.save(tmp_path / "v.faiss", "3000:c")
    assert index.vectors_of(np.array([10])).shape == (1, 32)  # the map is back after saving
    import faiss

    faiss.write_index(index.index, str(tmp_path / "with-map.faiss"))  # as faiss writes it
    saved = (tmp_path / "with-map.faiss").stat().st_size - (tmp_path / "v.faiss").stat().st_size
    assert saved >= 3000 * 16 - 100  # an (id, list position) pair of int64s a vector
    again, stamp = VectorIndex.load(tmp_path / "v.faiss", 32)
    assert stamp == "3000:c"
    assert np.array_equal(again.vectors_of(np.array([10, 3009])),
                          x[[0, 2999]].astype(np.float16).astype(np.float32))
    assert again.remove(np.array([10, 11])) == 2 and 10 not in again.search(x[0], 5)[0]


def test_an_int8_ivf_index_takes_half_of_float16_and_still_finds_neighbours(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "APPROX_THRESHOLD", 2000)
    x = _unit(4000, dim=64, seed=7)
    int8 = VectorIndex.build(64, np.arange(4000), x, ivf_codec="sq8")
    half = VectorIndex.build(64, np.arange(4000), x)
    int8.save(tmp_path / "int8.faiss", "s")
    half.save(tmp_path / "half.faiss", "s")
    shared = 4000 * 8 + int8.index.nlist * 64 * 4  # ids and the float32 list centroids
    assert int8.index.nlist == half.index.nlist
    assert ((tmp_path / "int8.faiss").stat().st_size - shared
            < 0.52 * ((tmp_path / "half.faiss").stat().st_size - shared))
    again, _ = VectorIndex.load(tmp_path / "int8.faiss", 64)
    assert sum(again.search(x[i], 1)[0][0] == i for i in range(0, 4000, 40)) >= 95
    assert np.abs(again.vectors_of(np.array([5])) - x[5]).max() < 0.02
