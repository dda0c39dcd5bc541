"""BibTeX / BibLaTeX exports, read with bibtexparser 2 (names split by BibTeX's own rules, LaTeX
accents decoded); an entry bibtexparser cannot parse (e.g. unbalanced braces) is reported."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import bibtexparser
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from ingest import biblio, shape
from ingest.biblio import Item
from ingest.citation import find_doi
from ingest.languages import language_code
from kb.errors import IngestError
from kb.model.reftypes import from_bibtex
from kb.model.schema import Author

NAME = "bibtex"
FORMAT = "bibtex"
VERSION = "1.0"
BIBLIOGRAPHIC = True

# [ \t]*, not \s*: with re.M, \s* would rescan every following blank line from each line start
_ENTRY = re.compile(r"^[ \t]*@[ \t]*(?!comment|string|preamble)[A-Za-z]+[ \t]*[{(]", re.I | re.M)
SNIFF_CHARS = 200_000
_LATEX = LatexNodes2Text(math_mode="verbatim")
VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "series", "howpublished", "institution",
                "school")


def sniff(text: str, name: str = "") -> float:
    """High for text with '@article{' style entries that have 'field = value' lines, when the
    entries hold most of it (a text quoting one entry is not a BibTeX file)."""
    head = text[:SNIFF_CHARS]
    if not _ENTRY.search(head) or not re.search(r"\b[A-Za-z]+[ \t]*=[ \t]*[{\"\d]", head):
        return 0.0
    return 0.95 if shape.entries(head, _ENTRY).explains() else 0.0


@contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each failed block; we report it as an IngestError instead."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """Records of a BibTeX text in file order; a failed block becomes an IngestError."""
    with _quiet():
        library = bibtexparser.parse_string(text)
    blocks = sorted([*library.entries, *library.failed_blocks], key=lambda b: b.start_line or 0)
    for number, block in enumerate(blocks, start=1):
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            block = block.ignore_error_block
        if isinstance(block, Entry):
            yield biblio.build(entry_fields, block, source=source, number=number, line=line)
        elif isinstance(block, ParsingFailedBlock):
            yield IngestError(source, f"entry {number}: {_reason(block)}", line=line)
    if skipped := biblio.skipped_text(shape.entries(text, _ENTRY), source, "BibTeX"):
        yield skipped


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "BibTeX")


def _reason(block: ParsingFailedBlock) -> str:
    message = str(block.error).split("\n")[0].strip()
    if not message or "closing" in message or "Unexpected block start" in message:
        return "unbalanced braces or quotes: the entry does not close before the next entry"
    return f"cannot be read as BibTeX ({message})"


def latex_text(value: str | None) -> str | None:
    """LaTeX markup to plain text: '{\\"u}' -> 'ü', '{BMI}' -> 'BMI', '\\&' -> '&'."""
    if not value:
        return None
    return biblio.clean(_LATEX.latex_to_text(value) if re.search(r"[\\{}$~]", value) else value)


def authors(value: str | None) -> list[Author]:
    """BibTeX names ('Last, First and First von Last'); '{Group Name}' is a collective author."""
    if not value:
        return []
    names = split_multiple_persons_names(value)
    if len(names) == 1 and ";" in value:
        names = [n for n in value.split(";") if n.strip()]
    out = []
    for raw in names:
        raw = raw.strip()
        if _braced(raw):
            if text := latex_text(raw):
                out.append(Author(collective=text))
            continue
        try:
            parts = parse_single_name_into_parts(raw)
        except InvalidNameError:
            parts = None
        if parts is None or not parts.last:
            if person := biblio.person(latex_text(raw)):
                out.append(person)
            continue
        family = latex_text(" ".join([*parts.von, *parts.last, *parts.jr]))
        given = latex_text(" ".join(parts.first)) or ""
        if family and (person := biblio.person(f"{family}, {given}" if given else family)):
            out.append(person)
    return out


def _braced(raw: str) -> bool:
    """'{World Health Organization}': one brace group around the whole name (a collective)."""
    if not (raw.startswith("{") and raw.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(raw):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(raw) - 1:
            return False
    return True


def _value(entry: Entry, *keys: str, latex: bool = True) -> str | None:
    fields = {k.lower(): f.value for k, f in entry.fields_dict.items()}
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return latex_text(value) if latex else biblio.clean(value)
    return None


def _date(entry: Entry) -> tuple[int | None, str | None]:
    date = _value(entry, "date", latex=False)
    if date:
        return biblio.parse_date(date)
    year = _value(entry, "year", latex=False)
    month = _value(entry, "month", latex=False)
    return biblio.parse_date(f"{year} {month}" if year and month and not month.isdigit()
                             else f"{year}-{int(month):02d}" if year and month and month.isdigit()
                             and 1 <= int(month) <= 12 else year)


def entry_fields(entry: Entry) -> dict[str, Any]:
    """The record fields of one BibTeX entry (before validation)."""
    resource_type = from_bibtex(entry.entry_type)
    year, published = _date(entry)
    year_text = _value(entry, "year", latex=False)
    flags = [] if year or not year_text else [{
        "code": "bad-year", "field": "year", "message": f"the export's year '{year_text}' could not be read"}]
    language, sections, translations = biblio.abstract_parts([_value(entry, "abstract") or ""])
    doi = _value(entry, "doi", latex=False)
    url = _value(entry, "url", latex=False)
    return {
        "resource_type": resource_type, "title": biblio.clean_title(_value(entry, "title")),
        "authors": authors(_value(entry, "author", latex=False)), "year": year,
        "published": published, "venue": _value(entry, *VENUE_FIELDS),
        "volume": _value(entry, "volume"), "issue": _value(entry, "number", "issue"),
        "pages": biblio.pages(_value(entry, "pages", latex=False)),
        "article_number": _value(entry, "eid", "articleno", "article-number"),
        "publisher": _value(entry, "publisher"),
        "identifiers": {"doi": find_doi(doi) if doi else (find_doi(url) if url else None),
                        "pmid": _value(entry, "pmid", latex=False),
                        "pmcid": _value(entry, "pmcid", latex=False),
                        "isbn": _value(entry, "isbn", latex=False) if resource_type in (
                            "book", "book-chapter") else None,
                        "url": biblio.landing_url(url)},
        "affiliations": biblio.split_list(_value(entry, "affiliation", "affiliations") or ""),
        "keywords": biblio.keywords(re.split(r";|,(?![^()]*\))" if ";" not in (
            _value(entry, "keywords") or "") else ";", _value(entry, "keywords") or "")),
        **biblio.language_fields(language_code(_value(entry, "language", "langid")), language,
                                 bool(sections)),
        "abstract": sections, "translations": translations, "flags": flags,
    }
