"""The text of a document's first pages (a PDF's text layer, a Word file's paragraphs) made
ready for the pasted-text path: hard-wrapped lines joined into paragraphs, line-end hyphens
undone, and the text cut where the article's body (Introduction, References) begins."""

from __future__ import annotations

import re

from kb.text.sections import split_label

# A heading after which a paper's first pages are no longer its front matter and abstract.
BODY_HEADING = re.compile(r"^(?:\d{1,2}\.?\s*|[IVX]{1,4}\.\s*)?(?:introduction|background and introduction|"
                          r"main text|references|bibliography|acknowledge?ments?)\s*:?$", re.I)
FULL_LINE = 0.8  # a line at least this share of the typical line length is wrapped, not ended


def before_body(lines: list[str]) -> list[str]:
    """The lines before the first body heading (all of them when there is none, or when the
    heading comes first: a document with nothing before its Introduction)."""
    for i, line in enumerate(lines):
        if i >= 3 and BODY_HEADING.match(line.strip()):
            return lines[:i]
    return lines


def _typical_width(lines: list[str]) -> int:
    widths = sorted(len(line) for line in lines if len(line) >= 30)
    return widths[int(0.9 * (len(widths) - 1))] if widths else 0


def reflow(lines: list[str]) -> list[str]:
    """Paragraphs of hard-wrapped lines: a line is joined to the one before when that one runs
    (nearly) the full width, or ends in a hyphen before a lower-case word, and the new line
    does not start a labelled section."""
    width = _typical_width(lines)
    out: list[str] = []
    last = ""  # the previous physical line
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        hyphen = last.endswith("-") and line[:1].islower()
        full = width >= 40 and len(last) >= FULL_LINE * width and not last.endswith(":")
        if out and (hyphen or full) and split_label(line).label is None and not BODY_HEADING.match(line):
            out[-1] = out[-1][:-1] + line if hyphen else f"{out[-1]} {line}"
        else:
            out.append(line)
        last = line
    return out


def document_text(lines: list[str], *, wrapped: bool) -> str:
    """A document's front matter and abstract as text, one paragraph a line."""
    kept = before_body([line for line in lines if line.strip()])
    return "\n".join(reflow(kept) if wrapped else [line.strip() for line in kept])
