"""Background warm-up of the app's index: it opens the index once, on its own thread, reports
loading → ready, and a load that fails says why instead of hanging the first search."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kb.ops.warmup import Warmup, start_warmup
from kb.search.live import LiveIndex


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
