"""The index switches from exact to approximate vectors at kb.config.APPROX_THRESHOLD (set low
here) and stays right as records are added and deleted, through the side file and on reopen."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import config
from kb.search.hybrid import search
from kb.search.index import Index
from kb.store import Store


def _count(index: Index, table: str = "findings") -> int:
    return int(index.require_db().execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_an_index_past_the_threshold_is_approximate_and_follows_changes(
        shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "APPROX_THRESHOLD", 20)
    index = Index.open(shipped_copy)
    assert index.vectors.approximate and index.vectors.size == _count(index)
    assert index.sentences.vectors.approximate
    store = Store(shipped_copy)
    source = store.load("chuang-2025-collaboration-strategies")
    copy = source.model_copy(update={"id": "chuang-copy"})
    store.save(copy)
    store.delete("john-snow-discussion-paper")
    index.update()
    assert (shipped_copy / ".kb" / "vectors.delta.npz").exists()  # a small change: the side file
    assert index.vectors.size == _count(index)
    hits = {h.record_id for h in search(index, copy.findings[0].text, k=10, mode="dense").hits()}
    assert "chuang-copy" in hits and "john-snow-discussion-paper" not in hits
    index.close()
    again = Index.open(shipped_copy)
    assert not again.last_report.rebuilt and again.vectors.approximate
    assert again.vectors.size == _count(again)
    assert again.sentences.vectors.size == _count(again, "sentences")
    ranked = {h.record_id for h in search(again, copy.findings[0].text, k=10, mode="dense").hits()}
    assert ranked == hits
    again.close()


def test_below_the_threshold_the_index_is_exact(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy)
    assert not index.vectors.approximate
    index.close()


def test_an_approximate_sentence_space_is_stored_as_int8(shipped_copy: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import faiss

    monkeypatch.setattr(config, "APPROX_THRESHOLD", 20)
    index = Index.open(shipped_copy)
    sentences = faiss.extract_index_ivf(index.sentences.vectors.index)
    findings = faiss.extract_index_ivf(index.vectors.index)
    assert sentences.code_size == index.main.embedder.dim  # one byte a dimension
    assert findings.code_size == 2 * index.main.embedder.dim  # float16
    index.close()
