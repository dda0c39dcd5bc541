"""The Library page's duplicate review under AppTest: a possible pair side by side, merged with
one button, then undone from the Merges tab; the batch merge's preview count."""

from __future__ import annotations

from pathlib import Path

from kb.ops.pipeline import ingest_bytes
from kb.store import Store
from tests.app.test_pages import _open, _text
from tests.ops.test_duplicates import RIS, _third_version

A, B = "doe-2020-peer-navigation", "doe-2020-peer-navigation-2"


def _with_pairs(home: Path, *, third: bool = False) -> Store:
    store = Store(home)
    ingest_bytes(RIS.encode(), "three.ris", store)
    if third:
        ingest_bytes(_third_version().encode(), "third.ris", store)
    return store


def test_a_pair_side_by_side_merged_then_undone(shipped_copy: Path) -> None:
    store = _with_pairs(shipped_copy)
    at = _open("library", params={"tab": "Possible duplicates"})
    assert "Pair 1 of 1 · possible duplicate · score" in _text(at)
    table = at.table[0].value
    assert list(table.columns) == ["Field", "Agree?", f"A: {A}", f"B: {B}"]
    pages = table[table["Field"] == "Pages"].iloc[0]
    assert (pages[f"A: {A}"], pages[f"B: {B}"], pages["Agree?"]) == ("100-110", "200-210", "✗ differs")
    assert table[table["Field"] == "Title"].iloc[0]["Agree?"] == "✓ same"
    assert at.button(key="dup_undo").disabled

    at.button(key="dup_merge").click().run()
    assert not at.exception, at.exception
    assert f"merged {B} into {A}" in _text(at)
    assert B not in store.ids() and "No possible duplicates" in _text(at)
    assert not at.button(key="dup_undo").disabled  # the last merge can be undone from here

    at = _open("library", params={"tab": "Merges"})
    assert f"{B}` merged into `{A}" in _text(at)
    at.button(key=f"undo_{B}").click().run()
    assert not at.exception, at.exception
    assert f"restored {B}" in _text(at) and B in store.ids()


def test_not_duplicates_and_skip_move_through_the_queue(shipped_copy: Path) -> None:
    store = _with_pairs(shipped_copy, third=True)
    at = _open("library", params={"tab": "Possible duplicates"})
    assert "Pair 1 of 3" in _text(at)
    at.button(key="dup_skip").click().run()
    assert "Pair 2 of 3" in _text(at)
    at.button(key="dup_distinct").click().run()
    assert "are not duplicates" in _text(at) and "Pair 2 of 2" in _text(at)
    assert len(store.ids()) == 8  # 4 shipped + the three RIS records + a third version, nothing merged


def test_batch_merge_previews_the_count_then_merges(shipped_copy: Path) -> None:
    store = _with_pairs(shipped_copy, third=True)
    at = _open("library", params={"tab": "Possible duplicates"})
    at.slider(key="dup_min_score").set_value(0).run()
    assert "3 of 3 pairs score 0 or more (0 likely duplicates, 3 possible)" in _text(at)
    assert at.button(key="dup_batch").disabled  # not before the box is ticked
    at.checkbox(key="dup_batch_sure").check().run()
    at.button(key="dup_batch").click().run()
    assert not at.exception, at.exception
    assert "2 merge(s) done" in _text(at)
    assert len(store.ids()) == 6 and "doe-2020-peer-navigation" in store.ids()
