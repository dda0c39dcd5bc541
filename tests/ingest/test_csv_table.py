"""CSV/TSV exports: header mapping, list cells, delimiters, a missing title column."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.biblio import ParseNote
from ingest.formats import csv_table
from kb.errors import IngestError
from kb.model.schema import Record
from tests.conftest import DATA


def _records(text: str) -> list[Record]:
    return [i for i in csv_table.iter_parse(text, source="t.csv") if isinstance(i, Record)]


def test_missing_title_column_is_refused_naming_the_columns() -> None:
    text = (DATA / "csv_table" / "no_title.csv").read_text(encoding="utf-8")
    assert csv_table.sniff(text) > 0
    with pytest.raises(IngestError, match="no title column .* columns found: Authors, Year, Abstract, DOI, Notes"):
        list(csv_table.iter_parse(text, source="no_title.csv"))


def test_unknown_columns_are_reported_and_list_cells_read() -> None:
    text = "title,authors,keywords,Mystery Column\nA study of care,\"['Marx, Karl', 'Doe, J']\",\"['a', 'b']\",x\n"
    items = list(csv_table.iter_parse(text, source="t.csv"))
    assert items[0] == ParseNote(message="columns not imported: Mystery Column")
    record = items[1]
    assert [a.family for a in record.authors] == ["Marx", "Doe"] and record.keywords == ["a", "b"]


@pytest.mark.parametrize("value,families", [
    ("Smith J, Doe A, Roe R", ["Smith", "Doe", "Roe"]),
    ("Liu R., Adler D.G.", ["Liu", "Adler"]),
    ("Marx, Karl; Lindgren, Astrid", ["Marx", "Lindgren"]),
    ("Marx, Karl", ["Marx"]),
])
def test_author_cells(value: str, families: list[str]) -> None:
    text = f'Title,Authors\nA title of a study,"{value}"\n'
    assert [a.family for a in _records(text)[0].authors] == families


def test_delimiters_give_the_same_records(external: Path) -> None:
    names = ("asreview__tests__demo_data__generic_semicolon.csv", "asreview__tests__demo_data__generic_tab.tsv")
    first, second = (_records((external / n).read_text(encoding="utf-8")) for n in names)
    assert [r.model_dump() for r in first] == [r.model_dump() for r in second]
    assert [r.title for r in first] == ["Title of reference", "The title of the reference"]


def test_embase_source_column_is_split(external: Path) -> None:
    record = _records((external / "asreview__tests__demo_data__embase.csv").read_text(encoding="utf-8"))[1]
    assert (record.venue, record.year, record.volume, record.issue, record.pages) == (
        "Cancer", 2004, "102", "4", "253-258")
    assert record.identifiers.doi == "10.1002/cncr.20369"  # from the OpenURL link
