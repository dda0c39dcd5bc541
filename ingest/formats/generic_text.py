"""Fallback for prose in a layout no specific parser knows: recognise what can be recognised
(the page header's title, authors, citation and date by ingest.header; DOI/PMID anywhere;
labelled sections) and flag it. A header with no plausible title gives no title."""

from __future__ import annotations

import re

from ingest.chrome import strip_chrome
from ingest.citation import PMCID, PMID, find_doi, parse_citation
from ingest.formats.pubmed_text import apply_citation
from ingest.header import HeaderLine, clean_title, header_year, labelled_value, pick_title, read_header
from ingest.names import is_author_line, parse_author_line
from ingest.prose import build_abstract, has_prose, is_sentence, lines_of
from kb.model.schema import Identifiers, Record, ReviewFlag
from kb.text.sections import split_label

NAME = "generic_text"
FORMAT = "text"
VERSION = "1.1"
SNIFF_CHARS = 200_000
_INNER_SENTENCE_END = re.compile(r"[a-z0-9)][.!?]\s+[A-Z]")
_ABSTRACT_HEADINGS = frozenset({"abstract", "summary", "resumen", "resumo", "résumé", "zusammenfassung"})


def sniff(text: str, name: str = "") -> float:
    """Low but positive for any text with abstract-like prose (in its first 200,000 characters:
    a huge export must not be scanned sentence by sentence just to rank this fallback)."""
    return 0.1 if has_prose(text[:SNIFF_CHARS]) else 0.0


def body_start(lines: list[str]) -> int:
    """Index of the first line of the abstract: after an 'Abstract' heading, or the first
    paragraph of prose (two sentences, or a long one: a title can end with a full stop) or
    section label; else the first sentence of any length."""
    for i, line in enumerate(lines):
        if line.lower().rstrip(":") in _ABSTRACT_HEADINGS:
            if _table_of_contents(lines, i):
                continue
            return i + 1
        if _is_paragraph(line) or split_label(line).label:
            return _wrapped_start(lines, i)
    return next((i for i, line in enumerate(lines) if is_sentence(line)), len(lines))


def _table_of_contents(lines: list[str], i: int) -> bool:
    """The 'Abstract' heading at i is an entry of a page's table of contents: another one comes
    later with no paragraph of prose between them."""
    for line in lines[i + 1:i + 1 + STACKED_WINDOW]:
        if line.lower().rstrip(":") in _ABSTRACT_HEADINGS:
            return True
        if _is_paragraph(line):
            return False
    return False


def _wrapped_start(lines: list[str], i: int) -> int:
    """Back over the lines of the same hard-wrapped paragraph (PDF or e-mail text): lines of
    about the same length that do not end a sentence."""
    width = len(lines[i])
    while i > 0 and len(lines[i - 1]) >= 60 and abs(len(lines[i - 1]) - width) <= 0.3 * width \
            and not lines[i - 1].rstrip().endswith((".", "?", "!", ":")):
        i -= 1
    return i


_LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+")


def _is_paragraph(line: str) -> bool:
    """Two sentences or a long one ('1. How …?' is a numbered heading, not two sentences)."""
    inner = _INNER_SENTENCE_END.search(_LIST_NUMBER.sub("", line))
    return is_sentence(line) and (len(line.split()) >= 30 or bool(inner))


def parse(text: str, *, source: str) -> list[Record]:
    """One record with whatever metadata could be recognised."""
    lines = strip_chrome(lines_of(text))
    start = body_start(lines)
    header = read_header(lines[:start])
    record = Record()
    title = pick_title(header, lines)
    if title is not None:
        record.title = clean_title(title.text) or None
    byline = _author_line(header, title) or stacked_names(lines[:max(start, STACKED_WINDOW)])
    # Pages print names given name first unless the list shows otherwise ('Chuang E, Ross R').
    record.authors = parse_author_line(byline, default="given-first") if byline else []
    body: list[str] = []
    for line in lines:
        citation = parse_citation(line) if not is_sentence(line) or "doi" in line.lower() else None
        if citation and record.venue is None:
            apply_citation(record, citation)
    for line in lines[start:]:
        if record.venue and not is_sentence(line) and parse_citation(line):
            continue
        body.append(line)
    if record.year is None:
        record.year = header_year(header)
    if record.venue is None:
        record.venue = labelled_value(header, ("journal", "source title", "published in"))
    _find_ids(record, "\n".join(lines))
    abstract = build_abstract(body)
    record.abstract, record.translations, record.language = (
        abstract.sections, abstract.translations, abstract.language)
    if record.title is None and (shaped := next((h for h in header if h.kind == "title"), None)):
        record.review.flags.append(ReviewFlag(
            code="title-uncertain", field="title",
            message=f"no line of the page header is plainly the title, so none was taken (the first "
                    f"title-shaped line reads {shaped.text[:80]!r}); add the title from the publication"))
    record.review.flags.append(ReviewFlag(
        code="generic-parser",
        message="read by the generic text parser: check the title, authors and sections",
    ))
    return [record]


def _author_line(header: list[HeaderLine], title: HeaderLine | None) -> str | None:
    """The first author list after the title (or anywhere in the header when there is none)."""
    after = title.index if title is not None else -1
    found = next((h for h in header if h.kind == "authors" and h.index > after), None)
    found = found or next((h for h in header if h.kind == "authors"), None)
    if found is None:
        return None
    run = [found]  # author lines one after another: a lone name, then the full list — the longest
    while run[-1].index + 1 < len(header) and header[run[-1].index + 1].kind == "authors":
        run.append(header[run[-1].index + 1])
    return max(run, key=lambda h: len(h.text)).text


_AUTHORS_LABEL = re.compile(r"^(?:authors?|author\(s\)|by|written by)\s*[:：]?$", re.I)
MAX_STACKED = 40  # names listed one a line (a byline laid out as a column)
STACKED_WINDOW = 60  # looked for in the page's first lines (a site's blurb may come before the byline)
_LOWER_PARTICLES = frozenset("de da do dos das del della di du la le van von der den ter ten bin al el".split())


def _one_name(line: str) -> bool:
    text = line.strip().rstrip(",;").strip()
    words = text.split()
    capitalised = all(w[:1].isupper() or w in _LOWER_PARTICLES for w in words) and words[0][:1].isupper()
    return 2 <= len(words) <= 5 and capitalised and not any(c.isdigit() for c in text) \
        and is_author_line(text, allow_single=True, default="given-first")


def stacked_names(lines: list[str]) -> str | None:
    """The byline of a page that lists its authors one a line: the first run of two or more
    name lines (or of one after a lone 'Authors:' line), as one comma-joined list."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and j - i < MAX_STACKED and _one_name(lines[j]):
            j += 1
        labelled = i > 0 and bool(_AUTHORS_LABEL.match(lines[i - 1].strip()))
        if j - i >= 2 or (j - i == 1 and labelled):
            return ", ".join(line.strip().rstrip(",;").strip() for line in lines[i:j])
        i = j + 1
    return None


def _find_ids(record: Record, text: str) -> None:
    ids = record.identifiers
    pmid, pmcid = PMID.search(text), PMCID.search(text)
    record.identifiers = Identifiers(
        doi=ids.doi or find_doi(text), pmid=ids.pmid or (pmid.group(1) if pmid else None),
        pmcid=ids.pmcid or (pmcid.group(1) if pmcid else None), isbn=ids.isbn, url=ids.url,
    )
