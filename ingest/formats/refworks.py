"""RefWorks tagged exports ('RT Journal Article', 'A1 Family, Given', 'T1 …', 'JF …', 'YR …',
'AB …'), as Highwire journal and preprint sites (medRxiv, bioRxiv) offer them: one tag a line,
or the same record folded onto one line when copied from a browser. A record starts at each RT."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ingest import biblio
from ingest.biblio import Item
from ingest.citation import find_doi
from ingest.languages import language_code
from ingest.prose import normalize_newlines

NAME = "refworks"
FORMAT = "refworks"
VERSION = "1.0"
BIBLIOGRAPHIC = True

TAGS = ("RT", "SR", "ID", "A1", "A2", "A3", "A4", "AD", "T1", "T2", "T3", "JF", "JO", "YR", "FD", "VO",
        "IS", "SP", "OP", "K1", "AB", "NO", "PB", "PP", "ED", "SN", "LA", "CL", "UL", "DO", "DS", "LK",
        "CN", "WP", "WV", "CR", "RD", "OL", "OT", "U1", "U2", "U3", "U4", "U5")
_TAG_LINE = re.compile(rf"^({'|'.join(TAGS)})(?: (.*))?$")
_START = re.compile(r"^\ufeff?\s*RT [A-Z][a-z]+")
# In a folded record a tag is recognised between spaces; after the abstract only the tags that
# follow it in these exports, with values of their own shape, so a word like 'IS' in the text is no tag.
_FOLDED_TAG = re.compile(rf"\s(?=(?:{'|'.join(t for t in TAGS if t != 'AB')}) \S)")
_AFTER_ABSTRACT = re.compile(r"\s(?=(?:UL https?://|DO 10\.\d|YR (?:1[89]|20)\d\d\b|K1 |SN \d|LA [a-z]{2,3}\b))")
_TYPES = {"journal article": "journal-article", "journal, electronic": "journal-article", "book, whole": "book",
          "book, section": "book-chapter", "report": "report", "dissertation/thesis": "thesis",
          "conference proceedings": "paper-conference", "web page": "webpage", "generic": None}


def sniff(text: str, name: str = "") -> float:
    """High for text that opens with 'RT <type>' and carries a title or author tag."""
    head = text[:200000]
    if not _START.match(head):
        return 0.0
    return 0.93 if re.search(r"(?:^|\s)(?:T1|A1) \S", head) else 0.0


def _fields_of(record: str) -> list[tuple[str, str]]:
    """(tag, value) pairs of one record, one tag a line or folded onto one line."""
    lines = normalize_newlines(record).split("\n")
    tagged = [line for line in lines if _TAG_LINE.match(line)]
    if len(tagged) < 3 and lines:  # folded: split the line at its tags
        text = " ".join(lines)
        before, sep, after = text.partition(" AB ")
        parts = _FOLDED_TAG.split(before)
        if sep:
            abstract, *rest = _AFTER_ABSTRACT.split(after)
            parts += ["AB " + abstract, *rest]
        lines = parts
    out: list[tuple[str, str]] = []
    for line in lines:
        m = _TAG_LINE.match(line.strip())
        if m:
            out.append((m.group(1), (m.group(2) or "").strip()))
        elif out and line.strip():
            out[-1] = (out[-1][0], f"{out[-1][1]} {line.strip()}")  # a value wrapped onto the next line
    return out


def _records(text: str) -> Iterator[str]:
    lines = normalize_newlines(text).lstrip("\ufeff").split("\n")
    current: list[str] = []
    for line in lines:
        if _START.match(line) and current:
            yield "\n".join(current)
            current = []
        current.append(line)
    if any(line.strip() for line in current):
        yield "\n".join(current)


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """Records of a RefWorks export; an IngestError for each record nothing could be read from."""
    for number, record in enumerate(_records(text), start=1):
        yield biblio.build(_fields, _fields_of(record), source=source, number=number)


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "RefWorks")


def _fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    values: dict[str, list[str]] = {}
    for tag, value in pairs:
        if value:
            values.setdefault(tag, []).append(value)

    def one(tag: str) -> str | None:
        return biblio.clean(values[tag][0]) if tag in values else None

    free_date = one("FD") if one("FD") and re.search(r"\d", one("FD") or "") else None  # some sites put the publisher there
    year, published = biblio.parse_date(free_date) if free_date else (None, None)
    if one("YR") and year != biblio.parse_date(one("YR"))[0]:
        year, published = biblio.parse_date(one("YR"))
    language, sections, translations = biblio.abstract_parts(values.get("AB", []))
    full, short = one("JF"), one("JO")
    return {
        "resource_type": _TYPES.get((one("RT") or "").lower(), "journal-article"),
        "title": biblio.clean_title(one("T1")),
        "authors": [a for n in values.get("A1", []) if (a := biblio.person(n))],
        "year": year, "published": published,
        "venue": short or full, "venue_full": full if short and full != short else None,
        "volume": one("VO"), "issue": one("IS"), "pages": biblio.pages(one("SP"), one("OP")),
        "publisher": one("PB"),
        "identifiers": {"doi": find_doi(one("DO") or ""), "url": biblio.landing_url(one("UL"))},
        "affiliations": biblio.split_list(values.get("AD", [])),
        "keywords": biblio.keywords(values.get("K1", [])),
        **biblio.language_fields(language_code(one("LA")), language, bool(sections)),
        "abstract": sections, "translations": translations,
    }
