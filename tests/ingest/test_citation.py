"""NLM citation lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.citation import iso_date, parse_citation


def test_pubmed_citation_with_supplement_and_epub() -> None:
    c = parse_citation("Health Serv Res. 2025 May;60 Suppl 3(Suppl 3):e14417. "
                       "doi: 10.1111/1475-6773.14417. Epub 2024 Dec 4.")
    assert c is not None
    assert (c.venue, c.year, c.published, c.volume, c.supplement, c.issue) == (
        "Health Serv Res", 2025, "2025-05", "60", "Suppl 3", "Suppl 3")
    assert (c.article_number, c.pages, c.doi, c.epub) == (
        "e14417", None, "10.1111/1475-6773.14417", "2024-12-04")


@pytest.mark.parametrize("line,venue,published,pages", [
    ("JAMA. 2019 Jan 15;321(2):123-130. doi:10.1001/jama.2018.1", "JAMA", "2019-01-15", "123-130"),
    ("Health Aff (Millwood). 2019 Oct;38(10):1733-1741.", "Health Aff (Millwood)", "2019-10", "1733-1741"),
    ("Am J Public Health. 2018 Nov;108(S4):S262-S264.", "Am J Public Health", "2018-11", "S262-S264"),
    ("Milbank Q. 2020 Spring;98(1):10-20.", "Milbank Q", "2020-03", "10-20"),
])
def test_common_citation_shapes(line: str, venue: str, published: str, pages: str) -> None:
    c = parse_citation(line)
    assert c is not None and (c.venue, c.published, c.pages) == (venue, published, pages)


def test_citation_inside_a_full_reference_with_pmid() -> None:
    c = parse_citation("Chuang E, Ross R. Collaboration strategies for bridging health. "
                       "Health Serv Res. 2025;60 Suppl 3(Suppl 3):e14417. DOI:10.1111/1475-6773.14417. "
                       "PMID: 39632564")
    assert c is not None and c.venue == "Health Serv Res" and c.pmid == "39632564"
    assert c.published == "2025"


def test_prose_is_not_a_citation() -> None:
    assert parse_citation("We did this. In 2019 we had 5 patients.") is None
    assert iso_date("2024", "Foo", "3") == "2024"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes(text: str) -> None:
    parse_citation(text)


def test_a_citation_after_a_label_is_found() -> None:
    c = parse_citation("Published in final edited form as: Am J Prev Med. 2019 Dec;57(6 Suppl 1):S38–S46. "
                       "doi: 10.1016/j.amepre.2019.07.016")
    assert c is not None
    assert (c.venue, c.year, c.volume, c.issue, c.doi) == ("Am J Prev Med", 2019, "57", "6 Suppl 1",
                                                           "10.1016/j.amepre.2019.07.016")
