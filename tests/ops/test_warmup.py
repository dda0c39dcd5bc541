"""Background warm-up of the app's index: it opens the index once, on its own thread, reports
loading → ready, and a load that fails says why instead of hanging the first search. A folder's
index serves English searches while the multilingual model loads (partial), then answers as the
full index does; one warm-up per knowledge base and process, which `kb app` starts."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from kb.embed import FakeEmbedder
from kb.errors import KBError
from kb.ops import warmup
from kb.ops.warmup import Warmup, shared_warmup, start_warmup
from kb.search.index import Index
from kb.search.live import LiveIndex
from kb.store import Store, open_store

CHUANG = "chuang-2025-collaboration-strategies"


class GatedLive(LiveIndex):
    """A LiveIndex whose first search waits for the test to open a gate."""

    def __init__(self, home: Path) -> None:
        super().__init__(home)
        self.gate = threading.Event()
        self.threads: list[str] = []

    def search(self, query: str, **kwargs):  # type: ignore[override]
        self.threads.append(threading.current_thread().name)
        assert self.gate.wait(60)
        return super().search(query, **kwargs)


def test_warmup_loads_the_index_on_its_own_thread(shipped_copy: Path) -> None:
    live = GatedLive(shipped_copy)
    warm = start_warmup(live)
    assert warm.status().state == "loading" and not warm.wait(0.05)
    assert "Loading" in warm.status().message
    live.gate.set()
    assert warm.wait(120)
    status = warm.status()
    assert status.state == "ready" and status.message.startswith("Search ready"), status
    assert live.threads == ["kb-warmup"] and live.opened == 1
    hits = live.search("braided funding", k=3).hits()  # the warmed index answers, not reopened
    assert hits and live.opened == 1


def test_a_failed_load_is_reported_not_raised(shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_EMBEDDER", "model")
    monkeypatch.setenv("KB_EMBED_BACKEND", "no-such-backend")
    warm = Warmup(LiveIndex(shipped_copy)).start()
    assert warm.wait(60)
    status = warm.status()
    assert status.state == "failed" and "KB_EMBED_BACKEND" in status.message, status


# -- the multilingual model joins after the English spaces (a folder's index) -----------------
class GatedMultilingual(FakeEmbedder):
    """The fake multilingual embedder (same id and size as KB_EMBEDDER=fake's) whose first
    encode waits for the test to open a gate, as the real model takes seconds to load."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__(dim=128)
        self.gate = threading.Event()
        self.fail = fail

    def encode(self, texts: list[str]) -> np.ndarray:
        assert self.gate.wait(60)
        if self.fail:
            raise KBError("the multilingual model package is not installed")
        return super().encode(texts)


QUERIES = ["barriers to sustaining whole person care pilots", "braided funding", "数据共享", "WPC"]


def _answers(search) -> list[list[tuple]]:
    """Every query's groups: record id, its findings' ids, texts and why they matched."""
    return [[(g.record_id, [(h.text, h.why()) for h in g.hits]) for g in search(q, k=10).groups]
            for q in QUERIES]


def _full_index_answers(home: Path) -> list[list[tuple]]:
    index = Index.open(home)
    try:
        return _answers(index.search)
    finally:
        index.close()


def _change_a_finding(home: Path) -> None:
    path = home / "records" / f"{CHUANG}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["findings"][0]["text"] = "Zebra crossings made the pilot's clinics easier to reach."
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.parametrize("built_before", [False, True])
def test_searches_start_before_the_multilingual_model_and_end_as_the_full_index(
        shipped_copy: Path, built_before: bool) -> None:
    if built_before:
        Index.open(shipped_copy).close()
    model = GatedMultilingual()
    live = LiveIndex(shipped_copy, multilingual_later=True)
    warm = start_warmup(live, model)
    assert warm.wait_searchable(120) and not warm.wait(0.05)
    status = warm.status()
    assert status.state == "partial" and status.searchable and "still loading" in status.message, status
    assert live.current().multilingual is None  # English spaces only, meanwhile
    partial = live.search("braided funding", k=10).hits()
    assert partial and all(h.similarity_multilingual is None for h in partial)
    model.gate.set()
    assert warm.wait(120)
    assert warm.status().state == "ready", warm.status()
    assert live.current().multilingual is not None and live.opened == 1
    assert _answers(live.search) == _full_index_answers(shipped_copy)
    assert any(h.similarity_multilingual is not None for h in live.search("braided funding", k=10).hits())


def test_a_built_index_reads_its_multilingual_vectors_from_disk(shipped_copy: Path) -> None:
    Index.open(shipped_copy).close()
    vectors = shipped_copy / ".kb" / "vectors-multilingual.faiss"
    written = vectors.stat().st_mtime_ns
    live = LiveIndex(shipped_copy, multilingual_later=True)
    live.current()
    model = GatedMultilingual()
    model.gate.set()
    assert live.add_multilingual(model) is None  # current: nothing embedded again
    assert vectors.stat().st_mtime_ns == written
    fresh = shipped_copy.parent / "fresh"
    shutil.copytree(shipped_copy / "records", fresh / "records")
    live = LiveIndex(fresh, multilingual_later=True)
    live.current()
    assert "multilingual" in (live.add_multilingual(model) or "")  # no vectors yet: built
    assert (fresh / ".kb" / "vectors-multilingual.faiss").exists()


def test_records_changed_since_the_last_run_are_indexed_once_the_multilingual_space_joins(
        shipped_copy: Path) -> None:
    Index.open(shipped_copy).close()
    _change_a_finding(shipped_copy)
    live = LiveIndex(shipped_copy, multilingual_later=True)
    assert "Zebra" not in " ".join(h.text for h in live.search("zebra crossings").hits())  # as last indexed
    model = GatedMultilingual()
    model.gate.set()
    assert live.add_multilingual(model) is None  # its vectors matched the database: read, then refreshed
    assert "Zebra" in " ".join(h.text for h in live.search("zebra crossings").hits())
    assert _answers(live.search) == _full_index_answers(shipped_copy)


def test_a_multilingual_model_that_fails_leaves_english_search_working(shipped_copy: Path) -> None:
    model = GatedMultilingual(fail=True)
    live = LiveIndex(shipped_copy, multilingual_later=True)
    warm = start_warmup(live, model)
    model.gate.set()
    assert warm.wait(120)
    status = warm.status()
    assert status.state == "failed" and status.searchable, status
    assert "multilingual model could not be loaded" in status.message and "not installed" in status.message
    assert live.search("braided funding").hits()
    _change_a_finding(shipped_copy)  # still refreshed when records change
    assert "Zebra" in " ".join(h.text for h in live.search("zebra crossings").hits())


def test_one_warmup_per_knowledge_base_and_process(shipped_copy: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "_SHARED", {})
    first = shared_warmup(open_store(shipped_copy))
    again = shared_warmup(Store(Path(str(shipped_copy) + "/records/..")))  # another object, same KB
    assert again is first and first.live.multilingual_pending
    other_home = tmp_path / "other"
    shutil.copytree(shipped_copy / "records", other_home / "records")
    other = shared_warmup(Store(other_home))
    assert other is not first
    assert first.wait(120) and other.wait(120)
    assert first.status().state == "ready" and first.live.opened == 1
    assert shared_warmup(Store(shipped_copy)) is first


def test_without_the_multilingual_space_the_index_opens_in_one_step(
        shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "_SHARED", {})
    monkeypatch.setenv("KB_MULTILINGUAL", "0")
    warm = shared_warmup(Store(shipped_copy))
    assert not warm.live.multilingual_pending and warm.multilingual is None
    assert warm.wait(120) and warm.status().state == "ready"
