"""An index opened for writing (what `kb ingest` does after saving records) leaves a large
(approximate) vector file unread: the changes go to the side file, and a reader that opens the
index afterwards finds exactly what a writer that read every vector would have left."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from kb import config
from kb.search import spaces
from kb.search.hybrid import search
from kb.search.index import Index
from kb.store import Store


@pytest.fixture
def approximate(shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped records in an index whose vector files are approximate (threshold set low)."""
    monkeypatch.setattr(config, "APPROX_THRESHOLD", 20)
    Index.open(shipped_copy).close()
    return shipped_copy


def _add_copy(home: Path, new_id: str) -> str:
    store = Store(home)
    source = store.load("chuang-2025-collaboration-strategies")
    store.save(source.model_copy(update={"id": new_id}))
    return source.findings[0].text


def _all_vectors(index: Index) -> dict[str, dict[int, np.ndarray]]:
    """Every space's vectors by row id, as a reader that opened the index holds them."""
    out = {}
    for space in index.spaces:
        ids = [int(i) for (i,) in index.require_db().execute(
            f"SELECT {'sid' if space.table == 'sentences' else 'fid'} FROM {space.table}")]
        out[space.name] = dict(zip(ids, space.vectors.vectors_of(np.array(ids)), strict=True))
    return out


def test_adding_a_record_leaves_the_vector_files_unread(approximate: Path) -> None:
    text = _add_copy(approximate, "chuang-copy")
    writer = Index.open(approximate, refresh=False, writing=True)
    report = writer.update(records=["chuang-copy"])
    assert report.added == 1
    assert all(space._vectors is None for space in writer.spaces)  # never read
    assert writer._arrays is None  # the filter columns neither
    assert writer.main.size == int(writer.require_db().execute("SELECT count(*) FROM findings").fetchone()[0])
    writer.close()
    assert (approximate / ".kb" / "vectors.delta.npz").exists()
    reader = Index.open(approximate)
    assert not reader.last_report.rebuilt and not reader.last_report.changed
    assert "chuang-copy" in {h.record_id for h in search(reader, text, k=10, mode="dense").hits()}
    reader.close()


def test_a_lazy_writer_leaves_the_same_vectors_as_one_that_read_them(
        approximate: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(approximate, twin)
    for home, writing in ((approximate, True), (twin, False)):
        _add_copy(home, "chuang-copy")
        Store(home).delete("john-snow-discussion-paper")
        index = Index.open(home, refresh=False, writing=writing)
        index.update(records=["chuang-copy", "john-snow-discussion-paper"])
        index.close()
    lazy, eager = Index.open(approximate), Index.open(twin)
    lazy_vectors, eager_vectors = _all_vectors(lazy), _all_vectors(eager)
    assert lazy_vectors.keys() == eager_vectors.keys()
    for name, vectors in lazy_vectors.items():
        assert vectors.keys() == eager_vectors[name].keys()
        for row_id, vector in vectors.items():
            np.testing.assert_allclose(vector, eager_vectors[name][row_id], atol=1e-3)
    lazy.close(), eager.close()


def test_a_record_edited_twice_by_lazy_writers_keeps_one_set_of_vectors(approximate: Path) -> None:
    store = Store(approximate)
    text = _add_copy(approximate, "chuang-copy")
    for title in ("A first title", "A second title"):
        record = store.load("chuang-copy")
        store.save(record.model_copy(update={"title": title}))
        writer = Index.open(approximate, refresh=False, writing=True)
        assert writer.update(records=["chuang-copy"]).changed
        writer.close()
    reader = Index.open(approximate)
    findings = int(reader.require_db().execute("SELECT count(*) FROM findings").fetchone()[0])
    assert reader.vectors.size == findings
    hits = [h for h in search(reader, text, k=20, mode="dense").hits() if h.record_id == "chuang-copy"]
    assert hits
    reader.close()


def test_more_changes_than_the_side_file_holds_read_the_vectors_first(
        approximate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spaces, "DELTA_LIMIT", 3)
    text = _add_copy(approximate, "chuang-copy")
    writer = Index.open(approximate, refresh=False, writing=True)
    writer.update(records=["chuang-copy"])
    assert writer.main._vectors is not None  # read, then the whole file written
    writer.close()
    assert not (approximate / ".kb" / "vectors.delta.npz").exists()
    reader = Index.open(approximate)
    assert not reader.last_report.rebuilt
    assert "chuang-copy" in {h.record_id for h in search(reader, text, k=10, mode="dense").hits()}
    reader.close()


def test_a_damaged_vector_file_read_lazily_says_run_reindex(approximate: Path) -> None:
    from kb.errors import IndexStaleError

    _add_copy(approximate, "chuang-copy")
    writer = Index.open(approximate, refresh=False, writing=True)
    path = approximate / ".kb" / "vectors.faiss"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut short after the header was read
    with pytest.raises(IndexStaleError, match="kb reindex"):
        _ = writer.main.vectors
    writer.close()


def test_a_small_exact_index_is_read_as_before(shipped_copy: Path) -> None:
    _add_copy(shipped_copy, "chuang-copy")
    writer = Index.open(shipped_copy, refresh=False, writing=True)
    writer.update(records=["chuang-copy"])
    assert all(space._vectors is not None for space in writer.spaces)
    writer.close()
