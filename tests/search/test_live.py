"""The app's long-lived index: opened once, refreshed when a record file changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb import config
from kb.model.schema import Record
from kb.search.live import LiveIndex
from kb.search.types import SearchFilters
from kb.store import Store


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


def _copy_with_finding(home: Path, new_id: str, text: str) -> dict:
    data = json.loads((home / "records" / "chuang-2025-collaboration-strategies.json").read_text())
    data["id"] = new_id
    data["abstract"][3]["text"] = text + " " + data["abstract"][3]["text"]
    data["findings"][0].update(text=text, span=[0, len(text)], sentence_span=[0, len(text)])
    return data


def test_a_large_knowledge_base_reindexes_only_what_this_process_saved(
        shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "FREE_SCAN_S", 0.0)  # every look counts as costly …
    monkeypatch.setattr(config, "RESCAN_FACTOR", 1e9)  # … and none is due again
    store = Store(shipped_copy)
    live = LiveIndex(store)
    live.search("braided funding")
    looks = []
    monkeypatch.setattr(store, "fingerprint", lambda: looks.append(1) or ())
    text = "Wardens of the estuary coordinated nine clinics"
    store.save(Record.model_validate(_copy_with_finding(shipped_copy, "copy-estuary", text)))
    found = live.search("wardens of the estuary")
    assert found.groups[0].record_id == "copy-estuary"
    assert (live.refreshed, live.report.added, looks) == (1, 1, [])

    # a file edited in place behind the app's back is seen at the next full look, when it is due
    path = shipped_copy / "records" / "copy-estuary.json"
    other = "Lighthouse keepers coordinated nine clinics"
    path.write_text(json.dumps(_copy_with_finding(shipped_copy, "copy-estuary", other)))
    assert live.search("lighthouse keepers").groups[0].record_id != "copy-estuary"
    monkeypatch.undo()
    assert live.search("lighthouse keepers").groups[0].record_id == "copy-estuary"


def test_facets_follow_the_records_and_unreadable_files_are_named(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    live = LiveIndex(store)
    before = live.facets()
    assert before.records == 4 and "rapid review" not in before.designs and not live.problems
    data = _copy_with_finding(shipped_copy, "copy-2025-review", "Counties shared data weekly")
    data["study"]["design"] = ["rapid review"]
    data["year"] = 2019
    store.save(Record.model_validate(data))
    (shipped_copy / "records" / "broken-2020-file.json").write_text("{not json")
    after = live.facets()
    assert after.records == 5 and after.designs["rapid review"] == 1 and after.year_min == 2019
    assert after.findings == before.findings + len(data["findings"])
    assert [p for p in live.problems if "broken-2020-file.json" in p]  # a small KB looks at every file
