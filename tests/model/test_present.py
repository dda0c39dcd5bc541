"""Views shared by the CLI and the app."""

from __future__ import annotations

from kb.model.present import citation_line, library_rows, md_escape, metadata_fields
from kb.model.schema import Author, Identifiers, Record


def _record() -> Record:
    return Record(id="a-2025-x", title="X", year=2025, venue="Health Serv Res", volume="60",
                  supplement="Suppl 3", issue="Suppl 3", article_number="e14417",
                  identifiers=Identifiers(doi="10.1111/1475-6773.14417"),
                  authors=[Author(family="Chuang", initials="E")])


def test_citation_line() -> None:
    assert citation_line(_record()) == (
        "Health Serv Res. 2025;60 Suppl 3(Suppl 3):e14417. doi:10.1111/1475-6773.14417")


def test_library_rows_sorted_newest_first() -> None:
    old = Record(id="b-1999-y", year=1999)
    rows = library_rows([old, _record()])
    assert [r.id for r in rows] == ["a-2025-x", "b-1999-y"]
    assert rows[1].title == "[no title] no text" and rows[1].flags == ""


def test_markdown_and_html_are_escaped() -> None:
    assert md_escape("<script>*x*</script>") == "\\<script\\>\\*x\\*\\</script\\>"


def test_metadata_fields_only_known_values() -> None:
    labels = [f.label for f in metadata_fields(_record())]
    assert labels[:2] == ["Authors", "Citation"] and "PMID" not in labels


def test_a_missing_title_reads_as_the_objective_marked_never_the_id() -> None:
    from kb.model.present import display_title
    from kb.model.schema import Section

    record = Record(id="x-2020-y", abstract=[
        Section(role="background", text="Care is fragmented."),
        Section(role="objective", text="To assess  how county pilots sustained their work "
                                       "after the end of the waiver period in California and beyond.")])
    assert display_title(record) == ("[no title] To assess how county pilots sustained their work "
                                     "after the end of the waiver period in…")
    assert display_title(Record(id="x", keywords=["care", "housing"])) == "[no title] care; housing"
    assert display_title(Record(id="x", venue="Health Aff")) == "[no title] Health Aff"
    assert display_title(Record(id="x", title="Real")) == "Real"
