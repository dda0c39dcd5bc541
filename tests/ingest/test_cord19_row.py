"""CORD-19 metadata rows copied without their header line, in the column layouts of the releases."""

from __future__ import annotations

from ingest.formats import cord19_row
from ingest.sniff import choose_parser

ABSTRACT = ("Background: Nurses visited patients at home after discharge. Methods: We followed 1200 patients for "
            "ninety days and compared readmissions with the year before. Results: Readmissions fell by a fifth.")
AUTHORS = "Rivera, Ana; Okafor, Chidi N.; van der Berg, Jan"
TAIL = (f'10.1234/jnr.2021.0042,PMC7654321,33221100,cc-by,"{ABSTRACT}",2021-03-15,"{AUTHORS}",J Nurs Res')
TITLE = "Home visits by nurses after discharge: a cohort study"
RELEASE_2020_06 = (f"ab12cd34,3f5e8a9b2c1d4e6f7a8b9c0d1e2f3a4b5c6d7e8f,Medline; PMC,{TITLE},{TAIL},3012345678,#1234,,"
                   "document_parses/pdf_json/3f5e.json,,https://doi.org/10.1234/jnr.2021.0042,223344")
RELEASE_2020_03 = f"3f5e8a9b2c1d4e6f7a8b9c0d1e2f3a4b5c6d7e8f,PMC,{TITLE},{TAIL},,#5678,True"
WITH_INDEX = f"17,ab12cd34,,WHO,{TITLE},{TAIL},,,,,,https://example.org/a,"


def test_rows_of_each_release_give_the_same_record() -> None:
    for row in (RELEASE_2020_06, RELEASE_2020_03, WITH_INDEX):
        assert choose_parser(row) is cord19_row
        record = cord19_row.parse(row, source="row.txt")[0]
        assert record.title == TITLE
        assert record.year == 2021
        assert record.identifiers.doi == "10.1234/jnr.2021.0042"
        assert record.identifiers.pmcid == "PMC7654321" and record.identifiers.pmid == "33221100"
        assert [(a.family, a.given or a.initials) for a in record.authors] == [
            ("Rivera", "Ana"), ("Okafor", "Chidi N."), ("van der Berg", "Jan")]
        assert record.venue == "J Nurs Res"
        assert [s.role for s in record.abstract] == ["background", "methods", "results"]


def test_a_row_without_abstract_has_none_and_other_text_is_not_a_row() -> None:
    row = f"ab12cd34,,Elsevier,{TITLE},10.1016/j.x.2020.01.002,,,els-covid,,2020,\"Lee, Kim\",Health Policy,,,,,,,"
    record = cord19_row.parse(row, source="row.txt")[0]
    assert record.abstract == [] and record.year == 2020 and record.identifiers.doi == "10.1016/j.x.2020.01.002"
    header = "cord_uid,sha,source_x,title,doi,pmcid,pubmed_id,license,abstract,publish_time,authors,journal\n"
    assert cord19_row.sniff(header + RELEASE_2020_06) == 0.0  # with its header it is a CSV table
    assert cord19_row.sniff("Nurses visited patients at home, and in PMC, after discharge; we followed them.") == 0.0
