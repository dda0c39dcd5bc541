"""PubMed abstract-page text: authors, affiliations, NLM citation line, abstract (+ translation)."""

from __future__ import annotations

import re

from ingest.citation import PMCID, PMID, Citation, find_doi, parse_citation
from ingest.header import title_from_lines
from ingest.names import (
    clean_affiliation,
    is_affiliation_line,
    is_author_line,
    is_single_author,
    parse_author_line,
)
from ingest.prose import build_abstract, is_sentence, lines_of
from kb.model.schema import Identifiers, Record

NAME = "pubmed_text"
FORMAT = "pubmed-text"
VERSION = "1.0"
HEADER_LINES = 15
_ID_LINE = re.compile(r"^(?:PMID|PMCID|DOI)\s*:", re.I)
_SKIP = re.compile(r"^(?:abstract|affiliations?|authors?|expand|collapse|full text links|cite)$", re.I)
_STOP = re.compile(
    r"^(?:keywords?\s*:|copyright|©|\(c\)\s*\d{4}|conflict of interest|similar articles|cited by|"
    r"references$|mesh terms|grants and funding|publication types|supplementary info|linkout|"
    r"related information|comment in|erratum in|trial registration)", re.I
)


def sniff(text: str, name: str = "") -> float:
    """High when a citation line and an author line or 'Abstract' header open the text."""
    head = lines_of(text[:20000])[:HEADER_LINES]
    has_citation = any(parse_citation(line) and not is_sentence(line) for line in head)
    has_people = any(is_author_line(line) or is_single_author(line) for line in head)
    has_abstract = any(line.lower() == "abstract" for line in head)
    return 0.9 if has_citation and (has_people or has_abstract) else 0.0


def _classify(line: str) -> str | None:
    if _ID_LINE.match(line):
        return "ids"
    if _SKIP.match(line):
        return "skip"
    cit = parse_citation(line)
    if cit and cit.start == 0:
        return "citation"
    if is_author_line(line) or is_single_author(line):
        return "authors"
    if is_affiliation_line(line):
        return "affiliation"
    return None


def _header_end(lines: list[str]) -> int:
    """Index of the first body line: after the last header-type line near the top."""
    last = -1
    for i, line in enumerate(lines[:HEADER_LINES]):
        if _classify(line):
            last = i
    return last + 1


def parse(text: str, *, source: str) -> list[Record]:
    """One record from a PubMed abstract page copy."""
    lines = lines_of(text)
    start = _header_end(lines)
    record = Record()
    title_parts: list[str] = []
    citation: Citation | None = None
    for line in lines[:start]:
        kind = _classify(line)
        if kind == "citation" and citation is None:
            citation = parse_citation(line)
        elif kind == "authors" and not record.authors:
            record.authors = parse_author_line(line)
        elif kind == "affiliation":
            record.affiliations.append(clean_affiliation(line))
        elif kind == "ids":
            _read_ids(record, line)
        elif kind is None and not record.authors:
            title_parts.append(line)
    record.title = title_from_lines(title_parts)
    if citation:
        apply_citation(record, citation)
    body, keywords = _body(lines[start:])
    record.keywords = keywords
    abstract = build_abstract(body)
    record.abstract, record.translations, record.language = (
        abstract.sections, abstract.translations, abstract.language)
    record.resource_type = "journal-article"
    return [record]


def _body(lines: list[str]) -> tuple[list[str], list[str]]:
    body: list[str] = []
    keywords: list[str] = []
    for line in lines:
        if line.lower().startswith("keywords"):
            keywords = [k.strip() for k in re.split(r"[;,]", line.split(":", 1)[-1]) if k.strip()]
            continue
        if _STOP.match(line):
            break
        body.append(line)
    return body, keywords


def _read_ids(record: Record, line: str) -> None:
    ids = record.identifiers
    pmid, pmcid, doi = PMID.search(line), PMCID.search(line), find_doi(line)
    record.identifiers = Identifiers(
        doi=ids.doi or doi, pmid=ids.pmid or (pmid.group(1) if pmid else None),
        pmcid=ids.pmcid or (pmcid.group(1) if pmcid else None), isbn=ids.isbn, url=ids.url,
    )


def apply_citation(record: Record, c: Citation) -> None:
    """Copy a parsed citation's parts into the record (identifiers merged, not replaced)."""
    record.venue, record.year, record.published = c.venue, c.year, c.published
    record.volume, record.supplement, record.issue = c.volume, c.supplement, c.issue
    record.pages, record.article_number, record.epub = c.pages, c.article_number, c.epub
    ids = record.identifiers
    record.identifiers = Identifiers(
        doi=ids.doi or c.doi, pmid=ids.pmid or c.pmid, pmcid=ids.pmcid or c.pmcid,
        isbn=ids.isbn, url=ids.url,
    )
