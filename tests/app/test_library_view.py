"""Library filters: words, type, review status, flags and years narrow the table."""

from __future__ import annotations

from pathlib import Path

from kb.app.library_view import NO_TYPE, LibraryFilter, filter_rows, library_choices
from kb.model.present import library_rows
from kb.store import Store


def _rows(home: Path):
    return library_rows(Store(home).load_all())


def test_choices_of_the_shipped_records(shipped_copy: Path) -> None:
    choices = library_choices(_rows(shipped_copy))
    assert choices.types == ["(type unknown)", "discussion-paper", "journal-article"]
    assert choices.statuses == ["unreviewed"]
    assert (choices.year_min, choices.year_max) == (2025, 2025)


def test_each_filter_narrows(shipped_copy: Path) -> None:
    rows = _rows(shipped_copy)
    assert len(filter_rows(rows, LibraryFilter())) == 4
    assert [r.id for r in filter_rows(rows, LibraryFilter(text="chuang WHOLE person"))] == [
        "chuang-2025-collaboration-strategies"]
    assert [r.id for r in filter_rows(rows, LibraryFilter(types=[NO_TYPE]))] == [
        "improve-integration-health"]
    flagged = filter_rows(rows, LibraryFilter(flagged_only=True))
    assert flagged and all(r.flags for r in flagged) and len(flagged) < 4
    dated = filter_rows(rows, LibraryFilter(year_from=2020))
    assert {r.id for r in dated} == {"chuang-2025-collaboration-strategies",
                                     "safaeinili-2025-assess-multi-level"}
    assert filter_rows(rows, LibraryFilter(statuses=["reviewed"])) == []


def test_a_picker_lists_matches_alphabetically_keeping_the_choice(shipped_copy: Path) -> None:
    from kb.app.library_view import picker_choices

    rows = _rows(shipped_copy)
    every = picker_choices(rows, "")
    assert every.matching == 4 and every.ids[0] == "chuang-2025-collaboration-strategies"  # titled first
    assert all(every.labels[i].startswith("[no title]") for i in every.ids[1:])
    narrowed = picker_choices(rows, "discussion paper", keep=["chuang-2025-collaboration-strategies"])
    assert narrowed.ids == ["chuang-2025-collaboration-strategies", "john-snow-discussion-paper"]
    assert narrowed.matching == 1
    capped = picker_choices(rows, "", keep=["no-such-record"], limit=2)
    assert len(capped.ids) == 2 and capped.matching == 4
