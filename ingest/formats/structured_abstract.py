"""A bare structured abstract: labelled sections (BACKGROUND:, METHODS:, …) and no metadata."""

from __future__ import annotations

from ingest.prose import build_abstract, lines_of
from kb.model.schema import Record
from kb.text.sections import split_label

NAME = "structured_abstract"
FORMAT = "structured-abstract"
VERSION = "1.0"


def sniff(text: str, name: str = "") -> float:
    """High when the text opens with a section label and has at least two labelled paragraphs."""
    lines = lines_of(text[:100000])
    if not lines:
        return 0.0
    labelled = [split_label(line) for line in lines]
    known = [p for p in labelled if p.label and p.role != "other"]
    opens = bool(labelled[0].label) and labelled[0].role != "other"
    return 0.8 if opens and len(known) >= 2 else 0.0


def parse(text: str, *, source: str) -> list[Record]:
    """One record whose only content is the abstract."""
    abstract = build_abstract(lines_of(text))
    return [Record(abstract=abstract.sections, translations=abstract.translations,
                   language=abstract.language)]
