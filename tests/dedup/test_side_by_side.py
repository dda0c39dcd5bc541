"""The review queue's field-by-field view of a pair: values on each side and their agreement."""

from __future__ import annotations

from kb.dedup.side_by_side import side_by_side
from kb.model.schema import Author, Identifiers, Record, Section


def _record(**fields) -> Record:
    base = dict(id="a", title="Peer navigation and hospital use among older adults",
                authors=[Author(family="Doe", given="Jane")], year=2020, venue="Health Affairs",
                volume="39", pages="100-110",
                abstract=[Section(text="Peer navigators visited older adults after discharge.")])
    return Record(**(base | fields))


def _rows(a: Record, b: Record) -> dict[str, tuple[str, str, str]]:
    return {row.field: (row.a, row.b, row.agreement) for row in side_by_side(a, b)}


def test_agreeing_and_differing_fields_side_by_side() -> None:
    rows = _rows(_record(), _record(id="b", pages="200-210", year=2021, volume=None))
    assert rows["Title"][2] == "agree" and rows["Authors"] == ("Doe J", "Doe J", "agree")
    assert rows["Pages"] == ("100-110", "200-210", "differ")
    assert rows["Year"] == ("2020", "2021", "close")
    assert rows["Volume"] == ("39", "", "missing")
    assert rows["Abstract"][2] == "agree"
    assert "DOI" not in rows  # neither record has one


def test_identifiers_compared_as_written_and_titles_graded() -> None:
    a = _record(identifiers=Identifiers(doi="10.1377/hlthaff.2020.1"))
    b = _record(id="b", title="Peer navigation and hospital use in older adults: a trial",
                identifiers=Identifiers(doi="10.1377/hlthaff.2020.2", pmid="123"))
    rows = _rows(a, b)
    assert rows["DOI"][2] == "differ" and rows["PMID"] == ("", "123", "missing")
    assert rows["Title"][2] in {"close", "differ"} and rows["Title"][2] != "agree"


def test_long_abstracts_are_cut_at_a_word() -> None:
    long = " ".join(["word"] * 100)
    rows = _rows(_record(abstract=[Section(text=long)]), _record(id="b"))
    assert rows["Abstract"][0].endswith(" …") and len(rows["Abstract"][0]) <= 165
