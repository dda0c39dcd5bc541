"""RefWorks tagged exports: one tag a line, several records, and the same record folded onto
one line as it is copied from a browser."""

from __future__ import annotations

from ingest.formats import refworks
from ingest.reader import Input, open_input
from ingest.sniff import choose_parser
from kb.model.schema import Record

LINES = """RT Journal Article
SR Electronic
A1 Okafor, Adaeze N.
A1 Lindqvist, Per
T1 Community health workers and emergency department use: a cohort study
JF Health Services Research
JO Health Serv Res
YR 2021
FD 2021/06/14
VO 56
IS 3
SP 410
OP 419
DO 10.1111/1475-6773.99999
AB Objective: To measure emergency department use after enrolment with a community health worker.
 Results: Visits fell by a fifth in the year after enrolment.
K1 community health workers
UL https://example.org/content/56/3/410
RT Journal Article
A1 Lee, Ann
T1 A second record of the same export about care coordination
JF Medical Care
YR 2019
"""
FOLDED = ("RT Journal Article SR Electronic T1 Social needs screening in primary care practices JF medRxiv "
          "FD Cold Spring Harbor Laboratory Press SP 2024.01.02.24300001 DO 10.1101/2024.01.02.24300001 "
          "A1 Tong, Sebastian T. A1 Liaw, Winston YR 2024 UL http://medrxiv.org/content/early/2024/01/03/x.abstract "
          "AB Background Screening for social needs IS common in practices. We studied 12 practices in AD 2023 "
          "and found that screening was feasible.")


def _records(text: str) -> list[Record]:
    opened = open_input(Input(source="export.txt", data=text.encode()))
    assert opened.parser is refworks
    items = list(opened.items)
    assert all(isinstance(i, Record) for i in items)
    return items


def test_a_tagged_export_with_two_records() -> None:
    first, second = _records(LINES)
    assert first.title == "Community health workers and emergency department use: a cohort study"
    assert [(a.family, a.given) for a in first.authors] == [("Okafor", "Adaeze N."), ("Lindqvist", "Per")]
    assert (first.year, first.published) == (2021, "2021-06-14")
    assert (first.venue, first.venue_full) == ("Health Serv Res", "Health Services Research")
    assert (first.volume, first.issue, first.pages) == ("56", "3", "410-419")
    assert first.identifiers.doi == "10.1111/1475-6773.99999"
    assert [s.label for s in first.abstract] == ["Objective", "Results"]
    assert first.keywords == ["community health workers"]
    assert (second.title, second.year, second.venue) == (
        "A second record of the same export about care coordination", 2019, "Medical Care")


def test_a_folded_record_splits_at_its_tags_but_not_inside_the_abstract() -> None:
    [record] = _records(FOLDED)
    assert record.title == "Social needs screening in primary care practices"
    assert [(a.family, a.given) for a in record.authors] == [("Tong", "Sebastian T."), ("Liaw", "Winston")]
    assert (record.year, record.published) == (2024, "2024")  # FD holds the publisher here, not a date
    assert record.identifiers.doi == "10.1101/2024.01.02.24300001"
    assert record.venue == "medRxiv"
    text = " ".join(s.text for s in record.abstract)
    assert "IS common in practices" in text and "AD 2023" in text
    assert record.issue is None


def test_prose_mentioning_tags_is_not_refworks() -> None:
    text = "RT-PCR testing was used. A1 and T1 scores were compared among the patients in the trial."
    assert refworks.sniff(text) == 0.0
    assert choose_parser("RT Journal Article\nT1 A title of a study\nA1 Lee, Ann\n") is refworks
