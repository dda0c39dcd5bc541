"""CSL citations through citeproc-py: hand-written APA and Vancouver references for the shipped
records, and the citeproc-py gaps kb.synthesis.cite works around (date delimiters, repeated titles, order)."""

from __future__ import annotations

import pytest

from kb.errors import KBError
from kb.model.schema import Author, Record, Section
from kb.synthesis.cite import cite, constructed_title, csl_item, html_runs, load_style
from tests.golden import frozen

CHUANG, SAFAEINILI = "chuang-2025-collaboration-strategies", "safaeinili-2025-assess-multi-level"
JSI, SEED_003 = "john-snow-discussion-paper", "improve-integration-health"
ORDER = [CHUANG, SAFAEINILI, JSI, SEED_003]

# Written by hand from the record fields (authors, year, title, venue, volume, issue, article
# number, DOI, PMID) following APA 7 and NLM Citing Medicine; untitled records get a title
# constructed from their first 12 words in square brackets, as both manuals ask.
APA = [
    "Chuang, E., Ross, R., Safaeinili, N., Haley, L. A., O'Masta, B., & Pourat, N. (2025). "
    "Collaboration strategies for bridging health, behavioral health, and social services in "
    "California's Medi-Cal Whole Person Care pilot program. Health Serv Res, 60(Suppl 3), "
    "Article e14417. https://doi.org/10.1111/1475-6773.14417",
    "John Snow, Inc. (n.d.). [This discussion paper prepared by John Snow, Inc., in collaboration "
    "with the…].",
    "Safaeinili, N., Chuang, E., Fleming, M., Ramanadhan, S., Pourat, N., & Brewster, A. (2025). "
    "[To assess multi-level factors influencing the sustainability of 26 social care pilots…]. "
    "Health Serv Res, 60(Suppl 3), Article e14418. https://doi.org/10.1111/1475-6773.14418",
    "[To improve integration across health care and social needs, California's Medicaid "
    "transformation…]. (n.d.).",
]
VANCOUVER = [
    "1. Chuang E, Ross R, Safaeinili N, Haley LA, O'Masta B, Pourat N. Collaboration strategies "
    "for bridging health, behavioral health, and social services in California's Medi-Cal Whole "
    "Person Care pilot program. Health Serv Res. 2025 May;60(Suppl 3):e14417. "
    "doi:10.1111/1475-6773.14417 PubMed PMID: 39632564.",
    "2. Safaeinili N, Chuang E, Fleming M, Ramanadhan S, Pourat N, Brewster A. [To assess "
    "multi-level factors influencing the sustainability of 26 social care pilots…]. Health Serv "
    "Res. 2025 May;60(Suppl 3):e14418. doi:10.1111/1475-6773.14418",
    "3. John Snow, Inc. [This discussion paper prepared by John Snow, Inc., in collaboration with "
    "the…].",
    "4. [To improve integration across health care and social needs, California's Medicaid "
    "transformation…].",
]


def _records() -> list[Record]:
    return [frozen(rid) for rid in ORDER]


def test_apa_references_and_citations_of_the_shipped_records() -> None:
    result = cite(_records(), "apa")
    assert [r.text() for r in result.references] == APA   # alphabetical, as APA files them
    assert [r.record_id for r in result.references] == [CHUANG, JSI, SAFAEINILI, SEED_003]
    assert result.inline == {CHUANG: "(Chuang et al., 2025)", SAFAEINILI: "(Safaeinili et al., 2025)",
                             JSI: "(John Snow, Inc., n.d.)",
                             SEED_003: "([To Improve Integration Across…], n.d.)"}
    chuang = result.references[0]
    assert [r.text for r in chuang.runs if r.italic] == ["Health Serv Res", "60"]


def test_vancouver_references_and_citations_of_the_shipped_records() -> None:
    result = cite(_records(), "vancouver")
    assert [r.text() for r in result.references] == VANCOUVER  # in order of first citation
    assert [r.label for r in result.references] == ["1.", "2.", "3.", "4."]
    assert result.inline == {CHUANG: "(1)", SAFAEINILI: "(2)", JSI: "(3)", SEED_003: "(4)"}


def test_localized_dates_keep_their_delimiter() -> None:
    record = Record(id="d", title="Dated", authors=[Author(family="Lee", given="Ann")],
                    year=2024, published="2024-12-04", venue="J Test", volume="3", pages="1-9",
                    resource_type="journal-article")
    text = cite([record], "vancouver").references[0].text()
    assert text == "1. Lee A. Dated. J Test. 2024 Dec 4;3:1–9."
    assert load_style("vancouver") is load_style("vancouver")


def test_authorless_entries_name_the_title_once_and_file_under_it() -> None:
    report = Record(id="r", title="Whole-person care: a report", year=2020, resource_type="report",
                    publisher="CHCF")
    article = Record(id="a", title="Braided funding in practice", year=2021,
                     resource_type="journal-article", venue="Health Aff", volume="3", pages="1-5",
                     authors=[Author(family="Zhou", given="Li")])
    result = cite([report, article], "apa")
    assert [r.text() for r in result.references] == [
        "Whole-person care: a report. (2020). CHCF.",
        "Zhou, L. (2021). Braided funding in practice. Health Aff, 3, 1–5."]
    assert result.inline["r"] == "(Whole-person Care: A Report, 2020)"


def test_constructed_titles_only_for_untitled_records() -> None:
    untitled = Record(id="u", abstract=[Section(text="Short opening words.")])
    assert constructed_title(untitled) == "[Short opening words]"
    assert csl_item(untitled)["title"] == "[Short opening words]"
    assert constructed_title(Record(id="e")) is None and "title" not in csl_item(Record(id="e"))
    assert csl_item(frozen(CHUANG))["title"].startswith("Collaboration strategies")
    assert "abstract" not in csl_item(frozen(CHUANG))


def test_html_runs_keep_italics_and_entities() -> None:
    runs = html_runs("A &amp; B. <i>Journal</i>, <i>60</i>(2)")
    assert [(r.text, r.italic) for r in runs] == [
        ("A & B. ", False), ("Journal", True), (", ", False), ("60", True), ("(2)", False)]


def test_unknown_style() -> None:
    with pytest.raises(KBError, match="unknown citation style 'chicago' \\(choose apa, vancouver\\)"):
        cite(_records(), "chicago")
