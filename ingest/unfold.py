"""One-paragraph records laid out as the line-per-part text the page parsers read: references
with their abstract ("Title. Smith AB, Jones CD. JAMA Netw Open. 2023;6(4):e238123. doi:…
OBJECTIVE: … RESULTS: …", as abstracts arrive from e-mails, PDFs and reference lists) become
title, authors, citation and one line per labelled section; runs of metadata labels ("key: …
authors: …; … title: … date: … journal: … doi: … <abstract>", as one-line dataset records
print) become title, authors, one line per other label, then the abstract. Text in any other
shape is returned unchanged."""

from __future__ import annotations

import re

from ingest.citation import Citation, parse_citation
from ingest.names import is_author_line, is_single_author
from kb.text.sections import split_label

MIN_LINE = 200  # shorter lines are headers already
HEAD_LINES = 5  # a folded reference opens the text
MIN_ABSTRACT = 80  # characters of abstract after the citation
_BOUNDARY = re.compile(r"(?<=[.?!])\s+")
_IDS = re.compile(
    r"(?:[\s.;,]*(?:doi:?\s*10\.\d{4,9}/\S+|https?://(?:dx\.)?doi\.org/\S+|Epub\s+(?:ahead of print\.?)?"
    r"(?:\d{4}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?)?|PMID:?\s*\d+|PMCID:?\s*PMC\d+|"
    r"eCollection\s+\d{4}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?|Print\s+\d{4}(?:\s+[A-Z][a-z]{2})?))+",
    re.I)
_ABSTRACT_WORD = re.compile(r"^\s*(?:abstract|summary)\b[\s:.]*", re.I)
_LABEL_START = re.compile(r"(?<=\s)(?=[A-Z])")
_INITIALS_PIECE = re.compile(r"^(?:[A-Z]\.?-?){1,3}$")


def unfold(text: str) -> str:
    """The text with its first folded reference-plus-abstract line laid out line by line."""
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        parts = unfold_line(line.strip()) or unfold_labels(line.strip())
        if parts is not None:
            return "\n".join([*lines[:i], *parts, *lines[i + 1:]])
    return text


def unfold_line(line: str) -> list[str] | None:
    """[title, authors, citation, section, …] of a folded reference line, or None when the
    line is not one: it needs a citation, an author list just before it (with the title before
    that) or nothing before it, and abstract text after it."""
    if len(line) < MIN_LINE:
        return None
    citation = parse_citation(line)
    if citation is None:
        return None
    head = _title_and_authors(line[:citation.start].strip())
    if head is None:
        return None
    ids_end = _ids_end(line, citation)
    rest = _ABSTRACT_WORD.sub("", line[ids_end:]).strip()
    if len(rest) < MIN_ABSTRACT:
        return None
    return [*head, line[citation.start:ids_end].strip(), *_sections(rest)]


def _title_and_authors(before: str) -> list[str] | None:
    """[title, authors] from 'Title. Smith AB, Jones CD.'; [] when nothing comes before the
    citation; None when what comes before it does not end with an author list."""
    if not before:
        return []
    text = before.rstrip(". ")
    cuts = [m.end() for m in _BOUNDARY.finditer(text)]
    start = next((c for c in reversed(cuts) if _authors(text[c:])), None)
    if start is None:
        return None
    # Dotted initials cut a list at ". " too ('A.B. Smith, C.D. Jones'): take in each earlier
    # piece that ends with initials while the whole still reads as an author list.
    earlier = [c for c in cuts if c < start]
    while earlier and _ends_with_initials(text[earlier[-1]:start]) and _authors(text[earlier[-1]:]):
        start = earlier.pop()
    title = text[:start].strip()
    return [title, text[start:].strip() + "."] if title else None


def _ends_with_initials(piece: str) -> bool:
    words = piece.split()
    return bool(words) and bool(_INITIALS_PIECE.match(words[-1].rstrip(".")))


def _authors(segment: str) -> bool:
    """An author list: two or more names, or one 'Surname AB' name."""
    segment = segment.strip()
    if is_author_line(segment):
        return True
    return is_single_author(segment)


def _ids_end(line: str, citation: Citation) -> int:
    """Where the citation's trailing identifiers (DOI, Epub, PMID, PMCID) end."""
    tail = _IDS.match(line, citation.end)
    end = tail.end() if tail else citation.end
    while end < len(line) and line[end] in ".;, ":
        end += 1
    return end


def _sections(text: str) -> list[str]:
    """The abstract split before each known section label ('OBJECTIVE:', 'Results.')."""
    cuts = [0]
    for m in _LABEL_START.finditer(text):
        if m.start() > cuts[-1] and _starts_section(text, m.start()):
            cuts.append(m.start())
    bounds = [*cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


def _starts_section(text: str, at: int) -> bool:
    """A known section label starts here, after the end of a sentence (or a DOI)."""
    before = text[:at].rstrip()
    if before and before[-1] not in ".?!)]\"'" and not re.search(r"\d$", before):
        return False
    found = split_label(text[at:at + 120])
    return found.label is not None and found.role not in (None, "other")


_RUN_LABEL = re.compile(r"(?:^|(?<=\s))(?P<label>[a-z][a-z_]{1,15}|author\(s\))\s?:\s+", re.I)
#: Labels whose value is free text (up to the next label); any other label's value is one token.
TEXT_LABELS = frozenset({"title", "authors", "author", "author(s)", "journal", "source", "keywords"})
#: Labels that show a run of bibliographic metadata (besides 'title').
BIB_LABELS = frozenset({"authors", "author", "author(s)", "date", "journal", "doi", "published",
                        "source", "keywords", "year", "pmid", "pmcid"})
MAX_VALUE_WORDS = 80


def unfold_labels(line: str) -> list[str] | None:
    """[title, authors, 'label: value' …, abstract] of a line that opens with a run of metadata
    labels including 'title' and two other bibliographic ones; None for any other line."""
    if len(line) < MIN_LINE:
        return None
    found = [m for m in _RUN_LABEL.finditer(line) if m.start() < len(line)]
    if not found or found[0].start() > 0:
        return None
    fields: list[tuple[str, str]] = []
    rest = ""
    for n, m in enumerate(found):
        label = m.group("label").lower()
        end = found[n + 1].start() if n + 1 < len(found) else len(line)
        value = line[m.end():end].strip()
        if label not in TEXT_LABELS and len(value.split()) > 1:
            value, rest = value.split(None, 1)
        elif len(value.split()) > MAX_VALUE_WORDS:
            return None
        fields.append((label, value))
        if rest:
            break
    labels = {label for label, _ in fields}
    if "title" not in labels or len(labels & BIB_LABELS) < 2 or len(rest) < MIN_ABSTRACT:
        return None
    values = dict(fields)
    head = [values["title"]]
    people = next((values[k] for k in ("authors", "author", "author(s)") if k in values), None)
    if people:
        head.append(people)
    others = [f"{label}: {value}" for label, value in fields
              if label != "title" and value != people and value]
    return [*head, *others, rest.strip()]
