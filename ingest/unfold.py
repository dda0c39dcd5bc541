"""One-paragraph records laid out as the line-per-part text the page parsers read: references
with their abstract ("Title. Smith AB, Jones CD. JAMA Netw Open. 2023;6(4):e238123. doi:…
OBJECTIVE: … RESULTS: …", as abstracts arrive from e-mails, PDFs and reference lists) become
title, authors, citation and one line per labelled section; runs of metadata labels ("key: …
authors: …; … title: … date: … journal: … doi: … <abstract>", as one-line dataset records
print) become title, authors, one line per other label, then the abstract; a Markdown article
with its line breaks lost ("Title ===== * Name * Name ## Abstract **Introduction** …", as
full-text exports of preprint and journal sites arrive) becomes title, authors, headings and
labelled paragraphs; a title run into a byline that gives degrees ("Title Sebastian T. Tong, MD,
MPH, Winston R. Liaw, MD, MPH Background: …", as PDF text arrives) becomes title, authors and
the rest. Text in any other shape is returned unchanged."""

from __future__ import annotations

import re

from ingest.citation import Citation, parse_citation
from ingest.names import is_author_line, is_single_author
from ingest.names.vocab import NOT_NAMES, is_degree, is_initials
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
        parts = unfold_line(line.strip()) or unfold_labels(line.strip()) or unfold_markdown(line.strip()) \
            or unfold_credited(line.strip())
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


_SETEXT = re.compile(r"^(?P<title>[^=#*]{10,600}?)\s+={5,}\s+(?P<rest>.+)$")
_HEADING = re.compile(r"\s*#{2,6}\s+")
_BULLET_ITEM = re.compile(r"\s*\*\s+(?=\S)")
_EMPHASIS_LABEL = re.compile(r"^\*{1,2}(?P<label>[^*\n]{2,60}?):?\*{1,2}:?\s*")


def unfold_markdown(line: str) -> list[str] | None:
    """[title, authors, heading or 'Label: paragraph' …] of a line that is a Markdown article
    with its line breaks lost: a title underlined with '=' signs, the authors as '* ' items, then
    '## ' headings whose paragraphs may open with an emphasised label ('**Methods**', '*Results:*');
    None for any other line."""
    if len(line) < MIN_LINE or not (m := _SETEXT.match(line)):
        return None
    blocks = _HEADING.split(m.group("rest"))
    names = [n.strip() for n in _BULLET_ITEM.split(blocks[0]) if n.strip()]
    if not names or not is_author_line(", ".join(names), allow_single=True, default="given-first"):
        return None
    out = [m.group("title").strip(), ", ".join(names)]
    for block in blocks[1:]:
        heading, _, body = block.partition(" ")
        words = block.split()
        if len(words) > 1 and words[0][:1].isupper() and not words[1].startswith("*") and not body.startswith("*"):
            heading, body = block, ""  # a heading alone, or one whose text has no label
        out.append(heading.strip())
        for part in re.split(r"\s+(?=\*{1,2}[A-Z][^*]{1,60}?:?\*{1,2})", body):
            label = _EMPHASIS_LABEL.match(part)
            text = part[label.end():] if label else part
            if text.strip() or label:
                out.append(f"{label.group('label').strip()}: {text.strip()}" if label else text.strip())
    return out


_NAME_THEN_DEGREE = re.compile(r"(?<=\s)(?P<family>[A-Z][^\W\d_][\w'’\-]*),\s+(?P<degree>[A-Za-z.]{2,8})(?=[,\s])")
MAX_HEAD = 600  # characters: a byline starts this near the opening of the line


def unfold_credited(line: str) -> list[str] | None:
    """[title, byline, rest] of a line whose title runs straight into a byline that gives each
    name's degrees; None for any other line. The first name is its family name, any initials and
    one given name before its first degree; the byline ends after the last degree of its run."""
    if len(line) < MIN_LINE:
        return None
    first = next((m for m in _NAME_THEN_DEGREE.finditer(line[:MAX_HEAD]) if is_degree(m.group("degree"))), None)
    if first is None:
        return None
    words = line[:first.start("family")].split()
    start = len(words)
    while start > 0 and is_initials(words[start - 1].rstrip(".")) and len(words[start - 1]) <= 3:
        start -= 1  # middle initials ('T.')
    if start == 0 or not words[start - 1][:1].isupper() or words[start - 1].casefold() in NOT_NAMES:
        return None
    start -= 1  # one given name
    title = " ".join(words[:start])
    end = _byline_end(line, first.start("family"))
    byline = " ".join(words[start:]) + " " + line[first.start("family"):end]
    rest = line[end:].strip(" ,")
    if len(title.split()) < 4 or len(rest) < MIN_ABSTRACT or not is_author_line(byline, default="given-first"):
        return None
    return [title, byline.strip(" ,"), rest]


def _byline_end(line: str, at: int) -> int:
    """Where a byline that starts at `at` ends: after the last degree that follows a name."""
    end = at
    for m in re.finditer(r",\s+([A-Za-z.]{2,8})(?=[,\s]|$)", line[at:at + 1500]):
        if is_degree(m.group(1)):
            end = at + m.end()
        elif m.start() > end - at + 80:
            break
    return end
