"""Web of Science tagged exports ('FN Clarivate…', 'PT J' … 'ER'), read with rispy's WokParser;
one record per PT … ER block, a block without ER is reported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import rispy

from ingest import biblio, shape
from ingest.biblio import Item
from ingest.citation import find_doi
from ingest.languages import language_code
from ingest.prose import normalize_newlines

NAME = "wos"
FORMAT = "wos"
VERSION = "1.0"
BIBLIOGRAPHIC = True

_START = re.compile(r"^PT [A-Z]\b")
_END = re.compile(r"^ER\s*$")
_TYPES = {"J": "journal-article", "B": "book", "S": "book-chapter", "P": "patent"}


def sniff(text: str, name: str = "") -> float:
    """High for 'FN Clarivate'/'FN Thomson' headers or PT … ER blocks with two-letter tags."""
    head = normalize_newlines(text[:200000]).lstrip("\ufeff")
    if re.match(r"^FN (?:Clarivate|Thomson|ISI)", head):
        return 0.96
    lines = head.split("\n")
    starts = sum(1 for line in lines if _START.match(line))
    ends = sum(1 for line in lines if _END.match(line))
    found = starts and ends and re.search(r"^(?:TI|AU|SO) \S", head, re.M)
    return 0.9 if found and coverage(lines).explains() else 0.0


def coverage(lines: list[str]) -> shape.Coverage:
    """How much of the input lies inside PT … ER records."""
    return shape.tagged(lines, _START, _END)


def _blocks(text: str) -> Iterator[tuple[int, str | None, str]]:
    return biblio.tagged_blocks(text, _START, _END, start_tag="PT", end_tag="ER")


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """Records of a Web of Science export; an IngestError for each unreadable block."""
    return biblio.iter_tagged(
        text, source=source, blocks=_blocks(text), fields=_fields, coverage=coverage, what="Web of Science",
        load=lambda block: rispy.loads(block, implementation=rispy.WokParser, skip_unknown_tags=True))


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "Web of Science")


def _get(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return biblio.clean(" ".join(value) if isinstance(value, list) else value)


def _fields(entry: dict[str, Any]) -> dict[str, Any]:
    names = entry.get("author_full_name") or entry.get("authors") or []
    year, published = biblio.parse_date(
        f"{_get(entry, 'publication_year') or ''} {_get(entry, 'publication_date') or ''}")
    language, sections, translations = biblio.abstract_parts([_get(entry, "abstract") or ""])
    doi = _get(entry, "doi")
    return {
        "resource_type": _TYPES.get((_get(entry, "publication_type") or "").upper()),
        "title": biblio.clean_title(_get(entry, "document_title")),
        "authors": [a for n in names if (a := biblio.person(n))],
        "year": year, "published": published,
        "venue": _get(entry, "iso_source_abbreviation") or _get(entry, "publication_name"),
        "volume": _get(entry, "volume"), "issue": _get(entry, "issue"),
        "supplement": _get(entry, "supplement"),
        "pages": biblio.pages(_get(entry, "beginning_page"), _get(entry, "ending_page")),
        "article_number": _get(entry, "article_number"), "publisher": _get(entry, "publisher"),
        "identifiers": {"doi": find_doi(doi) if doi else None, "pmid": _get(entry, "pubmed_id"),
                        "isbn": _get(entry, "isbn")},
        "affiliations": biblio.split_list(re.split(r"(?<=\.)\s+(?=\[|[A-Z])", _get(entry, "author_address") or "")),
        "keywords": biblio.keywords([_get(entry, "author_keywords") or "", _get(entry, "keywords_plus") or ""]),
        "publication_types": biblio.split_list(_get(entry, "document_type") or ""),
        **biblio.language_fields(language_code(_get(entry, "language")), language, bool(sections)),
        "abstract": sections, "translations": translations,
    }
