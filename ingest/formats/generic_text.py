"""Fallback for prose in a layout no specific parser knows: recognise what can be recognised
(title-like first line, authors, citation, DOI/PMID anywhere, labelled sections) and flag it."""

from __future__ import annotations

import re

from ingest.chrome import strip_chrome
from ingest.citation import PMCID, PMID, find_doi, parse_citation
from ingest.formats.pubmed_text import apply_citation
from ingest.names import is_author_line, parse_author_line
from ingest.prose import build_abstract, has_prose, is_sentence, lines_of
from kb.model.schema import Identifiers, Record, ReviewFlag
from kb.text.sections import split_label

NAME = "generic_text"
FORMAT = "text"
VERSION = "1.0"
HEADER_LINES = 8
SNIFF_CHARS = 200_000


def sniff(text: str, name: str = "") -> float:
    """Low but positive for any text with abstract-like prose (in its first 200,000 characters:
    a huge export must not be scanned sentence by sentence just to rank this fallback)."""
    return 0.1 if has_prose(text[:SNIFF_CHARS]) else 0.0


def _title_like(line: str) -> bool:
    words = line.split()
    return (3 <= len(words) <= 40 and not split_label(line).label
            and not re.search(r"[.!?]$", line.rstrip(".") + ("." if line.endswith(".") else "")[:0])
            and not is_sentence(line) and line[0].isupper())


def parse(text: str, *, source: str) -> list[Record]:
    """One record with whatever metadata could be recognised."""
    lines = strip_chrome(lines_of(text))
    record = Record()
    body: list[str] = []
    for i, line in enumerate(lines):
        header = i < HEADER_LINES and not body
        citation = parse_citation(line) if not is_sentence(line) or "doi" in line.lower() else None
        if citation and record.venue is None:
            apply_citation(record, citation)
        elif header and not record.authors and is_author_line(line):
            record.authors = parse_author_line(line)
        elif header and record.title is None and not record.authors and _title_like(line):
            record.title = line.rstrip(".")
        elif is_sentence(line) or split_label(line).label or body:
            body.append(line)
    _find_ids(record, "\n".join(lines))
    abstract = build_abstract(body)
    record.abstract, record.translations, record.language = (
        abstract.sections, abstract.translations, abstract.language)
    record.review.flags.append(ReviewFlag(
        code="generic-parser",
        message="read by the generic text parser: check the title, authors and sections",
    ))
    return [record]


def _find_ids(record: Record, text: str) -> None:
    ids = record.identifiers
    pmid, pmcid = PMID.search(text), PMCID.search(text)
    record.identifiers = Identifiers(
        doi=ids.doi or find_doi(text), pmid=ids.pmid or (pmid.group(1) if pmid else None),
        pmcid=ids.pmcid or (pmcid.group(1) if pmcid else None), isbn=ids.isbn, url=ids.url,
    )
