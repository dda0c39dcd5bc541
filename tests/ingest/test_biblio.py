"""Shared rules of the bibliographic parsers: names, dates, pages, titles, keywords, languages."""

from __future__ import annotations

import pytest

from ingest.biblio import (
    clean_title,
    keywords,
    language_fields,
    pages,
    parse_date,
    person,
    split_upper_labels,
)
from ingest.languages import language_code


@pytest.mark.parametrize("raw,expected", [
    ("Smith, John A.", ("Smith", "John A.", "JA", None)),
    ("Smith JA", ("Smith", None, "JA", None)),
    ("Adler D.G.", ("Adler", None, "DG", None)),
    ("B. Abrahao", ("Abrahao", None, "B", None)),
    ("K. S. Cook", ("Cook", None, "KS", None)),
    ("de la Cruz, José", ("de la Cruz", "José", "J", None)),
    ("Parkes-Loach, PS", ("Parkes-Loach", None, "PS", None)),
    ("World Health Organization", (None, None, None, "World Health Organization")),
    ("CHW Evaluation Study Group", (None, None, None, "CHW Evaluation Study Group")),
])
def test_person(raw: str, expected: tuple) -> None:
    author = person(raw)
    assert (author.family, author.given, author.initials, author.collective) == expected


@pytest.mark.parametrize("raw", ["", "UNKNOWN", "Anonymous", None])
def test_no_person(raw: str | None) -> None:
    assert person(raw) is None


@pytest.mark.parametrize("raw,expected", [
    ("2019 Oct 4", (2019, "2019-10-04")), ("2019/10//", (2019, "2019-10")),
    ("2019/10//undefined", (2019, "2019-10")), ("20191004", (2019, "2019-10-04")),
    ("2013 Jan-Feb", (2013, "2013-01")), ("2019 Spring", (2019, "2019-03")),
    ("2014//", (2014, "2014")), ("25 Aug 2004", (2004, "2004-08-25")),
    ("10 15", (None, None)), ("", (None, None)),
])
def test_parse_date(raw: str, expected: tuple) -> None:
    assert parse_date(raw) == expected


def test_pages() -> None:
    assert pages("947-55") == "947-955"
    assert pages("45", "67") == "45-67"
    assert pages("e14417") == "e14417"
    assert pages("No-Specified") is None
    assert pages("S47-S49") == "S47-S49"


def test_titles_and_keywords() -> None:
    assert clean_title("[Barriers to care: a review].") == "Barriers to care: a review"
    assert clean_title("Is it working?") == "Is it working?"
    assert clean_title("UNKNOWN") is None
    assert keywords(["*Colitis, Ulcerative/therapy", "colitis, ulcerative", "Humans"], mesh=True) == [
        "Colitis, Ulcerative", "Humans"]
    assert keywords(["a; b;; c", "B"]) == ["a", "b", "c"]


def test_languages() -> None:
    assert [language_code(v) for v in ("eng", "English", "ger", "zh_CN", "chi", "und", "xx")] == [
        "en", "en", "de", "zh", "zh", None, None]
    assert language_fields("de", "en", True) == {"language": "en", "facets": {"Publication language": ["de"]}}
    assert language_fields("de", "en", False) == {"language": "de"}


def test_split_upper_labels() -> None:
    assert split_upper_labels("ZIEL: Eins. METHODEN: Zwei. Keine Marke: drei.") == [
        "ZIEL: Eins.", "METHODEN: Zwei. Keine Marke: drei."]
