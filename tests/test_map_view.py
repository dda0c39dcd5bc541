"""The evidence map made readable and clickable, and the theme read back from a click."""

from __future__ import annotations

from pathlib import Path

from kb.map_view import LABEL_LIMIT, PICK, picked_theme, readable_map, theme_rows
from kb.store import Store
from kb.synthesis import evidence_map
from kb.taxonomy import load_taxonomy


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


def test_theme_rows_most_supported_first(shipped_copy: Path) -> None:
    rows = theme_rows(evidence_map(Store(shipped_copy).load_all(), load_taxonomy()))
    assert rows[0].sources >= rows[-1].sources
    assert rows[0].id == "community-partnership" and rows[0].sources == 4
