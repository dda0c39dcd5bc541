"""Full journal titles: kept from MEDLINE JT / PubMed XML Journal/Title / CSL container-title,
expanded from the shipped journal list for abbreviation-only sources, shown in APA references."""

from __future__ import annotations

from ingest.journals import full_title, key
from ingest.reader import Input, open_input
from kb.model.csl import record_to_csl
from kb.model.schema import Record

PUBMED_TEXT = b"""Effects of care coordination on hospital use among Medicaid enrollees with complex needs.
Chuang E, Jones R.
Health Serv Res. 2023 Apr;58(2):312-321. doi: 10.1111/1475-6773.14123.
OBJECTIVE: To estimate the effect of a care coordination program on hospital use among enrollees.
RESULTS: Enrollees had 12% fewer emergency department visits than matched controls.
"""
MEDLINE = b"""PMID- 123
TI  - A title of a study of care coordination.
AB  - We studied care coordination and found it was associated with fewer visits.
DP  - 2020 Jan
TA  - Health Serv Res
JT  - Health services research
AU  - Chuang E
"""


def _record(data: bytes, name: str) -> Record:
    record = next(iter(open_input(Input(source=name, data=data)).items))
    assert isinstance(record, Record)
    return record


def test_abbreviations_and_sentence_case_titles_find_the_listed_title() -> None:
    assert full_title("Health Serv Res") == "Health Services Research"
    assert full_title("Health Serv. Res.") == "Health Services Research"
    assert full_title("Health services research") == "Health Services Research"
    assert full_title("Health Aff (Millwood)") == "Health Affairs"
    assert full_title("Health Services Research") is None  # already the full title
    assert full_title("Not A Journal Anyone Lists") is None
    assert key("The Milbank Quarterly") == key("milbank quarterly")


def test_pasted_text_keeps_the_abbreviation_and_gains_the_full_title() -> None:
    record = _record(PUBMED_TEXT, "pasted.txt")
    assert (record.venue, record.venue_full) == ("Health Serv Res", "Health Services Research")


def test_medline_keeps_both_and_uses_the_list_casing_for_nlm_sentence_case() -> None:
    record = _record(MEDLINE, "one.nbib")
    assert (record.venue, record.venue_full) == ("Health Serv Res", "Health Services Research")


def test_csl_export_has_the_full_title_and_the_short_one() -> None:
    record = _record(PUBMED_TEXT, "pasted.txt")
    item = record_to_csl(record)
    assert (item["container-title"], item["container-title-short"]) == ("Health Services Research",
                                                                        "Health Serv Res")


def test_apa_reference_shows_the_full_journal_title() -> None:
    from kb.synthesis.cite import cite

    record = _record(PUBMED_TEXT, "pasted.txt").model_copy(update={"id": "chuang-2023"})
    text = cite([record], "apa").references[0].text()
    assert "Health Services Research" in text and "Health Serv Res" not in text


def test_vancouver_keeps_the_nlm_abbreviation() -> None:
    from kb.synthesis.cite import cite

    record = _record(PUBMED_TEXT, "pasted.txt").model_copy(update={"id": "chuang-2023"})
    assert "Health Serv Res. 2023" in cite([record], "vancouver").references[0].text()
