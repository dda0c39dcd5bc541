"""The app's long-lived index: opened once, refreshed when a record file changes."""

from __future__ import annotations

import json
from pathlib import Path

from kb.search.live import LiveIndex
from kb.search.types import SearchFilters


def test_refreshes_in_place_only_when_records_change(shipped_copy: Path) -> None:
    live = LiveIndex(shipped_copy)
    first = live.search("braided funding")
    assert first.groups[0].record_id == "chuang-2025-collaboration-strategies"
    live.search("data sharing", filters=SearchFilters(kinds=["barrier"]))
    assert live.opened == 1

    path = shipped_copy / "records" / "chuang-2025-collaboration-strategies.json"
    data = json.loads(path.read_text())
    data["id"] = "copy-2025-housing"
    data["abstract"][3]["text"] = data["abstract"][3]["text"].replace("Pilots", "Counties", 1)
    text = "Counties used multiple strategies to facilitate the integration of care"
    data["findings"][0].update(text=text, span=[0, len(text)], sentence_span=[0, len(text)])
    (shipped_copy / "records" / "copy-2025-housing.json").write_text(json.dumps(data))
    found = live.search("Counties used multiple strategies")
    assert (live.opened, live.refreshed) == (1, 1) and live.report.added == 1
    assert found.groups[0].record_id == "copy-2025-housing"
