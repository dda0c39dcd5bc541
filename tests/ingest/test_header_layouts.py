"""Header recognition on made-up pages in common scholarly layouts no capture was tuned on: a
journal name above the title, a title wrapped over two lines, the year of a citation line that
carries a DOI link and of a 'Published:' part of a dates line, an abstract labelled on its own
line, and a column of names each with its institution under it."""

from __future__ import annotations

from ingest.formats import generic_text
from ingest.header import HeaderLine, header_year, is_venue_name, joined_wrapped, kind_of, published_year

_TEXT = ("We randomised forty clinics to a community health worker programme or to usual care, and "
         "followed every patient for twelve months with blood pressure measured at each visit.")


def _record(text: str):  # type: ignore[no-untyped-def]
    return generic_text.parse(text, source="page.txt")[0]


def test_a_journal_name_is_a_venue_not_a_title() -> None:
    for name in ("Journal of Integrated Care", "The Milbank Quarterly", "Annals of Family Medicine",
                 "Revista de Saúde Pública", "BMC Health Services Research Journal"):
        assert is_venue_name(name), name
        assert kind_of(name) in ("citation", "other"), name  # never a title
    for title in ("Journal of a Plague Year: Care Homes in 2020", "Journals and the Public. A Review",
                  "Care coordination in the quarterly reports of health plans and hospitals"):
        assert not is_venue_name(title), title


def test_a_title_wrapped_over_two_lines_is_one_line() -> None:
    assert joined_wrapped(["Social Care and the Integration of Health and",
                           "Social Services for Older People: A Scoping Review", "Sarah Kim, John Doe"]) == [
        "Social Care and the Integration of Health and Social Services for Older People: A Scoping Review",
        "Sarah Kim, John Doe"]
    # a byline that ends with a comma and a title line each stand alone
    assert joined_wrapped(["Sarah Kim, John Doe,", "Ana Pérez"]) == ["Sarah Kim, John Doe,", "Ana Pérez"]
    assert joined_wrapped(["A Complete Title of Its Own", "Sarah Kim, John Doe"]) == [
        "A Complete Title of Its Own", "Sarah Kim, John Doe"]


def test_journal_line_above_a_wrapped_title() -> None:
    record = _record("Journal of Integrated Care\nSocial Care and the Integration of Health and\n"
                     "Social Services for Older People: A Scoping Review\nSarah Kim, John Q. Doe\n"
                     f"Article publication date: 12 March 2023\nAbstract\n{_TEXT}\n")
    assert record.title == ("Social Care and the Integration of Health and Social Services for Older "
                            "People: A Scoping Review")
    assert [(a.family, a.given) for a in record.authors] == [("Kim", "Sarah"), ("Doe", "John Q.")]
    assert record.year == 2023


def test_year_of_a_citation_with_a_link_and_of_a_published_part() -> None:
    line = "Medicina 2021, 57(7), 677; https://doi.org/10.3390/medicina57070677"
    assert header_year([HeaderLine(0, line, kind_of(line))]) == 2021
    assert published_year(["Received: 1 June 2020 / Revised: 20 June 2020 / Published: 3 January 2021"]) == 2021
    assert published_year(["Received: 1 June 2020 / Revised: 20 June 2020"]) is None


def test_abstract_labelled_on_its_line_and_names_in_brackets() -> None:
    record = _record("Medicaid Managed Care and Procured Competition\n"
                     "Sarah Kim (University of Oslo) and John Q. Doe (Harvard University)\n"
                     "Journal of Economic Perspectives, 2026, vol. 40, issue 2, 171-94\n"
                     f"Abstract: {_TEXT}\n")
    assert record.title == "Medicaid Managed Care and Procured Competition"
    assert [(a.family, a.given) for a in record.authors] == [("Kim", "Sarah"), ("Doe", "John Q.")]
    assert record.year == 2026


def test_a_column_of_names_each_with_its_institution() -> None:
    record = _record("Medicaid Managed Care and Hospital Use: Evidence from State Mandates\n"
                     "Sarah Kim\nUniversity of Oslo\nJohn Q. Doe\nHarvard University\n"
                     f"Date Written: February 1, 2019\nAbstract\n{_TEXT}\n")
    assert [(a.family, a.given) for a in record.authors] == [("Kim", "Sarah"), ("Doe", "John Q.")]
    assert record.year == 2019


def test_a_document_sites_counts_are_page_furniture() -> None:
    assert kind_of("113KB Sizes 0 Downloads 118 Views") == "chrome"
    assert kind_of("2,345 views") == "chrome"
    assert kind_of("Downloads of Health Apps Among Older Adults in Rural Areas") == "title"
