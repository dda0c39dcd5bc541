"""Evidence-library capture: navigation, title, initials author line, journal, labelled
sections, full reference with DOI/PMID, and a facet trailer (Resource type, Outcomes, …)."""

from __future__ import annotations

import re

from ingest.citation import PMCID, PMID, find_doi, parse_citation
from ingest.formats.pubmed_text import apply_citation
from ingest.header import kind_of
from ingest.names import is_author_line, parse_author_line
from ingest.prose import build_abstract, is_sentence, lines_of
from kb.model.schema import Identifiers, Record
from kb.text.sections import split_label

NAME = "evidence_library"
FORMAT = "evidence-library"
VERSION = "1.0"

FACET_NAMES = (
    "Publication year", "Resource type", "Outcomes", "Population", "Social Determinant of Health",
    "Social Determinants of Health", "Study design", "Intervention", "Intervention type", "Setting",
    "Topic", "Topics", "Country", "Geography", "Age group", "Language", "Evidence type",
    "Health outcome", "Focus area", "Program type", "Author", "Authors", "Journal", "Funder",
)
_FACETS = {name.lower(): name for name in FACET_NAMES}
NAVIGATION = re.compile(
    r"^(?:back to (?:search )?results|view the resource(?: opens in a new window)?|"
    r"opens in a new window|share|print|download|home|search|menu|skip to (?:main )?content|"
    r"email|cite this|save)$", re.I,
)
RESOURCE_TYPES = {
    "peer reviewed research": "journal-article", "journal article": "journal-article",
    "grey literature": "report", "report": "report", "issue brief": "brief",
    "policy brief": "brief", "toolkit": "toolkit", "systematic review": "journal-article",
    "book": "book", "book chapter": "book-chapter", "dissertation": "thesis", "webinar": "webinar",
}


def sniff(text: str, name: str = "") -> float:
    """High when several known facet names stand on lines of their own."""
    lines = {line.lower() for line in lines_of(text[:50000])}
    facets = sum(1 for f in _FACETS if f in lines)
    nav = any(NAVIGATION.match(line) and "resource" in line or "back to" in line for line in lines)
    if facets >= 3 or (facets >= 1 and nav):
        return 0.95
    return 0.0


def parse(text: str, *, source: str) -> list[Record]:
    """One record from an evidence-library page capture."""
    lines = [line for line in lines_of(text) if not NAVIGATION.match(line)]
    trailer = _facet_start(lines)
    body_lines, facet_lines = lines[:trailer], lines[trailer:]
    record = Record()
    paragraphs: list[str] = []
    for line in body_lines:
        _read_line(record, line, paragraphs)
    record.facets = _facets(facet_lines)
    abstract = build_abstract(paragraphs)
    record.abstract, record.translations, record.language = (
        abstract.sections, abstract.translations, abstract.language)
    record.resource_type = _resource_type(record.facets)
    years = [v for v in record.facets.get("Publication year", []) if v.isdigit()]
    if record.year is None and years:
        record.year = int(years[0])
    return [record]


def _read_line(record: Record, line: str, paragraphs: list[str]) -> None:
    citation = parse_citation(line)
    if citation and not split_label(line).label:
        apply_citation(record, citation)
        pmid, pmcid, doi = PMID.search(line), PMCID.search(line), find_doi(line)
        ids = record.identifiers
        record.identifiers = Identifiers(
            doi=ids.doi or doi, pmid=ids.pmid or (pmid.group(1) if pmid else None),
            pmcid=ids.pmcid or (pmcid.group(1) if pmcid else None))
        return
    if not record.authors and is_author_line(line, allow_single=bool(record.title)):
        record.authors = parse_author_line(line)
        return
    if record.title is None and not split_label(line).label and not paragraphs:
        kind = kind_of(line)  # a page heading or a label is no title: the title stays empty
        if kind == "title":
            record.title = line.rstrip(".")
        if kind in ("title", "chrome"):
            return
    if record.authors and record.venue is None and not paragraphs and not is_sentence(line):
        record.venue = line
        return
    paragraphs.append(line)


def _facet_start(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if line.lower() in _FACETS and sum(1 for x in lines[i:] if x.lower() in _FACETS) >= 2:
            return i
    return len(lines)


def _facets(lines: list[str]) -> dict[str, list[str]]:
    facets: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        if line.lower() in _FACETS:
            current = _FACETS[line.lower()]
            facets.setdefault(current, [])
        elif current is not None:
            facets[current].append(line)
    return facets


def _resource_type(facets: dict[str, list[str]]) -> str | None:
    for value in facets.get("Resource type", []):
        return RESOURCE_TYPES.get(value.lower(), re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-"))
    return None
