"""Bounds on what one input, one record and one field may hold, so that a small or hostile file
cannot exhaust memory or time. They are set from what real inputs need, with a wide margin, and
from the app's upload limit (kb.config.MAX_UPLOAD_MB): anything the app accepts, ingest can hold."""

from __future__ import annotations

from kb.config import MAX_UPLOAD_MB

MB = 1024 * 1024
MAX_EXPORT_BYTES = max(256 * MB, MAX_UPLOAD_MB * MB)  # a text export of some 100,000 records
MAX_TEXT_BYTES = 20 * MB  # one prose input (an abstract page, a saved web page) read as bytes
MAX_DOCUMENT_BYTES = max(100 * MB, MAX_UPLOAD_MB * MB)  # one PDF or Word file (a long report with figures)
MAX_PROSE_CHARS = 500_000  # prose handed to section and role inference (a long report: 100 k)
MAX_PROSE_LINES = 5_000  # non-blank lines of prose (each becomes a paragraph whose role is inferred)
MAX_RECORD_CHARS = 4_000_000  # one record of an export (PubMed's largest: about 200 k)
MAX_FIELD_CHARS = 1_000_000  # one field of a record (abstracts run to 10 k, author lists to 200 k)
MAX_ABSTRACT_CHARS = MAX_PROSE_CHARS  # the abstract of one exported record
MAX_XML_RECORD_BYTES = 16 * MB  # one <PubmedArticle> element, streamed
MAX_FINDINGS = 1_000  # findings of one record (abstracts hold 5-30, a long grey-literature summary ~200)
MAX_NESTING = 200  # braces (BibTeX) or arrays/objects (JSON) nested deeper than this are refused


def too_large(chars: int, limit: int = MAX_RECORD_CHARS, what: str = "the record") -> str:
    """The reason given for an oversized record or field."""
    return f"{what} is {chars / 1e6:.1f} million characters, more than the {limit / 1e6:.1f} million one can hold"
