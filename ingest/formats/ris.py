"""RIS exports (Zotero, EndNote, Embase, Scopus, Ovid, ProQuest, Web of Science): one record per
TY … ER block, read with rispy; a block without its ER line is reported and skipped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import rispy

from ingest import biblio, shape
from ingest.biblio import Item
from ingest.citation import find_doi
from ingest.languages import language_code
from kb.model.reftypes import from_ris

NAME = "ris"
FORMAT = "ris"
VERSION = "1.0"
BIBLIOGRAPHIC = True

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
_START = re.compile(r"^TY  -")
_END = re.compile(r"^ER  -")
LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "AD", "A2"]
VENUE_KEYS = ("secondary_title", "alternate_title3", "journal_name", "alternate_title2",
              "alternate_title1")
PUBMED_DATABASES = ("nlm", "pubmed", "medline")
SNIFF_CHARS = 200_000


def sniff(text: str, name: str = "") -> float:
    """High for text with a 'TY  - ' line and other RIS tag lines, when TY … ER records hold
    most of it (a CSV or a text quoting a few RIS lines is not RIS)."""
    head = shape.lines_of(text[:SNIFF_CHARS])
    starts = sum(1 for line in head if _START.match(line))
    tags = sum(1 for line in head if _TAG_LINE.match(line))
    if starts and tags >= 2 * starts + 1 and coverage(head).explains():
        return 0.95
    return 0.0


def coverage(lines: list[str]) -> shape.Coverage:
    """How much of the input lies inside TY … ER records."""
    return shape.tagged(lines, _START, _END)


def blocks(text: str) -> Iterator[tuple[int, str | None, str]]:
    """(first line number, error or None, block text) for each TY … ER block."""
    return biblio.tagged_blocks(text, _START, _END, start_tag="TY  -", end_tag="ER  -")


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """Records of an RIS text, and an IngestError for each block that cannot be read."""
    return biblio.iter_tagged(
        text, source=source, blocks=blocks(text), fields=_fields, coverage=coverage, what="RIS",
        load=lambda block: rispy.loads(block, list_tags=LIST_TAGS, skip_unknown_tags=True))


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "RIS")


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = next((v for v in value if biblio.clean(v)), None)
        if biblio.clean(value):
            return biblio.clean(value)
    return None


def _list(entry: dict[str, Any], key: str) -> list[str]:
    value = entry.get(key) or []
    return value if isinstance(value, list) else [value]


def _identifiers(entry: dict[str, Any], resource_type: str | None) -> dict[str, Any]:
    urls = [u for u in _list(entry, "urls") if biblio.clean(u)]
    doi = _first(entry, "doi")
    doi = find_doi(doi) if doi else next((d for u in urls + _list(entry, "file_attachments2")
                                          if (d := find_doi(str(u)))), None)
    accession = _first(entry, "accession_number") or ""
    database = (_first(entry, "name_of_database", "database_provider") or "").lower()
    pmid = None
    if re.match(r"^PMID:?\s*\d+$", accession, re.I) or (
            accession.isdigit() and any(d in database for d in PUBMED_DATABASES)):
        pmid = accession
    pmcid = next((m.group(0) for v in _list(entry, "custom2") if (m := re.search(r"PMC\d+", str(v)))),
                 None)
    isbn = _first(entry, "issn") if resource_type in ("book", "book-chapter") else None
    isbn = isbn if isbn and re.fullmatch(r"(?:97[89][- ]?)?(?:\d[- ]?){9}[\dX]", isbn) else None
    url = next((u for u in map(biblio.landing_url, urls) if u), None)
    return {"doi": doi, "pmid": pmid, "pmcid": pmcid, "isbn": isbn, "url": url}


_TYPE_WORDS = (("chapter", "book-chapter"), ("section", "book-chapter"), ("book", "book"),
               ("journal", "journal-article"), ("article", "journal-article"),
               ("conference", "conference-paper"), ("report", "report"), ("thesis", "thesis"),
               ("web", "webpage"), ("blog", "blog-summary"), ("data", "dataset"))


def _type_words(value: object) -> str | None:
    """A resource type from a spelled-out TY value ('Journal Article', 'Book Section')."""
    text = str(value or "").lower()
    return next((kind for word, kind in _TYPE_WORDS if word in text), None) if text else None


def _fields(entry: dict[str, Any]) -> dict[str, Any]:
    resource_type = from_ris(entry.get("type_of_reference")) or _type_words(
        entry.get("type_of_reference"))
    flags = []
    year_text = _first(entry, "year", "publication_year")
    year, published = biblio.parse_date(year_text)
    if year_text and year is None:
        flags.append({"code": "bad-year", "field": "year",
                      "message": f"the export's year '{year_text}' could not be read"})
    date_year, date = biblio.parse_date(_first(entry, "date"))
    if date and (year is None or date_year == year):
        year, published = date_year, date if len(date) > len(published or "") else published
    authors = [a for n in _list(entry, "authors") + _list(entry, "first_authors")
               if (a := biblio.person(n))]
    language, sections, translations = biblio.abstract_parts(
        [_first(entry, "abstract", "notes_abstract") or ""])
    title_translation = _first(entry, "translated_title")
    first, last = _first(entry, "start_page"), _first(entry, "end_page")
    return {
        "resource_type": resource_type, "title": biblio.clean_title(_first(entry, "title", "primary_title", "short_title")),
        "title_translations": {biblio.title_language(title_translation): title_translation}
        if title_translation else {},
        "authors": authors, "year": year, "published": published,
        "venue": _first(entry, *VENUE_KEYS), "volume": _first(entry, "volume"),
        "issue": _first(entry, "number"), "pages": biblio.pages(first, last),
        "article_number": _first(entry, "custom7"), "publisher": _first(entry, "publisher"),
        "identifiers": _identifiers(entry, resource_type),
        "affiliations": biblio.split_list(_list(entry, "author_address")),
        "keywords": biblio.keywords(_list(entry, "keywords")),
        "publication_types": biblio.split_list(_first(entry, "type_of_work") or ""),
        **biblio.language_fields(language_code(_first(entry, "language")), language, bool(sections)),
        "abstract": sections, "translations": translations, "flags": flags,
    }
