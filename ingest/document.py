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
#: Words after which a line-end hyphen is a compound's own hyphen ('self-' / 'contained').
HYPHEN_PREFIXES = frozenset("""self non co multi post pre well long short high low cross inter intra
    anti semi over under mid sub""".split())
_LINE_END_HYPHEN = re.compile(r"(?P<word>[^\W\d_]+)-$")
_HYPHENATED = re.compile(r"\b[^\W\d_]+-[^\W\d_]+\b")


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


def keeps_hyphen(before: str, after: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether a word broken at a line-end hyphen ('self-' / 'contained') keeps its hyphen when
    joined: the word before is a common prefix (self, non, co, multi, …), either half is
    capitalised ('Medicaid-' / 'eligible'), or the text writes the joined word with a hyphen."""
    word = after.split()[0].rstrip(".,;:)") if after.split() else ""
    return (before.casefold() in HYPHEN_PREFIXES or before[:1].isupper() or word[:1].isupper()
            or f"{before}-{word}".casefold() in known)


def reflow(lines: list[str]) -> list[str]:
    """Paragraphs of hard-wrapped lines: a line is joined to the one before when that one runs
    (nearly) the full width, or ends in a word and a hyphen before a word, and the new line does
    not start a labelled section. The hyphen goes unless the joined word keeps it (keeps_hyphen)."""
    width = _typical_width(lines)
    known = frozenset(w.casefold() for line in lines for w in _HYPHENATED.findall(line))
    out: list[str] = []
    last = ""  # the previous physical line
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        broken = _LINE_END_HYPHEN.search(last)
        hyphen = broken is not None and line[:1].isalpha()
        full = width >= 40 and len(last) >= FULL_LINE * width and not last.endswith(":")
        if out and (hyphen or full) and split_label(line).label is None and not BODY_HEADING.match(line):
            if broken is not None and hyphen:
                kept = keeps_hyphen(broken.group("word"), line, known)
                out[-1] = (out[-1] if kept else out[-1][:-1]) + line
            else:
                out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        last = line
    return out


def document_text(lines: list[str], *, wrapped: bool) -> str:
    """A document's front matter and abstract as text, one paragraph a line."""
    kept = before_body([line for line in lines if line.strip()])
    return "\n".join(reflow(kept) if wrapped else [line.strip() for line in kept])
