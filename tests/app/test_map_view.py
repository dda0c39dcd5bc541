"""The evidence map made readable and clickable, and the theme read back from a click."""

from __future__ import annotations

from pathlib import Path

from kb.app.map_view import LABEL_LIMIT, PICK, picked_theme, readable_map, theme_rows
from kb.model.taxonomy import load_taxonomy
from kb.store import Store
from kb.synthesis.evidence_map import evidence_map


def test_clickable_map_selects_the_theme_and_keeps_labels_readable(shipped_copy: Path) -> None:
    emap = evidence_map(Store(shipped_copy).load_all(), load_taxonomy())
    spec = readable_map(emap, clickable=True).to_dict()
    params = spec["params"]  # altair lifts a layer's selection to the top, naming its view
    assert params[0]["name"] == PICK and params[0]["select"]["fields"] == ["theme"]
    assert params[0]["views"] == [spec["layer"][0]["name"]]  # the rectangles, not the counts
    assert spec["config"]["axisY"]["labelLimit"] == LABEL_LIMIT
    assert "params" not in readable_map(emap).to_dict()


def test_picked_theme_from_a_selection_event() -> None:
    assert picked_theme({"selection": {PICK: [{"theme": "housing", "source": "x"}]}}) == "housing"
    assert picked_theme({"selection": {PICK: []}}) is None
    assert picked_theme(None) is None and picked_theme({}) is None


def test_theme_rows_agree_with_the_evidence_map(shipped_copy: Path) -> None:
    records = Store(shipped_copy).load_all()
    rows = theme_rows(records, load_taxonomy())
    emap = evidence_map(records, load_taxonomy())
    assert {(r.id, r.theme, r.sources, r.findings) for r in rows} == {
        (t.id, t.label, t.n_sources, t.n_findings) for t in emap.themes}
    assert [r.sources for r in rows] == sorted((r.sources for r in rows), reverse=True)
    assert rows[0].id == "community-partnership" and rows[0].sources == 4


def test_the_index_gives_the_same_theme_rows_as_the_records(shipped_copy: Path) -> None:
    from kb.app.map_view import support_rows, theme_rows
    from kb.model.taxonomy import load_taxonomy
    from kb.search.live import LiveIndex
    from kb.store import Store

    taxonomy = load_taxonomy()
    from_index = support_rows(LiveIndex(Store(shipped_copy)).theme_support(), taxonomy)
    assert from_index == theme_rows(Store(shipped_copy).load_all(), taxonomy)
    assert len(from_index) == 19 and from_index[0].sources == 4
