"""Choose the parser for an input from its content (the file name is only a hint)."""

from __future__ import annotations

from types import ModuleType

from ingest.formats import (
    evidence_library,
    generic_text,
    grey_summary,
    pubmed_text,
    structured_abstract,
)
from kb.errors import IngestError

# Most specific first; generic_text is the fallback for any prose.
PARSERS: tuple[ModuleType, ...] = (
    evidence_library, pubmed_text, grey_summary, structured_abstract, generic_text,
)
BY_NAME: dict[str, ModuleType] = {p.NAME: p for p in PARSERS}


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
