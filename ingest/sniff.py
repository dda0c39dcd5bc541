"""Choose the parser for an input from its content (the file name is only a hint)."""

from __future__ import annotations

from types import ModuleType

from ingest.formats import (
    bibtex,
    cord19_row,
    csl_json,
    csv_table,
    docx_file,
    evidence_library,
    generic_text,
    grey_summary,
    html_page,
    medline,
    pdf_file,
    pubmed_text,
    pubmed_xml,
    refworks,
    ris,
    structured_abstract,
    wos,
)
from kb.errors import IngestError

# Most specific first; generic_text is the fallback for any prose. The bibliographic exports
# (BIBLIOGRAPHIC = True) need their own markup (TY  -, PMID-, @article{, a CSV header, JSON,
# <PubmedArticleSet>), so prose never sniffs as one of them.
PARSERS: tuple[ModuleType, ...] = (
    pubmed_xml, ris, wos, refworks, medline, bibtex, csl_json, csv_table, cord19_row, html_page,
    evidence_library, pubmed_text, grey_summary, structured_abstract, generic_text,
)
# Binary documents (PDF, Word) are recognised from their bytes by the reader, not sniffed as text.
BY_NAME: dict[str, ModuleType] = {p.NAME: p for p in (*PARSERS, pdf_file, docx_file)}


def is_bibliographic(parser: ModuleType) -> bool:
    """True for the export formats (many records per file, legacy encodings accepted)."""
    return bool(getattr(parser, "BIBLIOGRAPHIC", False))


def choose_parser(text: str, name: str = "") -> ModuleType:
    """The parser with the highest sniff score; IngestError when nothing recognises the text."""
    best, best_score = None, 0.0
    for parser in PARSERS:
        score = parser.sniff(text, name)
        if score > best_score:
            best, best_score = parser, score
    if best is None:
        raise IngestError(
            name or "<input>",
            "no abstract-like prose found (expected an abstract, a summary or a bibliographic export)",
        )
    return best
